/**
 * The client side of MCP's Streamable HTTP transport, as an `McpTransport`: each message is its
 * own POST; a request's answer comes back as JSON or as an event stream that may also carry the
 * server's own requests and notifications (`RequestStream`); once the session is initialized a
 * standing GET stream carries the rest (`StandingStream`). The session id comes from the
 * initialize response and the protocol version from its result; both go on every later request.
 *
 * A session the server no longer knows (HTTP 404) and a server that cannot be reached end the
 * transport with a reason, exactly as a crashed process would: supervision then restarts it, and
 * the restart runs `initialize` again, which opens a new session. Backoff, the circuit breaker and
 * the restart limits therefore apply to remote servers as to local ones. `close` ends the session
 * with a DELETE (bounded by a timeout; a second `close` does not wait for it).
 */
import { Emitter, Message, type NotificationMessage, type RequestMessage } from 'vscode-jsonrpc/node';
import { systemClock, type Clock } from '../util/clock';
import { errorMessage } from '../util/errors';
import { DelegatingMessageWriter } from './delegatingMessageWriter';
import { discardBody, isEventStream, isJson, readCappedBody, type CappedBody } from './eventStream';
import { describeFetchError, describeStatus, HttpEndpoint } from './httpEndpoint';
import { DEFAULT_MAX_MESSAGE_BYTES, MessageTooLargeError } from './ndjsonReader';
import { PushMessageReader } from './pushMessageReader';
import { checkRemoteUrl } from './remoteUrl';
import { RequestStream } from './requestStream';
import { DEFAULT_RECONNECT, StandingStream, type ReconnectOptions } from './standingStream';
import type { McpTransport, TransportExit } from './transport';

export interface StreamableHttpOptions {
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly bearerToken?: string;
  readonly allowInsecureHttp?: boolean;
  /** The longest message accepted, in bytes; a longer one ends the session. Default 16 MiB. */
  readonly maxMessageBytes?: number;
  /** How long `close` waits for the DELETE that ends the session. Default 2 s. */
  readonly closeTimeoutMs?: number;
  readonly reconnect?: Partial<ReconnectOptions>;
  readonly clock?: Clock;
  readonly fetch?: typeof fetch;
}

/** One POST in flight: aborted when the transport ends or its request is cancelled. */
interface Exchange {
  readonly controller: AbortController;
  /** Forgets the exchange once nothing reads its response any more. */
  readonly release: () => void;
}

type TransportState =
  | { readonly kind: 'open' }
  | { readonly kind: 'closing'; readonly done: Promise<void>; readonly abortDelete: AbortController }
  | { readonly kind: 'closed'; readonly exit: TransportExit };

/** The most of an error body quoted back to the caller. */
const ERROR_BODY_BYTES = 64 * 1024;
const INTERNAL_ERROR = -32603;

export class StreamableHttpTransport implements McpTransport {
  readonly reader = new PushMessageReader();
  readonly writer = new DelegatingMessageWriter((message) => this.send(message));
  readonly pid = undefined;
  private readonly exitEmitter = new Emitter<TransportExit>();
  private readonly logEmitter = new Emitter<string>();
  private state: TransportState = { kind: 'open' };
  private readonly target: HttpEndpoint | { readonly error: string };
  /** Aborts every exchange and stream when the transport ends. */
  private readonly streams = new AbortController();
  private readonly requestStreams = new Map<string | number, AbortController>();
  private standing: StandingStream | undefined;
  private initializeId: string | number | undefined;
  private readonly clock: Clock;
  private readonly maxMessageBytes: number;
  private readonly reconnect: ReconnectOptions;

  readonly onDidExit = this.exitEmitter.event;
  readonly onDidLog = this.logEmitter.event;

  constructor(private readonly options: StreamableHttpOptions) {
    this.clock = options.clock ?? systemClock;
    this.maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    this.reconnect = { ...DEFAULT_RECONNECT, ...options.reconnect };
    const checked = checkRemoteUrl(options.url, { allowInsecureHttp: options.allowInsecureHttp === true });
    if (checked.ok) {
      this.target = new HttpEndpoint({
        url: checked.url,
        ...(options.headers && { headers: options.headers }),
        ...(options.bearerToken !== undefined && { bearerToken: options.bearerToken }),
        ...(options.fetch && { fetch: options.fetch }),
      });
    } else {
      this.target = { error: `cannot connect to ${options.url}: ${checked.error}` };
      const spawnError = this.target.error;
      // Reported after the constructor returns, when the client listens, as a failed spawn would be.
      queueMicrotask(() => this.finish({ code: null, signal: null, spawnError }));
    }
  }

