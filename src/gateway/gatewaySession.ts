/**
 * One MCP client of the gateway, whatever carries its messages: the lifecycle, `tools/list`,
 * `tools/call` through the gate as `gateway:<clientInfo.name>`, cancellation and progress, and
 * `notifications/tools/list_changed` when what this client may see changes, and log messages at
 * or above the level the client set (`logging/setLevel`; `info` until it does). `handle` takes
 * one parsed message and answers a request with one response; outgoing notifications go to `send`.
 */
import { Cancelled, Initialize, Initialized, JsonRpcErrorCode, LoggingMessage, LoggingSetLevel, Ping, Progress, ToolsCall, ToolsList, ToolsListChanged } from '../core/protocol/methods';
import { describeSchemaErrors, validateCallToolParams, validateCancelledParams, validateInitializeParams, validateListToolsParams } from '../core/protocol/schemas';
import type { CallToolResult, InitializeResult, ListToolsResult, LoggingLevel, ProgressToken } from '../core/protocol/types';
import { negotiateProtocolVersion } from '../core/protocol/versions';
import type { Caller } from '../core/policy/types';
import type { ToolRouter } from '../core/router/toolRouter';
import { errorMessage } from '../core/util/errors';
import type { GatewayCatalog } from './gatewayCatalog';

export type RequestId = string | number;

export interface JsonRpcResponse {
  readonly jsonrpc: '2.0';
  readonly id: RequestId | null;
  readonly result?: unknown;
  readonly error?: { readonly code: number; readonly message: string };
}

export interface JsonRpcNotification {
  readonly jsonrpc: '2.0';
  readonly method: string;
  readonly params?: unknown;
}

export interface Handled {
  /** The answer to a request; absent for notifications and responses. */
  readonly response?: JsonRpcResponse;
  /** The client cancelled this request; its answer is to be dropped where the transport allows. */
  readonly cancelled: boolean;
}

export interface SessionDeps {
  readonly catalog: GatewayCatalog;
  readonly router: ToolRouter;
  readonly serverInfo: { name: string; version: string };
  readonly send: (notification: JsonRpcNotification) => void;
  readonly log: (line: string) => void;
}

/** MCP's log levels, least severe first (RFC 5424). */
const LOG_LEVELS: readonly LoggingLevel[] = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'];
const LOGGER = 'warden-gateway';

class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export class GatewaySession {
  private clientName: string | undefined;
  private ready = false;
  private lastListed: string | undefined;
  private logLevel: LoggingLevel = 'info';
  private readonly running = new Map<RequestId, AbortController>();
  private readonly cancelledIds = new Set<RequestId>();

  constructor(private readonly deps: SessionDeps) {}

  get caller(): Caller | undefined {
    return this.clientName === undefined ? undefined : `gateway:${this.clientName}`;
  }

  get initialized(): boolean {
    return this.clientName !== undefined;
  }

