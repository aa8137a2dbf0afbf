/**
 * An incremental parser for `text/event-stream` (the WHATWG server-sent events format), fed bytes
 * as they arrive: chunks may split lines, CRLF pairs and UTF-8 sequences anywhere. Lines end in
 * CRLF, LF or CR; `:` starts a comment; `data` lines join with "\n"; `id` sets the last event id
 * (kept across events, for `Last-Event-ID` on reconnect); `retry` sets the reconnection delay; a
 * blank line dispatches the event. An event larger than the cap is discarded up to its blank line
 * and reported, so a flood cannot grow the buffer without bound.
 */

export interface SseEvent {
  /** The `event` field; "message" when absent. */
  readonly event: string;
  readonly data: string;
  /** The last event id when this event was dispatched (it may have been set by an earlier event). */
  readonly id: string | undefined;
}

export interface SseHandlers {
  readonly onEvent: (event: SseEvent) => void;
  /** A `retry` field: the delay, in milliseconds, the server asks for before a reconnect. */
  readonly onRetry?: (ms: number) => void;
  /** An event over the cap was discarded. */
  readonly onOversize?: (limitBytes: number) => void;
}

const LF = 0x0a;
const CR = 0x0d;

export class SseParser {
  private readonly decoder = new TextDecoder('utf-8');
  /** The start of a line not yet ended. */
  private partial = '';
  /** The previous chunk ended in CR: an LF starting the next one belongs to it. */
  private afterCr = false;
  private data: string[] = [];
  private dataBytes = 0;
  private eventType = '';
  private lastId: string | undefined;
  /** The current event went over the cap; skip to its end. */
  private discarding = false;
  /** A line went over the cap before it ended; skip to its end. */
  private skippingLine = false;

  constructor(
    private readonly handlers: SseHandlers,
    private readonly maxEventBytes: number,
  ) {}

  get lastEventId(): string | undefined {
    return this.lastId;
  }

  push(chunk: Uint8Array): void {
    let bytes = chunk;
    if (this.afterCr && bytes.length > 0 && bytes[0] === LF) bytes = bytes.subarray(1);
    this.afterCr = bytes.length > 0 && bytes[bytes.length - 1] === CR;
    const text = this.decoder.decode(bytes, { stream: true });
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== LF && c !== CR) continue;
      if (this.skippingLine) this.skippingLine = false;
      else this.line(this.partial + text.slice(start, i));
      this.partial = '';
      if (c === CR && text.charCodeAt(i + 1) === LF) i++;
      start = i + 1;
    }
    this.keepPartial(text.slice(start));
  }

  /** The stream ended: an event without its blank line is dropped, as the format requires. */
  end(): void {
    this.decoder.decode();
    this.partial = '';
    this.skippingLine = false;
    this.afterCr = false;
    this.resetEvent();
  }

  private keepPartial(rest: string): void {
    if (rest.length === 0 || this.skippingLine) return;
    if (this.discarding) {
      // A line of an event already discarded: only its end matters.
      this.skippingLine = true;
      return;
    }
    this.partial += rest;
    if (this.dataBytes + this.partial.length > this.maxEventBytes) {
      this.overflow();
      this.skippingLine = true;
    }
  }

  private line(line: string): void {
    if (line === '') {
      this.dispatch();
      return;
    }
    if (this.discarding || line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data':
        this.addData(value);
        return;
      case 'event':
        this.eventType = value;
        return;
      case 'id':
        if (!value.includes('\0')) this.lastId = value === '' ? undefined : value;
        return;
      case 'retry':
        if (/^\d+$/.test(value)) this.handlers.onRetry?.(Number(value));
        return;
      default:
        // Unknown fields are ignored.
        return;
    }
  }

  private addData(value: string): void {
    const bytes = Buffer.byteLength(value, 'utf8') + 1;
    if (this.dataBytes + bytes > this.maxEventBytes + 1) {
      this.overflow();
      return;
    }
    this.data.push(value);
    this.dataBytes += bytes;
  }

  private overflow(): void {
    this.partial = '';
    this.resetEvent();
    this.discarding = true;
    this.handlers.onOversize?.(this.maxEventBytes);
  }

  private dispatch(): void {
    const wasDiscarding = this.discarding;
    const data = this.data;
    const event = this.eventType === '' ? 'message' : this.eventType;
    this.resetEvent();
    if (wasDiscarding || data.length === 0) return;
    this.handlers.onEvent({ event, data: data.join('\n'), id: this.lastId });
  }

  private resetEvent(): void {
    this.data = [];
    this.dataBytes = 0;
    this.eventType = '';
    this.discarding = false;
  }
}
