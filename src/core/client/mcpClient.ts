/**
 * One MCP session over one transport: the `initialize` handshake with version negotiation, paged
 * `tools/list`, `tools/call` with a timeout, cancellation and progress, and `ping`. Every response
 * is checked against its schema. The client never restarts anything: when the transport ends, every
 * pending call fails with SERVER_CRASHED and `onDidClose` fires; supervision is the caller's job.
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
import { WardenError, errorMessage } from '../util/errors';
import { describeExit, type McpTransport, type TransportExit } from '../transport/transport';
import { ClientCancellation, type RequestContext } from './requestCancellation';

export interface McpClientOptions {
  readonly clientInfo: Implementation;
  readonly log: (line: string) => void;
  readonly initializeTimeoutMs: number;
  /** Stop following `nextCursor` after this many pages: a lying server must not loop us forever. */
  readonly maxToolPages?: number;
}

export interface RequestOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

export interface CallOptions extends RequestOptions {
  readonly onProgress?: (progress: ProgressParams) => void;
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
  private readonly pending = new Set<() => void>();
  private readonly progressHandlers = new Map<string | number, (p: ProgressParams) => void>();
  private readonly closeEmitter = new Emitter<TransportExit>();
  private readonly toolsChangedEmitter = new Emitter<void>();
  private nextProgressToken = 1;
  private exit: TransportExit | undefined;
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
    this.connection = createMessageConnection(transport.reader, transport.writer, logger, {
      cancellationStrategy: this.cancellation,
    });
    this.connection.onError(([error]) => log(`protocol: ${error.message}`));
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
    return this.exit !== undefined;
  }

  async listTools(options: RequestOptions): Promise<Tool[]> {
    const tools: Tool[] = [];
    const seen = new Set<string>();
    let cursor: string | undefined;
    const maxPages = this.options.maxToolPages ?? DEFAULT_MAX_TOOL_PAGES;
    for (let page = 0; page < maxPages; page++) {
      const raw: unknown = await this.request((token) =>
        this.connection.sendRequest(ToolsList.type, cursor === undefined ? {} : { cursor }, token), options, 'tools/list');
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
    let progressToken: number | undefined;
    if (options.onProgress) {
      progressToken = this.nextProgressToken++;
      this.progressHandlers.set(progressToken, options.onProgress);
    }
    try {
      const params = progressToken === undefined ? { name, arguments: args } : { name, arguments: args, _meta: { progressToken } };
      const raw: unknown = await this.request((token) => this.connection.sendRequest(ToolsCall.type, params, token), options, `tool "${name}"`);
      if (!validateCallToolResult(raw)) {
        throw new WardenError('PROTOCOL_ERROR', `The server sent an invalid result for tool "${name}": ${describeSchemaErrors(validateCallToolResult.errors)}.`);
      }
      return raw;
    } finally {
      if (progressToken !== undefined) this.progressHandlers.delete(progressToken);
    }
  }

  async ping(options: RequestOptions): Promise<void> {
    await this.request((token) => this.connection.sendRequest(Ping.type, token), options, 'ping');
  }

  /** Ends the session and the transport. Idempotent. */
  async close(): Promise<void> {
    await this.transport.close();
  }

  private async initialize(): Promise<void> {
    const raw: unknown = await this.request(
      () =>
        this.connection.sendRequest(Initialize.type, {
          protocolVersion: LATEST_PROTOCOL_VERSION,
          capabilities: {},
          clientInfo: this.options.clientInfo,
        }),
      { timeoutMs: this.options.initializeTimeoutMs },
      'initialize',
      false,
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

  /**
   * Sends one request and settles on the first of: the response, the timeout, the caller's abort,
   * or the transport's end. Timeouts and aborts send `notifications/cancelled` (unless `cancellable`
   * is false, as for `initialize`); a response that arrives later is ignored.
   */
  private request<T>(
    send: (token: CancellationTokenSource['token']) => Promise<T>,
    options: RequestOptions,
    what: string,
    cancellable = true,
  ): Promise<T> {
    if (this.exit) return Promise.reject(this.crashedError(what));
    if (options.signal?.aborted) return Promise.reject(new WardenError('CANCELLED', `The ${what} call was cancelled.`));
    const source = new CancellationTokenSource();
    const context: RequestContext = {};
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const settle = (outcome: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        this.pending.delete(onCrash);
        outcome();
        source.dispose();
      };
      const cancel = (reason: string, error: WardenError): void => {
        settle(() => {
          if (cancellable) {
            context.reason = reason;
            source.cancel();
          }
          this.cancellation.forget(context.id);
          reject(error);
        });
      };
      const timer = setTimeout(
        () => cancel(`timed out after ${options.timeoutMs} ms`, new WardenError('TIMEOUT', `The ${what} call timed out after ${formatMs(options.timeoutMs)}.`)),
        options.timeoutMs,
      );
      const onAbort = (): void => cancel('cancelled by the caller', new WardenError('CANCELLED', `The ${what} call was cancelled.`));
      const onCrash = (): void => settle(() => reject(this.crashedError(what)));
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.add(onCrash);
      const sent = this.cancellation.bind(context, () => send(source.token));
      sent.then(
        (value) => settle(() => resolve(value)),
        (error: unknown) => settle(() => reject(this.toWardenError(error, what))),
      );
    });
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
    if (this.exit) return this.crashedError(what);
    return new WardenError('SERVER_ERROR', `The ${what} call failed: ${errorMessage(error)}`);
  }

  private crashedError(what: string): WardenError {
    const how = this.exit ? describeExit(this.exit) : 'closed the connection';
    return new WardenError('SERVER_CRASHED', `The server ${how} before answering the ${what} call.`, this.exit);
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
    for (const crash of [...this.pending]) crash();
    this.pending.clear();
    this.connection.dispose();
    this.closeEmitter.fire(exit);
    this.closeEmitter.dispose();
    this.toolsChangedEmitter.dispose();
  }
}

function formatMs(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
