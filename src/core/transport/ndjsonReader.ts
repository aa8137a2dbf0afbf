/**
 * Reads MCP's stdio framing: one JSON-RPC message per line, UTF-8, LF-terminated (a CR before the
 * LF is tolerated). vscode-jsonrpc's own reader expects `Content-Length` headers, which MCP servers
 * do not send, so this reader sits on its `AbstractMessageReader` instead.
 *
 * What does not parse is never fatal to the stream:
 * - a line that is not JSON (a server printing a banner to stdout) is skipped and reported as noise;
 * - JSON that is not a JSON-RPC 2.0 message, or bytes that are not UTF-8, are skipped and reported
 *   through `onError`;
 * - a line longer than the cap is discarded up to its newline and reported through `onError`, so a
 *   flood cannot grow the buffer without bound.
 */
import { AbstractMessageReader, type DataCallback, Disposable, Emitter, type Event, type Message } from 'vscode-jsonrpc/node';
import type { Readable } from 'node:stream';

export const DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

export interface NdjsonReaderOptions {
  /** Longest accepted line, in bytes, not counting the newline. */
  maxMessageBytes?: number;
}

export interface NoiseEvent {
  /** The skipped line, cut to a readable length. */
  line: string;
}

/** Reported through `onError` when a line over the cap was discarded: a message was lost. */
export class MessageTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`A message exceeded the ${limitBytes}-byte limit and was discarded.`);
    this.name = 'MessageTooLargeError';
  }
}

const LF = 0x0a;
const CR = 0x0d;
const NOISE_PREVIEW_CHARS = 200;

export class NdjsonMessageReader extends AbstractMessageReader {
  private readonly maxMessageBytes: number;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private readonly noiseEmitter = new Emitter<NoiseEvent>();
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private discarding = false;
  private callback: DataCallback | undefined;
  private readonly early: Buffer[] = [];
  private ended = false;

  constructor(
    private readonly readable: Readable,
    options: NdjsonReaderOptions = {},
  ) {
    super();
    this.maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    // Attach at once: bytes that arrive before `listen` are kept, not lost.
    readable.on('data', this.onData);
    readable.on('error', this.onStreamError);
    readable.on('end', this.onEnd);
    readable.on('close', this.onEnd);
  }

  /** Lines that were not JSON at all: log them, they are not protocol errors. */
  get onNoise(): Event<NoiseEvent> {
    return this.noiseEmitter.event;
  }

  listen(callback: DataCallback): Disposable {
    this.callback = callback;
    for (const chunk of this.early.splice(0)) this.consume(chunk);
    if (this.ended) this.fireClose();
    return Disposable.create(() => {
      this.callback = undefined;
    });
  }

  override dispose(): void {
    this.readable.off('data', this.onData);
    this.readable.off('error', this.onStreamError);
    this.readable.off('end', this.onEnd);
    this.readable.off('close', this.onEnd);
    this.noiseEmitter.dispose();
    super.dispose();
  }

  private readonly onData = (chunk: Buffer | string): void => {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    if (this.callback) this.consume(buffer);
    else this.early.push(buffer);
  };

  private readonly onStreamError = (error: Error): void => {
    this.fireError(error);
  };

  private readonly onEnd = (): void => {
    if (this.ended) return;
    this.ended = true;
    if (this.callback) this.fireClose();
  };

  private consume(chunk: Buffer): void {
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(LF, start);
      if (newline === -1) {
        this.keepPartial(chunk.subarray(start));
        return;
      }
      const piece = chunk.subarray(start, newline);
      start = newline + 1;
      if (this.discarding) {
        this.discarding = false;
        continue;
      }
      if (this.pendingBytes + piece.length > this.maxMessageBytes) {
        this.dropPending();
        this.reportOversize();
        continue;
      }
      const line = this.pending.length === 0 ? piece : Buffer.concat([...this.pending, piece]);
      this.pending = [];
      this.pendingBytes = 0;
      this.handleLine(line);
    }
  }

  private keepPartial(part: Buffer): void {
    if (this.discarding || part.length === 0) return;
    if (this.pendingBytes + part.length > this.maxMessageBytes) {
      this.dropPending();
      this.discarding = true;
      this.reportOversize();
      return;
    }
    this.pending.push(part);
    this.pendingBytes += part.length;
  }

  private dropPending(): void {
    this.pending = [];
    this.pendingBytes = 0;
  }

  private reportOversize(): void {
    this.fireError(new MessageTooLargeError(this.maxMessageBytes));
  }

  private handleLine(raw: Buffer): void {
    const line = raw.length > 0 && raw[raw.length - 1] === CR ? raw.subarray(0, raw.length - 1) : raw;
    if (line.length === 0) return;
    let text: string;
    try {
      text = this.decoder.decode(line);
    } catch {
      this.fireError(new Error(`A line of ${line.length} bytes is not valid UTF-8 and was skipped.`));
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.noiseEmitter.fire({ line: preview(text) });
      return;
    }
    const problem = jsonRpcProblem(value);
    if (problem !== undefined) {
      this.fireError(new Error(`Skipped a malformed JSON-RPC message (${problem}): ${preview(text)}`));
      return;
    }
    this.callback?.(value as Message);
  }
}

function preview(text: string): string {
  return text.length > NOISE_PREVIEW_CHARS ? `${text.slice(0, NOISE_PREVIEW_CHARS)}…` : text;
}

/** Why a parsed value is not a JSON-RPC 2.0 request, notification or response, or undefined. */
export function jsonRpcProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return Array.isArray(value) ? 'batches are not part of MCP' : 'not an object';
  }
  const message = value as Record<string, unknown>;
  if (message.jsonrpc !== '2.0') return 'jsonrpc is not "2.0"';
  const hasId = 'id' in message;
  const id = message.id;
  if (hasId && typeof id !== 'string' && typeof id !== 'number' && id !== null) return 'id is not a string or number';
  if ('method' in message) {
    if (typeof message.method !== 'string' || message.method.length === 0) return 'method is not a string';
    if ('params' in message && (typeof message.params !== 'object' || message.params === null)) {
      return 'params is not an object';
    }
    return undefined;
  }
  if (!hasId) return 'neither a method nor an id';
  const hasResult = 'result' in message;
  const hasError = 'error' in message;
  if (hasResult === hasError) return 'a response needs exactly one of result and error';
  if (hasError) {
    const error = message.error as Record<string, unknown> | null;
    if (typeof error !== 'object' || error === null || typeof error.code !== 'number' || typeof error.message !== 'string') {
      return 'error needs a numeric code and a message';
    }
  }
  return undefined;
}
