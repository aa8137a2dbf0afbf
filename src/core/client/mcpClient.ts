/**
 * One MCP session over one transport: the `initialize` handshake with version negotiation, paged
 * `tools/list`, `tools/call` with a timeout (reset by progress, within a hard maximum),
 * cancellation and progress, and `ping`. Every response is checked against its schema, and every
 * response id against the requests sent (see `ResponseGuard`). The client never restarts anything:
 * when the transport ends, every pending call fails with SERVER_CRASHED and `onDidClose` fires;
 * when the server breaks the protocol beyond repair (a message over the size limit) or a
 * supervisor calls `terminate`, the client kills the process itself. Supervision is the caller's job.
 */
import {
  CancellationTokenSource,
  Emitter,
  ResponseError,
  createMessageConnection,
  type Event,
  type Logger,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import { Initialize, Initialized, JsonRpcErrorCode, Ping, Progress, ToolsCall, ToolsList, ToolsListChanged } from '../protocol/methods';
import {
  describeSchemaErrors,
  validateCallToolResult,
  validateInitializeResult,
  validateListToolsResult,
  validateProgressParams,
} from '../protocol/schemas';
import type {
  CallToolResult,
  Implementation,
  InitializeResult,
  JsonObject,
  ProgressParams,
  ServerCapabilities,
  Tool,
} from '../protocol/types';
import { LATEST_PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS, isSupportedProtocolVersion } from '../protocol/versions';
import type { Clock } from '../util/clock';
import { systemClock } from '../util/clock';
import { WardenError, errorMessage } from '../util/errors';
import { MessageTooLargeError } from '../transport/ndjsonReader';
import { describeExit, type McpTransport, type TransportExit } from '../transport/transport';
import { CallDeadline } from './callDeadline';
import { ClientCancellation, type RequestContext } from './requestCancellation';
import { ResponseGuard } from './responseGuard';

export interface McpClientOptions {
  readonly clientInfo: Implementation;
  readonly log: (line: string) => void;
  readonly initializeTimeoutMs: number;
  /** Stop following `nextCursor` after this many pages: a lying server must not loop us forever. */
  readonly maxToolPages?: number;
  /** Time for timeouts and the activity stamp; injectable for tests. */
  readonly clock?: Clock;
}

export interface RequestOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

export interface CallOptions extends RequestOptions {
  readonly onProgress?: (progress: ProgressParams) => void;
  /** The most the call may take in all, however often progress resets the timeout. Default: 10 × timeoutMs. */
  readonly maxTotalMs?: number;
  /**
   * A deadline that is already running, when time spent before the call (waiting for a slot or a
   * restart) counts against its budget. It then replaces timeoutMs, maxTotalMs and signal, and
   * stays its owner's to dispose.
   */
  readonly deadline?: CallDeadline;
}

/** Why the client ended a session on its own. */
export interface Termination {
  readonly code: 'SERVER_CRASHED' | 'PROTOCOL_ERROR';
  /** A clause: "it did not answer a ping within 5 s". */
  readonly reason: string;
}

/** Counts for leak checks: all zero on an idle session (cancelled, unanswered requests aside). */
export interface ClientCounts {
  readonly pendingRequests: number;
  readonly progressHandlers: number;
  readonly awaitingResponses: number;
}

export interface SessionInfo {
  readonly protocolVersion: string;
  readonly serverInfo: Implementation;
  readonly capabilities: ServerCapabilities;
  readonly instructions?: string;
}

const DEFAULT_MAX_TOOL_PAGES = 100;

export class McpClient {
  private readonly connection: MessageConnection;
  private readonly cancellation = new ClientCancellation();
  private readonly guard: ResponseGuard;
  private readonly clock: Clock;
  private readonly pending = new Set<() => void>();
  private readonly progressHandlers = new Map<string | number, (p: ProgressParams) => void>();
  private readonly closeEmitter = new Emitter<TransportExit>();
  private readonly toolsChangedEmitter = new Emitter<void>();
  private nextProgressToken = 1;
  private exit: TransportExit | undefined;
  private termination: Termination | undefined;
  private session: SessionInfo | undefined;

  /** Fires once when the transport ends, whoever ended it. */
  readonly onDidClose: Event<TransportExit> = this.closeEmitter.event;
  /** The server announced `notifications/tools/list_changed`. */
  readonly onDidChangeTools: Event<void> = this.toolsChangedEmitter.event;

  private constructor(
    private readonly transport: McpTransport,
    private readonly options: McpClientOptions,
  ) {
    const log = options.log;
    const logger: Logger = { error: log, warn: log, info: log, log };
    this.clock = options.clock ?? systemClock;
    this.guard = new ResponseGuard((line) => log(`protocol: ${line}`), this.clock);
    this.connection = createMessageConnection(this.guard.wrapReader(transport.reader), this.guard.wrapWriter(transport.writer), logger, {
      cancellationStrategy: this.cancellation,
    });
    this.connection.onError(([error]) => this.onProtocolError(error));
    this.connection.onNotification(ToolsListChanged.type, () => this.toolsChangedEmitter.fire());
    this.connection.onNotification(Progress.type, (params) => this.onProgress(params));
    this.connection.onUnhandledNotification((n) => log(`ignored notification "${n.method}"`));
    transport.onDidLog(log);
    transport.onDidExit((exit) => this.onExit(exit));
    this.connection.listen();
  }

  /** Connects and runs the handshake; on any failure the transport is closed before rejecting. */
  static async connect(transport: McpTransport, options: McpClientOptions): Promise<McpClient> {
    const client = new McpClient(transport, options);
    try {
      await client.initialize();
      return client;
    } catch (error) {
      await client.close();
      throw error;
    }
  }

  get info(): SessionInfo {
    if (!this.session) throw new WardenError('SERVER_NOT_RUNNING', 'The session has not been initialized.');
    return this.session;
  }

  /** The server's process id, where it is a local process. */
  get pid(): number | undefined {
    return this.transport.pid;
  }

  get isClosed(): boolean {
    return this.exit !== undefined || this.termination !== undefined;
  }

  /** Why the client ended the session itself, if it did. */
  get terminated(): Termination | undefined {
    return this.termination;
  }

  /** When a message last went to or came from the server (clock milliseconds). */
  get lastActivityAt(): number {
    return this.guard.lastActivityAt;
  }

  get counts(): ClientCounts {
    return { pendingRequests: this.pending.size, progressHandlers: this.progressHandlers.size, awaitingResponses: this.guard.awaitingCount };
  }

  async listTools(options: RequestOptions): Promise<Tool[]> {
    const tools: Tool[] = [];
    const seen = new Set<string>();
    let cursor: string | undefined;
    const maxPages = this.options.maxToolPages ?? DEFAULT_MAX_TOOL_PAGES;
    for (let page = 0; page < maxPages; page++) {
      const raw: unknown = await this.withDeadline(options, (deadline) =>
        this.request((token) => this.connection.sendRequest(ToolsList.type, cursor === undefined ? {} : { cursor }, token), { what: 'tools/list', deadline }),
      );
      if (!validateListToolsResult(raw)) {
        throw new WardenError('PROTOCOL_ERROR', `The server sent an invalid tools/list result: ${describeSchemaErrors(validateListToolsResult.errors)}.`);
      }
      tools.push(...raw.tools);
      if (raw.nextCursor === undefined) return tools;
      if (seen.has(raw.nextCursor)) {
        throw new WardenError('PROTOCOL_ERROR', 'The server repeated a tools/list cursor; its tool list never ends.');
      }
      seen.add(raw.nextCursor);
      cursor = raw.nextCursor;
    }
    throw new WardenError('PROTOCOL_ERROR', `The server's tool list did not end within ${maxPages} pages.`);
  }

  async callTool(name: string, args: JsonObject, options: CallOptions): Promise<CallToolResult> {
    const deadline = options.deadline ?? CallDeadline.start({ ...options, clock: this.clock });
    let progressToken: number | undefined;
    if (options.onProgress) {
      const onProgress = options.onProgress;
      progressToken = this.nextProgressToken++;
      this.progressHandlers.set(progressToken, (progress) => {
        deadline.touch();
        onProgress(progress);
      });
    }
    try {
      const params = progressToken === undefined ? { name, arguments: args } : { name, arguments: args, _meta: { progressToken } };
      const what = `tool "${name}"`;
      const raw: unknown = await this.request((token) => this.connection.sendRequest(ToolsCall.type, params, token), {
        what,
        deadline,
        hint: 'If the tool needs longer, give it a longer timeout.',
      });
      if (!validateCallToolResult(raw)) {
        throw new WardenError('PROTOCOL_ERROR', `The server sent an invalid result for tool "${name}": ${describeSchemaErrors(validateCallToolResult.errors)}.`);
      }
      return raw;
    } finally {
      if (progressToken !== undefined) this.progressHandlers.delete(progressToken);
      if (deadline !== options.deadline) deadline.dispose();
    }
  }

  async ping(options: RequestOptions): Promise<void> {
    await this.withDeadline(options, (deadline) => this.request((token) => this.connection.sendRequest(Ping.type, token), { what: 'ping', deadline }));
  }

  /**
   * Ends the session because the server misbehaved: pending calls fail at once with `reason`, and
   * the process is killed without the polite steps (it is not listening anyway).
   */
  async terminate(termination: Termination): Promise<void> {
    if (!this.exit && !this.termination) {
      this.termination = termination;
      this.options.log(`Stopping the server: ${termination.reason}.`);
      this.failPending();
    }
    void this.transport.close();
    // The transport contract: a second close while one is in flight forces the peer down.
    await this.transport.close();
  }

  /** Ends the session and the transport. Idempotent. */
  async close(): Promise<void> {
    await this.transport.close();
  }

  private async initialize(): Promise<void> {
    const raw: unknown = await this.withDeadline({ timeoutMs: this.options.initializeTimeoutMs }, (deadline) =>
      this.request(
        () =>
          this.connection.sendRequest(Initialize.type, {
            protocolVersion: LATEST_PROTOCOL_VERSION,
            capabilities: {},
            clientInfo: this.options.clientInfo,
          }),
        { what: 'initialize', deadline, cancellable: false },
      ),
    );
    if (!validateInitializeResult(raw)) {
      throw new WardenError('PROTOCOL_ERROR', `The server sent an invalid initialize result: ${describeSchemaErrors(validateInitializeResult.errors)}.`);
    }
    const result: InitializeResult = raw;
    if (!isSupportedProtocolVersion(result.protocolVersion)) {
      throw new WardenError(
        'UNSUPPORTED_PROTOCOL_VERSION',
        `The server speaks MCP ${result.protocolVersion}; Warden speaks ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')}.`,
      );
    }
    this.session = {
      protocolVersion: result.protocolVersion,
      serverInfo: result.serverInfo,
      capabilities: result.capabilities,
      ...(result.instructions !== undefined && { instructions: result.instructions }),
    };
    await this.connection.sendNotification(Initialized.type);
  }

  private async withDeadline<T>(options: RequestOptions, run: (deadline: CallDeadline) => Promise<T>): Promise<T> {
    const deadline = CallDeadline.start({ ...options, maxTotalMs: options.timeoutMs, clock: this.clock });
    try {
      return await run(deadline);
    } finally {
      deadline.dispose();
    }
  }

  /**
   * Sends one request and settles on the first of: the response, the deadline (timeout or the
   * caller's abort), or the end of the session. Timeouts and aborts send `notifications/cancelled`
   * (unless `cancellable` is false, as for `initialize`); a response that arrives later is ignored.
   */
  private request<T>(
    send: (token: CancellationTokenSource['token']) => Promise<T>,
    meta: { what: string; deadline: CallDeadline; cancellable?: boolean; hint?: string },
  ): Promise<T> {
    const { what, deadline } = meta;
    if (this.isClosed) return Promise.reject(this.closedError(what));
    if (deadline.signal.aborted) return Promise.reject(this.abortError(meta));
    const source = new CancellationTokenSource();
    const context: RequestContext = {};
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const settle = (outcome: () => void): void => {
        if (settled) return;
        settled = true;
        deadline.signal.removeEventListener('abort', onAbort);
        this.pending.delete(onClosed);
        outcome();
        source.dispose();
      };
      const onAbort = (): void =>
        settle(() => {
          if (meta.cancellable !== false) {
            context.reason = deadline.wireReason();
            source.cancel();
          }
          this.cancellation.forget(context.id);
          reject(this.abortError(meta));
        });
      const onClosed = (): void => settle(() => reject(this.closedError(what)));
      deadline.signal.addEventListener('abort', onAbort, { once: true });
      this.pending.add(onClosed);
      const sent = this.cancellation.bind(context, () => send(source.token));
      sent.then(
        (value) => settle(() => resolve(value)),
        (error: unknown) => settle(() => reject(this.toWardenError(error, what))),
      );
    });
  }

  private abortError(meta: { what: string; deadline: CallDeadline; hint?: string }): WardenError {
    if (meta.deadline.cancelled) return new WardenError('CANCELLED', `The ${meta.what} call was cancelled.`);
    return meta.deadline.timeoutError(meta.what, meta.hint === undefined ? {} : { hint: meta.hint });
  }

  private toWardenError(error: unknown, what: string): WardenError {
    if (error instanceof WardenError) return error;
    if (error instanceof ResponseError) {
      if (error.code === JsonRpcErrorCode.InvalidParams) return new WardenError('INVALID_ARGUMENTS', error.message, error.data);
      if (error.code === JsonRpcErrorCode.MethodNotFound) {
        return new WardenError('PROTOCOL_ERROR', `The server does not implement ${what}: ${error.message}`);
      }
      return new WardenError('SERVER_ERROR', `The server failed the ${what} call: ${error.message} (code ${error.code}).`, error.data);
    }
    if (this.isClosed) return this.closedError(what);
    return new WardenError('SERVER_ERROR', `The ${what} call failed: ${errorMessage(error)}`);
  }

  private closedError(what: string): WardenError {
    if (this.termination) {
      const { code, reason } = this.termination;
      return new WardenError(code, `Warden stopped the server before it answered the ${what} call: ${reason}.`, this.termination);
    }
    const how = this.exit ? describeExit(this.exit) : 'closed the connection';
    return new WardenError('SERVER_CRASHED', `The server ${how} before answering the ${what} call.`, this.exit);
  }

  private onProtocolError(error: Error): void {
    if (error instanceof MessageTooLargeError) {
      void this.terminate({
        code: 'PROTOCOL_ERROR',
        reason: `it sent a message larger than the ${error.limitBytes}-byte limit, so an answer was lost`,
      }).catch((closeError: unknown) => this.options.log(`Could not stop the server: ${errorMessage(closeError)}`));
      return;
    }
    this.options.log(`protocol: ${error.message}`);
  }

  private failPending(): void {
    for (const fail of [...this.pending]) fail();
    this.pending.clear();
  }

  private onProgress(params: unknown): void {
    if (!validateProgressParams(params)) {
      this.options.log(`ignored malformed progress: ${describeSchemaErrors(validateProgressParams.errors)}`);
      return;
    }
    this.progressHandlers.get(params.progressToken)?.(params);
  }

  private onExit(exit: TransportExit): void {
    this.exit = exit;
    this.failPending();
    this.connection.dispose();
    this.closeEmitter.fire(exit);
    this.closeEmitter.dispose();
    this.toolsChangedEmitter.dispose();
  }
}
