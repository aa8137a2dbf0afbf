/**
 * Serves the gateway over Streamable HTTP (MCP 2025-11-25) on one endpoint, `/mcp`. POST carries
 * one message: a request is answered with JSON, except a `tools/call` from a client that accepts
 * `text/event-stream`, which gets a stream of the call's progress and then its response; a
 * notification or response gets 202. GET answers 405 (no server-initiated stream); DELETE ends a
 * session. Sessions are issued at `initialize` in `MCP-Session-Id`. Every request first passes the
 * Host and Origin checks, then the bearer token; only `/health` needs no token. `/metrics`
 * reports per-tool summaries.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Initialize, ToolsCall } from '../core/protocol/methods';
import { errorMessage } from '../core/util/errors';
import { GATEWAY_VERSION, type GatewayHost } from './gatewayHost';
import { GatewaySession, messageProblem } from './gatewaySession';
import { MAX_BODY_BYTES, bearerMatches, hostAllowed, originAllowed, protocolVersionAllowed } from './httpGuards';

export interface HttpOptions {
  readonly host: string;
  readonly port: number;
  readonly token: string;
  readonly maxSessions?: number;
}

export interface HttpGateway {
  readonly port: number;
  close(): Promise<void>;
}

const DEFAULT_MAX_SESSIONS = 64;
const SESSION_HEADER = 'mcp-session-id';

export async function serveHttp(host: GatewayHost, options: HttpOptions, log: (line: string) => void): Promise<HttpGateway> {
  const sessions = new Map<string, GatewaySession>();
  let port = options.port;
  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log(`HTTP ${req.method ?? '?'} ${req.url ?? '?'} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      if (!res.headersSent) send(res, 500, { error: `The gateway failed: ${errorMessage(error)}` });
      else res.end();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://gateway').pathname;
    if (!hostAllowed(req.headers.host, port)) {
      return send(res, 403, { error: `Host "${req.headers.host ?? ''}" is not this gateway; use http://127.0.0.1:${port}.` });
    }
    if (!originAllowed(header(req, 'origin'), port)) {
      return send(res, 403, { error: `Requests from origin "${header(req, 'origin') ?? ''}" are not allowed.` });
    }
    if (path === '/health') return req.method === 'GET' ? send(res, 200, { ok: true }) : notAllowed(res, 'GET');
    if (path !== '/mcp' && path !== '/metrics') return send(res, 404, { error: `Nothing at ${path}: the MCP endpoint is /mcp.` });
    if (!bearerMatches(header(req, 'authorization'), options.token)) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      return send(res, 401, { error: 'Send the gateway token as "Authorization: Bearer <token>".' });
    }
    if (path === '/metrics') return req.method === 'GET' ? send(res, 200, { tools: host.metrics.all() }) : notAllowed(res, 'GET');
    switch (req.method) {
      case 'POST':
        return post(req, res);
      case 'DELETE':
        return remove(req, res);
      default:
        return notAllowed(res, 'POST, DELETE');
    }
  }

  async function post(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!protocolVersionAllowed(header(req, 'mcp-protocol-version'))) {
      return send(res, 400, rpcError(-32600, `Unsupported MCP-Protocol-Version "${header(req, 'mcp-protocol-version') ?? ''}".`));
    }
    const body = await readBody(req);
    if (body === 'too-large') return send(res, 413, rpcError(-32600, `The message is larger than ${MAX_BODY_BYTES} bytes.`));
    let message: unknown;
    try {
      message = JSON.parse(body.toString('utf8'));
    } catch (error) {
      return send(res, 400, rpcError(-32700, `The body is not JSON: ${errorMessage(error)}.`));
    }
    const problem = messageProblem(message);
    if (problem !== undefined) return send(res, 400, rpcError(-32600, `Invalid JSON-RPC message: ${problem}.`));
    const m = message as { id?: string | number; method?: string };
    const sessionId = header(req, SESSION_HEADER);

    if (m.method === Initialize.method && m.id !== undefined) {
      if (sessionId !== undefined) return send(res, 400, rpcError(-32600, 'initialize starts a new session: send it without MCP-Session-Id.'));
      if (sessions.size >= (options.maxSessions ?? DEFAULT_MAX_SESSIONS)) return send(res, 503, rpcError(-32603, 'Too many open sessions; end one with DELETE /mcp first.'));
      const session = newSession();
      const handled = await session.handle(message);
      if (handled.response?.error === undefined) {
        const id = randomUUID();
        sessions.set(id, session);
        res.setHeader('MCP-Session-Id', id);
      }
      return send(res, 200, handled.response);
    }
    if (sessionId === undefined) return send(res, 400, rpcError(-32600, 'MCP-Session-Id is required: initialize first and send the id it returned.'));
    const session = sessions.get(sessionId);
    if (!session) return send(res, 404, rpcError(-32001, 'Session not found: it ended or never existed. Initialize a new one.'));
    if (m.method === undefined || m.id === undefined) {
      await session.handle(message);
      res.writeHead(202).end();
      return;
    }
    const requestId = m.id;
    // A client that hangs up no longer wants the answer: cancel the call.
    const onClose = (): void => {
      if (!res.writableEnded) void session.handle({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId, reason: 'The HTTP request was closed.' } });
    };
    res.on('close', onClose);
    try {
      // A client that accepts a stream gets the call's progress on it, then the answer.
      if (m.method === ToolsCall.method && accepts(req, 'text/event-stream')) {
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
        const handled = await session.handle(message, (notification) => writeEvent(res, notification));
        writeEvent(res, handled.response);
        res.end();
        return;
      }
      const handled = await session.handle(message);
      return send(res, 200, handled.response);
    } finally {
      res.off('close', onClose);
    }
  }

  function remove(req: http.IncomingMessage, res: http.ServerResponse): void {
    const sessionId = header(req, SESSION_HEADER);
    if (sessionId === undefined) return send(res, 400, { error: 'MCP-Session-Id is required to end a session.' });
    const session = sessions.get(sessionId);
    if (!session) return send(res, 404, { error: 'Session not found.' });
    sessions.delete(sessionId);
    session.dispose();
    res.writeHead(204).end();
  }

  function newSession(): GatewaySession {
    return new GatewaySession({
      catalog: host.catalog,
      router: host.router,
      serverInfo: { name: 'warden-gateway', version: GATEWAY_VERSION },
      // Without a GET stream there is nowhere to send notifications; clients list tools again.
      send: () => undefined,
      log,
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  return {
    port,
    close: async () => {
      for (const session of sessions.values()) session.dispose();
      sessions.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function accepts(req: http.IncomingMessage, type: string): boolean {
  return (header(req, 'accept') ?? '').split(',').some((part) => part.split(';')[0]!.trim().toLowerCase() === type);
}

function writeEvent(res: http.ServerResponse, message: unknown): void {
  if (!res.writableEnded) res.write(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
}

function notAllowed(res: http.ServerResponse, allow: string): void {
  res.setHeader('Allow', allow);
  send(res, 405, { error: `Method not allowed here; use ${allow}.` });
}

function rpcError(code: number, message: string): unknown {
  return { jsonrpc: '2.0', id: null, error: { code, message } };
}

/** The body, or 'too-large' as soon as it passes the limit (the rest is discarded unread). */
function readBody(req: http.IncomingMessage): Promise<Buffer | 'too-large'> {
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
