/**
 * Server-sent events on one HTTP response: JSON-RPC messages as `message` events, with an event
 * id when the stream can be resumed, and comments to keep an idle connection open. Writes after
 * the response ended are dropped: the client went away.
 */
import type http from 'node:http';

export class SseWriter {
  private constructor(private readonly res: http.ServerResponse) {}

  /** Sends the stream's headers at once, so the client knows the stream is open. */
  static open(res: http.ServerResponse, headers: Readonly<Record<string, string>> = {}): SseWriter {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive', ...headers });
    res.flushHeaders();
    return new SseWriter(res);
  }

  get isOpen(): boolean {
    return !this.res.writableEnded && !this.res.destroyed;
  }

  message(message: unknown, id?: string): void {
    this.write(`${id === undefined ? '' : `id: ${id}\n`}event: message\ndata: ${JSON.stringify(message)}\n\n`);
  }

  /** An event with an id and no data: the client can resume from here before any message came. */
  priming(id: string): void {
    this.write(`id: ${id}\ndata: \n\n`);
  }

  /** A comment line: clients ignore it; proxies and the client see the connection alive. */
  comment(text: string): void {
    this.write(`: ${text.replace(/[\r\n]+/g, ' ')}\n\n`);
  }

  end(): void {
    if (this.isOpen) this.res.end();
  }

  private write(chunk: string): void {
    if (this.isOpen) this.res.write(chunk);
  }
}
