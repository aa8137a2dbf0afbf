/**
 * The event stream a server opens in answer to one POSTed request. It carries the request's
 * progress, any requests or notifications the server sends meanwhile, and finally the answer. If
 * it drops before the answer, it is resumed with a GET carrying `Last-Event-ID` (after the
 * server's `retry` delay, else a short backoff), so nothing is lost; a stream that cannot be
 * resumed (no event ids, or the resumption fails) is reported through `onLost`, and the owner
 * answers the request with an error. Aborting (a cancelled request, a closed transport) stops it.
 */
import type { Message } from 'vscode-jsonrpc/node';
import { abortableDelay } from '../util/abortableDelay';
import type { Clock } from '../util/clock';
import { describeFetchError, describeStatus, type HttpEndpoint } from './httpEndpoint';
import { discardBody, isEventStream, readEventStream } from './eventStream';
import { SseParser } from './sseParser';
import type { ReconnectOptions } from './standingStream';

export interface RequestStreamDeps {
  readonly endpoint: HttpEndpoint;
  readonly clock: Clock;
  readonly maxEventBytes: number;
  readonly reconnect: ReconnectOptions;
  /** Passes one message's text on; returns the message if it was one. */
  readonly onData: (text: string) => Message | undefined;
  readonly onOversize: (limitBytes: number) => void;
  /** The answer will not come over this stream; `why` is a clause. */
  readonly onLost: (why: string) => void;
  readonly onSessionGone: () => void;
  readonly log: (line: string) => void;
}

export class RequestStream {
  private lastEventId: string | undefined;
  private retryMs: number | undefined;
  private answered = false;

  constructor(
    private readonly requestId: string | number,
    private readonly deps: RequestStreamDeps,
    private readonly signal: AbortSignal,
  ) {}

  /** Reads `first` (the POST's response), resuming as needed, until the answer came or it is lost. */
  async run(first: Response): Promise<void> {
    let response: Response | undefined = first;
    let failures = 0;
    while (!this.signal.aborted) {
      if (response) {
        const broke = await this.read(response);
        if (this.answered || this.signal.aborted) return;
        if (this.lastEventId === undefined) {
          this.deps.onLost(broke ? `the stream broke before the answer (${broke})` : 'the stream ended before the answer');
          return;
        }
      } else if (++failures >= this.deps.reconnect.maxFailures) {
        this.deps.onLost(`the stream dropped before the answer and could not be resumed after ${failures} tries`);
        return;
      }
      const backoff = Math.min(this.deps.reconnect.maxDelayMs, this.deps.reconnect.baseDelayMs * 2 ** failures);
      if (!(await abortableDelay(this.deps.clock, this.retryMs ?? backoff, this.signal))) return;
      const resumed = await this.resume();
      if (resumed === 'stop') return;
      response = resumed;
    }
  }

  /** A GET that picks the stream up after the last event seen; undefined to try again, `stop` when it cannot. */
  private async resume(): Promise<Response | undefined | 'stop'> {
    let response: Response;
    try {
      response = await this.deps.endpoint.get(this.lastEventId, this.signal);
    } catch (error) {
      if (!this.signal.aborted) this.deps.log(`Resuming the answer stream failed: ${describeFetchError(error)}.`);
      return undefined;
    }
    if (response.status === 404) {
      discardBody(response);
      this.deps.onSessionGone();
      return 'stop';
    }
    if (!response.ok || !isEventStream(response)) {
      discardBody(response);
      this.deps.onLost(`the stream dropped before the answer and the server refused to resume it (${describeStatus(response)})`);
      return 'stop';
    }
    return response;
  }

  /** Reads one response to its end; returns why it broke, or undefined when it ended normally. */
  private async read(response: Response): Promise<string | undefined> {
    // Stop reading once the answer came, whether or not the server closes the stream.
    const done = new AbortController();
    const stop = (): void => done.abort();
    this.signal.addEventListener('abort', stop, { once: true });
    const parser = new SseParser(
      {
        onEvent: (event) => {
          if (event.event !== 'message') return;
          const message = this.deps.onData(event.data);
          if (message && 'id' in message && message.id === this.requestId && !('method' in message)) {
            this.answered = true;
            stop();
          }
        },
        onRetry: (ms) => {
          this.retryMs = ms;
        },
        onOversize: this.deps.onOversize,
      },
      this.deps.maxEventBytes,
    );
    try {
      await readEventStream(response, parser, done.signal);
      return undefined;
    } catch (error) {
      return describeFetchError(error);
    } finally {
      this.signal.removeEventListener('abort', stop);
      this.lastEventId = parser.lastEventId ?? this.lastEventId;
    }
  }
}