  close(): Promise<void> {
    switch (this.state.kind) {
      case 'closed':
        return Promise.resolve();
      case 'closing':
        // A second close does not wait for the server to confirm.
        this.state.abortDelete.abort();
        return this.state.done;
      case 'open': {
        const abortDelete = new AbortController();
        const done = this.shutdown(abortDelete);
        this.state = { kind: 'closing', done, abortDelete };
        return done;
      }
    }
  }

  private async shutdown(abortDelete: AbortController): Promise<void> {
    this.stopStreams();
    const endpoint = this.target;
    if (endpoint instanceof HttpEndpoint && endpoint.sessionId !== undefined) {
      const timer = this.clock.setTimer(this.options.closeTimeoutMs ?? 2_000, () => abortDelete.abort());
      try {
        const response = await endpoint.delete(abortDelete.signal);
        discardBody(response);
        // 405: the server does not let clients end sessions; 404: it already forgot this one.
        if (!response.ok && response.status !== 405 && response.status !== 404) this.log(`Ending the session was refused: ${describeStatus(response)}.`);
      } catch (error) {
        if (!abortDelete.signal.aborted) this.log(`Could not end the session: ${describeFetchError(error)}.`);
      } finally {
        timer.dispose();
      }
    }
    this.finish({ code: null, signal: null, reason: 'closed the session' });
  }

  /** Ends the transport because the server cannot be used any more; `reason` follows "the server". */
  private end(reason: string, sessionEnded = false): void {
    if (this.state.kind !== 'open') return;
    this.stopStreams();
    this.finish({ code: null, signal: null, reason, ...(sessionEnded && { sessionEnded }) });
  }

  private stopStreams(): void {
    this.streams.abort();
    this.standing?.dispose();
    this.standing = undefined;
  }

  private finish(exit: TransportExit): void {
    if (this.state.kind === 'closed') return;
    this.state = { kind: 'closed', exit };
    this.writer.end();
    this.exitEmitter.fire(exit);
    this.reader.end();
    this.exitEmitter.dispose();
    this.logEmitter.dispose();
  }

  private log(line: string): void {
    this.logEmitter.fire(`[http] ${line}`);
  }

  private async send(message: Message): Promise<void> {
    const endpoint = this.target;
    if (this.state.kind !== 'open' || !(endpoint instanceof HttpEndpoint)) throw new Error('The connection is closed; the message was not sent.');
    const request = Message.isRequest(message) ? message : undefined;
    if (request?.method === 'initialize' && request.id !== null) this.initializeId = request.id;
    const exchange = new AbortController();
    const stop = (): void => exchange.abort();
    this.streams.signal.addEventListener('abort', stop, { once: true });
    if (request && request.id !== null) this.requestStreams.set(request.id, exchange);
    let handedOff = false;
    try {
      let response: Response;
      try {
        response = await endpoint.post(JSON.stringify(message), exchange.signal);
      } catch (error) {
        if (this.state.kind !== 'open') throw new Error('The connection closed before the message was sent.');
        // Its request was cancelled before the server answered: nothing is wrong with the server.
        if (exchange.signal.aborted) return;
        const reason = `could not be reached at ${endpoint.where}: ${describeFetchError(error)}`;
        this.end(reason);
        throw new Error(`The server ${reason}.`);
      }
      if (Message.isNotification(message)) this.afterNotification(message);
      handedOff = await this.onResponse(endpoint, message, request, response, { controller: exchange, release: () => this.releaseExchange(request, exchange, stop) });
    } finally {
      if (!handedOff) this.releaseExchange(request, exchange, stop);
    }
  }

  /** Handles a POST's response; true when a request stream now owns the exchange (and releases it). */
  private async onResponse(endpoint: HttpEndpoint, message: Message, request: RequestMessage | undefined, response: Response, exchange: Exchange): Promise<boolean> {
    if (response.status === 404 && endpoint.sessionId !== undefined) {
      discardBody(response);
      this.sessionGone(endpoint);
      throw new Error(`The server ended the session (HTTP 404); the message was not delivered.`);
    }
    if (!response.ok) {
      await this.onRefused(message, request, response);
      return false;
    }
    if (request?.method === 'initialize') {
      const problem = endpoint.adoptSession(response);
      if (problem !== undefined) {
        discardBody(response);
        this.end(problem);
        throw new Error(`The server ${problem}.`);
      }
    }
    if (!request) {
      discardBody(response);
      return false;
    }
    if (isEventStream(response)) {
      this.followStream(endpoint, request, response, exchange);
      return true;
    }
    if (isJson(response)) {
      await this.readJsonAnswer(request, response, exchange.controller.signal);
      return false;
    }
    discardBody(response);
    this.answerWithError(request, `The server accepted the ${request.method} request without answering it (HTTP ${response.status}, ${response.headers.get('content-type') ?? 'no content type'}).`);
    return false;
  }

