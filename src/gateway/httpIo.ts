/**
 * Small helpers for reading requests and writing answers on the gateway's HTTP endpoint.
 */
import type http from 'node:http';
import { MAX_BODY_BYTES } from './httpGuards';

export function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function accepts(req: http.IncomingMessage, type: string): boolean {
  return (header(req, 'accept') ?? '').split(',').some((part) => part.split(';')[0]!.trim().toLowerCase() === type);
}

export function notAllowed(res: http.ServerResponse, allow: string): void {
  res.setHeader('Allow', allow);
  send(res, 405, { error: `Method not allowed here; use ${allow}.` });
}

export function rpcError(code: number, message: string): unknown {
  return { jsonrpc: '2.0', id: null, error: { code, message } };
}

/** The body, or 'too-large' as soon as it passes the limit (the rest is discarded unread). */
export function readBody(req: http.IncomingMessage): Promise<Buffer | 'too-large'> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) return Promise.resolve('too-large');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const onData = (chunk: Buffer): void => {
      bytes += chunk.length;
      if (bytes > MAX_BODY_BYTES) {
        req.off('data', onData);
        req.resume();
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