  /**
   * `notify`, when given, receives the notifications about this request (its progress) instead of
   * the session's `send`: an HTTP response stream.
   */
  async handle(message: unknown, notify?: (notification: JsonRpcNotification) => void): Promise<Handled> {
    const problem = messageProblem(message);
    if (problem !== undefined) return { response: failure(null, JsonRpcErrorCode.InvalidRequest, `Invalid JSON-RPC message: ${problem}.`), cancelled: false };
    const m = message as Record<string, unknown>;
    if (typeof m.method !== 'string') return { cancelled: false }; // A response: the gateway sends no requests.
    if (!('id' in m)) {
      this.notification(m.method, m.params);
      return { cancelled: false };
    }
    const id = m.id as RequestId;
    try {
      const result = await this.request(id, m.method, m.params, notify ?? this.deps.send);
      return { response: { jsonrpc: '2.0', id, result }, cancelled: this.wasCancelled(id) };
    } catch (error) {
      if (error instanceof RpcError) return { response: failure(id, error.code, error.message), cancelled: false };
      this.deps.log(`${m.method} failed unexpectedly: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      return { response: failure(id, JsonRpcErrorCode.InternalError, `The gateway failed: ${errorMessage(error)}`), cancelled: false };
    } finally {
      this.running.delete(id);
      this.cancelledIds.delete(id);
    }
  }

  /** Called when the tools anyone may see may have changed; notifies this client if its list did. */
  toolsMayHaveChanged(): void {
    const caller = this.caller;
    if (!this.ready || caller === undefined || this.lastListed === undefined) return;
    const now = JSON.stringify(this.deps.catalog.list(caller));
    if (now === this.lastListed) return;
    this.lastListed = now;
    this.deps.send({ jsonrpc: '2.0', method: ToolsListChanged.method });
  }

  /** Sends a log message, if this client is ready and wants messages of this level. */
  log(level: LoggingLevel, data: unknown): void {
    if (!this.ready || LOG_LEVELS.indexOf(level) < LOG_LEVELS.indexOf(this.logLevel)) return;
    this.deps.send({ jsonrpc: '2.0', method: LoggingMessage.method, params: { level, logger: LOGGER, data } });
  }

  /** Stops the calls still running; their answers are no longer wanted. */
  dispose(): void {
    for (const controller of this.running.values()) controller.abort(new Error('The client went away.'));
    this.running.clear();
  }

  private wasCancelled(id: RequestId): boolean {
    return this.cancelledIds.has(id);
  }

  private notification(method: string, params: unknown): void {
    switch (method) {
      case Initialized.method:
        this.ready = this.initialized;
        return;
      case Cancelled.method: {
        if (!validateCancelledParams(params)) {
          this.deps.log(`Ignored a malformed cancellation: ${describeSchemaErrors(validateCancelledParams.errors)}`);
          return;
        }
        const controller = this.running.get(params.requestId);
        if (!controller) return;
        this.cancelledIds.add(params.requestId);
        controller.abort(new Error(params.reason ?? 'The client cancelled the call.'));
        return;
      }
      default:
        return;
    }
  }

  private async request(id: RequestId, method: string, params: unknown, notify: (n: JsonRpcNotification) => void): Promise<unknown> {
    if (method === Initialize.method) return this.initialize(params);
    if (method === Ping.method) return {};
    const caller = this.caller;
    if (caller === undefined) throw new RpcError(JsonRpcErrorCode.InvalidRequest, 'The gateway has not been initialized: send "initialize" first.');
    switch (method) {
      case ToolsList.method:
        return this.listTools(caller, params);
      case ToolsCall.method:
        return this.callTool(caller, id, params, notify);
      case LoggingSetLevel.method:
        return this.setLevel(params);
      default:
        throw new RpcError(JsonRpcErrorCode.MethodNotFound, `The gateway does not support "${method}"; it serves tools (tools/list, tools/call), ping and logging/setLevel.`);
    }
  }

  private initialize(params: unknown): InitializeResult {
    if (!validateInitializeParams(params)) {
      throw new RpcError(JsonRpcErrorCode.InvalidParams, `Invalid initialize parameters: ${describeSchemaErrors(validateInitializeParams.errors)}`);
    }
    if (this.clientName !== undefined) throw new RpcError(JsonRpcErrorCode.InvalidRequest, 'This session is already initialized; start a new one to initialize again.');
    this.clientName = params.clientInfo.name;
    return {
      protocolVersion: negotiateProtocolVersion(params.protocolVersion),
      capabilities: { tools: { listChanged: true }, logging: {} },
      serverInfo: this.deps.serverInfo,
      instructions: 'Warden gateway: tools of hosted MCP servers, named <server>__<tool>. Every call passes the policy and is audited; a refused call returns an error result that says which rule refused it.',
    };
  }

  private setLevel(params: unknown): Record<string, never> {
    const level = typeof params === 'object' && params !== null ? (params as { level?: unknown }).level : undefined;
    const known = LOG_LEVELS.find((l) => l === level);
    if (known === undefined) {
      throw new RpcError(JsonRpcErrorCode.InvalidParams, `Invalid logging/setLevel parameters: level must be one of ${LOG_LEVELS.join(', ')}.`);
    }
    this.logLevel = known;
    return {};
  }

  private listTools(caller: Caller, params: unknown): ListToolsResult {
    const checked = params ?? {};
    if (!validateListToolsParams(checked)) {
      throw new RpcError(JsonRpcErrorCode.InvalidParams, `Invalid tools/list parameters: ${describeSchemaErrors(validateListToolsParams.errors)}`);
    }
    if (checked.cursor !== undefined) throw new RpcError(JsonRpcErrorCode.InvalidParams, 'Invalid cursor: the gateway lists every tool in one page, so there is no next page.');
    const tools = this.deps.catalog.list(caller);
    this.lastListed = JSON.stringify(tools);
    return { tools };
  }

  private async callTool(caller: Caller, id: RequestId, params: unknown, notify: (n: JsonRpcNotification) => void): Promise<CallToolResult> {
    if (!validateCallToolParams(params)) {
      throw new RpcError(JsonRpcErrorCode.InvalidParams, `Invalid tools/call parameters: ${describeSchemaErrors(validateCallToolParams.errors)}`);
    }
    const lookup = this.deps.catalog.lookup(params.name);
    if (lookup.kind === 'unknown') throw new RpcError(JsonRpcErrorCode.InvalidParams, lookup.message);
    const controller = new AbortController();
    this.running.set(id, controller);
    const progressToken = params._meta?.progressToken;
    const outcome = await this.deps.router.call({
      caller,
      server: lookup.address.server,
      tool: lookup.address.tool,
      args: params.arguments ?? {},
      signal: controller.signal,
      ...(progressToken !== undefined && { onProgress: (p) => notify(progressNotification(progressToken, p)) }),
    });
    if (outcome.kind !== 'failed') return outcome.result;
    return { content: [{ type: 'text', text: `${outcome.error.code}: ${outcome.error.message}` }], isError: true };
  }
}

function progressNotification(token: ProgressToken, p: { progress: number; total?: number; message?: string }): JsonRpcNotification {
  return {
    jsonrpc: '2.0',
    method: Progress.method,
    params: { progressToken: token, progress: p.progress, ...(p.total !== undefined && { total: p.total }), ...(p.message !== undefined && { message: p.message }) },
  };
}

function failure(id: RequestId | null, code: number, message: string): JsonRpcResponse {
  return { jsonrpc: '2.0', id, error: { code, message } };
}

/** Why a value is not a JSON-RPC 2.0 message MCP allows, or undefined. */
export function messageProblem(value: unknown): string | undefined {
  if (Array.isArray(value)) return 'batches are not part of MCP; send one message at a time';
  if (typeof value !== 'object' || value === null) return 'not a JSON object';
  const m = value as Record<string, unknown>;
  if (m.jsonrpc !== '2.0') return 'jsonrpc must be "2.0"';
  if ('id' in m && typeof m.id !== 'string' && typeof m.id !== 'number') return 'id must be a string or a number';
  if ('method' in m) {
    if (typeof m.method !== 'string' || m.method.length === 0) return 'method must be a non-empty string';
    if ('params' in m && (typeof m.params !== 'object' || m.params === null || Array.isArray(m.params))) return 'params must be an object';
    return undefined;
  }
  if (!('id' in m)) return 'a message needs a method or an id';
  if (('result' in m) === ('error' in m)) return 'a response needs exactly one of result and error';
  return undefined;
}