  private async readJsonAnswer(request: RequestMessage, response: Response, signal: AbortSignal): Promise<void> {
    let body: CappedBody;
    try {
      body = await readCappedBody(response, this.maxMessageBytes);
    } catch (error) {
      if (!signal.aborted) this.answerWithError(request, `The connection broke before the answer to the ${request.method} request arrived: ${describeFetchError(error)}.`);
      return;
    }
    if (body.kind === 'tooLarge') this.reader.fail(new MessageTooLargeError(body.limitBytes));
    else this.receive(body.text);
  }

  private followStream(endpoint: HttpEndpoint, request: RequestMessage, response: Response, exchange: Exchange): void {
    const stream = new RequestStream(
      request.id ?? '',
      {
        endpoint,
        clock: this.clock,
        maxEventBytes: this.maxMessageBytes,
        reconnect: this.reconnect,
        onData: (text) => this.receive(text),
        onOversize: (limit) => this.reader.fail(new MessageTooLargeError(limit)),
        onLost: (why) => this.answerWithError(request, `The server did not answer the ${request.method} request: ${why}.`),
        onSessionGone: () => this.sessionGone(endpoint),
        log: (line) => this.log(line),
      },
      exchange.controller.signal,
    );
    stream
      .run(response)
      .catch((error: unknown) => this.answerWithError(request, `Reading the answer to the ${request.method} request failed: ${errorMessage(error)}.`))
      .finally(exchange.release);
  }

  private releaseExchange(request: RequestMessage | undefined, exchange: AbortController, stop: () => void): void {
    this.streams.signal.removeEventListener('abort', stop);
    if (request && request.id !== null && this.requestStreams.get(request.id) === exchange) this.requestStreams.delete(request.id);
  }

  /** A refused POST: a request is answered with the server's error (or one naming the status). */
  private async onRefused(message: Message, request: RequestMessage | undefined, response: Response): Promise<void> {
    const status = describeStatus(response);
    if (!request) {
      discardBody(response);
      const what = Message.isNotification(message) ? `the ${message.method} notification` : 'a response';
      this.log(`The server refused ${what}: ${status}.`);
      return;
    }
    const body = await readCappedBody(response, ERROR_BODY_BYTES);
    const serverError = body.kind === 'text' ? jsonRpcErrorIn(body.text) : undefined;
    const detail = serverError ? `: ${serverError.message}` : '';
    this.answerWithError(request, `The server refused the ${request.method} request (${status})${detail}`, serverError?.code);
  }

  private afterNotification(message: NotificationMessage): void {
    if (message.method === 'notifications/initialized') this.openStandingStream();
    if (message.method === 'notifications/cancelled') {
      const params = message.params as { requestId?: unknown } | undefined;
      const id = params?.requestId;
      // The server was told; stop reading a stream whose answer nobody awaits.
      if (typeof id === 'string' || typeof id === 'number') this.requestStreams.get(id)?.abort();
    }
  }

  private openStandingStream(): void {
    const endpoint = this.target;
    if (this.standing || this.state.kind !== 'open' || !(endpoint instanceof HttpEndpoint)) return;
    this.standing = new StandingStream({
      endpoint,
      clock: this.clock,
      maxEventBytes: this.maxMessageBytes,
      reconnect: this.reconnect,
      onData: (text) => void this.receive(text),
      onOversize: (limit) => this.reader.fail(new MessageTooLargeError(limit)),
      onFatal: (fatal) => (fatal.kind === 'sessionGone' ? this.sessionGone(endpoint) : this.end(fatal.message)),
      log: (line) => this.log(line),
    });
    this.standing.start();
  }

  private sessionGone(endpoint: HttpEndpoint): void {
    this.end(`ended the session (HTTP 404 at ${endpoint.where})`, true);
  }

  /** Passes a message on; the answer to initialize also settles the protocol version. */
  private receive(text: string): Message | undefined {
    if (this.state.kind !== 'open') return undefined;
    const message = this.reader.deliver(text);
    if (message && Message.isResponse(message) && message.id === this.initializeId && this.target instanceof HttpEndpoint) {
      const version = (message.result as { protocolVersion?: unknown } | undefined)?.protocolVersion;
      if (typeof version === 'string') this.target.protocolVersion = version;
    }
    return message;
  }

  /** Answers a request locally, so its caller gets an error instead of waiting for a timeout. */
  private answerWithError(request: RequestMessage, text: string, code = INTERNAL_ERROR): void {
    if (this.state.kind !== 'open') return;
    this.reader.deliver(JSON.stringify({ jsonrpc: '2.0', id: request.id, error: { code, message: text } }));
  }
}

/** The JSON-RPC error in an error body, if it holds one. */
function jsonRpcErrorIn(text: string): { code: number; message: string } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const error = (value as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  if (typeof error?.code === 'number' && typeof error.message === 'string') return { code: error.code, message: error.message };
  return undefined;
}
