/**
 * The standing GET event stream of a Streamable HTTP session, over which a server sends what is not
 * an answer to a POST (`notifications/tools/list_changed`, its own requests). Opened once the
 * session is initialized; a 405 means the server offers none, and that is fine. When the stream
 * drops it is reopened after a delay (the server's `retry`, else an exponential backoff) with
 * `Last-Event-ID`, so the server can replay what was missed. A 404 means the session is gone; too
 * many failed connections in a row mean the server is unreachable. Both end the stream and are
 * reported to the owner, which ends the transport.
 */
import { abortableDelay } from '../util/abortableDelay';
import type { Clock } from '../util/clock';
import { errorMessage } from '../util/errors';
import { describeFetchError, describeStatus, type HttpEndpoint } from './httpEndpoint';
import { discardBody, isEventStream, readEventStream } from './eventStream';
import { SseParser } from './sseParser';

export interface StandingStreamDeps {
  readonly endpoint: HttpEndpoint;
  readonly clock: Clock;
  readonly maxEventBytes: number;
  readonly reconnect: ReconnectOptions;
  readonly onData: (text: string) => void;
  readonly onOversize: (limitBytes: number) => void;
  /** The stream cannot continue: the session is gone or the server unreachable. */
  readonly onFatal: (reason: { readonly kind: 'sessionGone' | 'unreachable'; readonly message: string }) => void;
  readonly log: (line: string) => void;
}

export interface ReconnectOptions {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Failed connections in a row before the server counts as unreachable. */
  readonly maxFailures: number;
}

export const DEFAULT_RECONNECT: ReconnectOptions = { baseDelayMs: 250, maxDelayMs: 10_000, maxFailures: 4 };

export class StandingStream {
  private readonly abort = new AbortController();
  private lastEventId: string | undefined;
  private retryMs: number | undefined;

  constructor(private readonly deps: StandingStreamDeps) {}

  start(): void {
    this.run().catch((error: unknown) => this.deps.log(`The standing event stream stopped: ${errorMessage(error)}`));
  }

  dispose(): void {
    this.abort.abort();
  }

  private async run(): Promise<void> {
    const signal = this.abort.signal;
    let failures = 0;
    while (!signal.aborted) {
      const outcome = await this.connectOnce(signal);
      if (signal.aborted || outcome === 'stop') return;
      failures = outcome === 'failed' ? failures + 1 : 0;
      if (failures >= this.deps.reconnect.maxFailures) {
        this.deps.onFatal({ kind: 'unreachable', message: `could not be reached at ${this.deps.endpoint.where} ${failures} times in a row` });
        return;
      }
      const backoff = Math.min(this.deps.reconnect.maxDelayMs, this.deps.reconnect.baseDelayMs * 2 ** failures);
      if (!(await abortableDelay(this.deps.clock, this.retryMs ?? backoff, signal))) return;
    }
  }

  /** One connection: `stop` for good, `dropped` after a stream that ran, `failed` when none opened. */
  private async connectOnce(signal: AbortSignal): Promise<'stop' | 'dropped' | 'failed'> {
    let response: Response;
    try {
      response = await this.deps.endpoint.get(this.lastEventId, signal);
    } catch (error) {
      if (!signal.aborted) this.deps.log(`The standing event stream could not connect: ${describeFetchError(error)}.`);
      return 'failed';
    }
    if (response.status === 405) {
      discardBody(response);
      this.deps.log('The server offers no standing event stream (HTTP 405); its notifications arrive only with answers.');
      return 'stop';
    }
    if (response.status === 404) {
      discardBody(response);
      this.deps.onFatal({ kind: 'sessionGone', message: `ended the session (HTTP 404 at ${this.deps.endpoint.where})` });
      return 'stop';
    }
    if (!response.ok || !isEventStream(response)) {
      discardBody(response);
      this.deps.log(`The standing event stream was refused: ${describeStatus(response)}${response.ok ? ' (not an event stream)' : ''}.`);
      return 'failed';
    }
    const parser = new SseParser(
      {
        onEvent: (event) => {
          if (event.event === 'message') this.deps.onData(event.data);
        },
        onRetry: (ms) => {
          this.retryMs = ms;
        },
        onOversize: this.deps.onOversize,
      },
      this.deps.maxEventBytes,
    );
    try {
      await readEventStream(response, parser, signal);
    } catch (error) {
      if (!signal.aborted) this.deps.log(`The standing event stream broke: ${describeFetchError(error)}; reconnecting.`);
    } finally {
      this.lastEventId = parser.lastEventId ?? this.lastEventId;
    }
    return 'dropped';
  }
}
