/**
 * The MCP server side shared by Warden's built-in servers and its test fixtures: lifecycle,
 * version negotiation, paged `tools/list`, `tools/call` with schema-checked arguments,
 * cancellation and progress. Tools are plain `RegisteredTool`s; this file never sees a process.
 */
import {
  CancellationTokenSource,
  ResponseError,
  type CancellationId,
  type CancellationStrategy,
  type CancellationToken,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import { Cancelled, Initialize, Initialized, JsonRpcErrorCode, Ping, ToolsCall, ToolsList, ToolsListChanged } from '../../core/protocol/methods';
import {
  describeSchemaErrors,
  validateCallToolParams,
  validateCancelledParams,
  validateInitializeParams,
  validateListToolsParams,
} from '../../core/protocol/schemas';
import type { CallToolResult, Implementation, InitializeResult, ListToolsResult, Tool } from '../../core/protocol/types';
import { negotiateProtocolVersion } from '../../core/protocol/versions';
import { errorMessage } from '../../core/util/errors';
import { Progress } from '../../core/protocol/methods';
import { LazyCancellation } from './lazyCancellation';
import type { RegisteredTool, ToolContext } from './toolDefinition';
import { ToolError, errorResult } from './toolResult';

export interface McpServerOptions {
  readonly info: Implementation;
  readonly instructions?: string;
  /** How many tools one `tools/list` page holds. */
  readonly pageSize?: number;
  /** Where the server's own diagnostics go (stderr for a stdio server). */
  readonly log: (line: string) => void;
  /** Called when the client says it is initialized: the time for work that should not delay the handshake. */
  readonly onInitialized?: () => void;
}

const DEFAULT_PAGE_SIZE = 50;

/**
 * Cancellation the MCP way: requests are cancelled by `notifications/cancelled { requestId }`,
 * not vscode-jsonrpc's `$/cancelRequest`. The receiver keeps a token source per running request.
 */
export class McpCancellation implements CancellationStrategy {
  private readonly running = new Map<CancellationId, CancellationTokenSource>();

  readonly receiver = {
    createCancellationTokenSource: (id: CancellationId) => {
      const source = new TrackedTokenSource(() => this.running.delete(id));
      this.running.set(id, source);
      return source;
    },
  };

  readonly sender = {
    sendCancellation: (connection: MessageConnection, id: CancellationId) =>
      connection.sendNotification(Cancelled.type, { requestId: id }),
    cleanup: () => undefined,
  };

  cancel(id: CancellationId): boolean {
    const source = this.running.get(id);
    source?.cancel();
    return source !== undefined;
  }
}

class TrackedTokenSource extends CancellationTokenSource {
  constructor(private readonly onDispose: () => void) {
    super();
  }
  override dispose(): void {
    this.onDispose();
    super.dispose();
  }
}

export class McpServer {
  private readonly tools: ReadonlyMap<string, RegisteredTool>;
  private readonly toolList: readonly Tool[];
  private initialized = false;

  constructor(
    private readonly options: McpServerOptions,
    tools: readonly RegisteredTool[],
  ) {
    const byName = new Map<string, RegisteredTool>();
    for (const t of tools) {
      if (byName.has(t.tool.name)) throw new Error(`Two tools are named "${t.tool.name}".`);
      byName.set(t.tool.name, t);
    }
    this.tools = byName;
    this.toolList = tools.map((t) => t.tool);
  }

  /** Installs the handlers. The caller creates the connection with `cancellation` and calls `listen()`. */
  attach(connection: MessageConnection, cancellation: McpCancellation): void {
    connection.onRequest(Initialize.type, (params) => this.initialize(params));
    connection.onNotification(Initialized.type, () => this.options.onInitialized?.());
    connection.onRequest(Ping.type, () => ({}));
    // MCP lets a client leave out the params of tools/list (the SDK does). vscode-jsonrpc refuses a
    // typed request without params, and calls a handler registered by name with only the token.
    connection.onRequest(ToolsList.method, (...args: unknown[]) => {
      const params = args.length > 1 ? args[0] : undefined;
      return this.requireInitialized(() => this.listTools(params));
    });
    connection.onRequest(ToolsCall.type, (params, token) =>
      this.requireInitialized(() => this.callTool(connection, params, token)),
    );
    connection.onNotification(Cancelled.type, (params) => {
      if (!validateCancelledParams(params)) {
        this.options.log(`Ignored a malformed cancellation: ${describeSchemaErrors(validateCancelledParams.errors)}`);
        return;
      }
      cancellation.cancel(params.requestId);
    });
  }

  /** Tells the client the tool list changed (fixtures use this; the built-in lists are fixed). */
  notifyToolsChanged(connection: MessageConnection): Promise<void> {
    return connection.sendNotification(ToolsListChanged.type);
  }

  private initialize(params: unknown): InitializeResult {
    if (!validateInitializeParams(params)) {
      throw new ResponseError(
        JsonRpcErrorCode.InvalidParams,
        `Invalid initialize parameters: ${describeSchemaErrors(validateInitializeParams.errors)}`,
      );
    }
    this.initialized = true;
    const result: InitializeResult = {
      protocolVersion: negotiateProtocolVersion(params.protocolVersion),
      capabilities: { tools: { listChanged: false } },
      serverInfo: this.options.info,
    };
    if (this.options.instructions !== undefined) result.instructions = this.options.instructions;
    return result;
  }

  private requireInitialized<T>(run: () => T): T {
    if (!this.initialized) {
      throw new ResponseError(JsonRpcErrorCode.InvalidRequest, 'The server has not been initialized: send "initialize" first.');
    }
    return run();
  }

  private listTools(params: unknown): ListToolsResult {
    const checked = params ?? {};
    if (!validateListToolsParams(checked)) {
      throw new ResponseError(JsonRpcErrorCode.InvalidParams, `Invalid tools/list parameters: ${describeSchemaErrors(validateListToolsParams.errors)}`);
    }
    const pageSize = this.options.pageSize ?? DEFAULT_PAGE_SIZE;
    const start = checked.cursor === undefined ? 0 : decodeCursor(checked.cursor, this.toolList.length);
    const end = start + pageSize;
    const page: ListToolsResult = { tools: this.toolList.slice(start, end) };
    if (end < this.toolList.length) page.nextCursor = encodeCursor(end);
    return page;
  }

  private async callTool(
    connection: MessageConnection,
    params: unknown,
    token: CancellationToken,
  ): Promise<CallToolResult> {
    if (!validateCallToolParams(params)) {
      throw new ResponseError(JsonRpcErrorCode.InvalidParams, `Invalid tools/call parameters: ${describeSchemaErrors(validateCallToolParams.errors)}`);
    }
    const registered = this.tools.get(params.name);
    if (!registered) {
      throw new ResponseError(JsonRpcErrorCode.InvalidParams, `Unknown tool: "${params.name}". Call tools/list for the available tools.`);
    }
    const cancellation = new LazyCancellation(token);
    const progressToken = params._meta?.progressToken;
    const context: ToolContext = {
      get signal() {
        return cancellation.signal;
      },
      progress: (progress, total, message) => {
        if (progressToken === undefined) return;
        const notification = { progressToken, progress, ...(total !== undefined && { total }), ...(message !== undefined && { message }) };
        connection.sendNotification(Progress.type, notification).catch((error: unknown) => {
          this.options.log(`Could not send progress: ${errorMessage(error)}`);
        });
      },
    };
    try {
      const invocation = registered.invoke(params.arguments ?? {}, context);
      if (invocation.kind === 'invalid-arguments') {
        throw new ResponseError(JsonRpcErrorCode.InvalidParams, invocation.message);
      }
      return await invocation.result;
    } catch (error) {
      if (error instanceof ResponseError) throw error;
      if (error instanceof ToolError) return errorResult(error.message);
      this.options.log(`Tool "${params.name}" failed unexpectedly: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      return errorResult(`Tool "${params.name}" failed: ${errorMessage(error)}`);
    } finally {
      cancellation.dispose();
    }
  }
}

/** Cursors are opaque to clients; here they are a base64url offset. */
function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string, length: number): number {
  const match = /^o:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  const offset = match ? Number(match[1]) : NaN;
  if (!Number.isInteger(offset) || offset <= 0 || offset >= length) {
    throw new ResponseError(JsonRpcErrorCode.InvalidParams, 'Invalid cursor: pass back a nextCursor exactly as tools/list returned it.');
  }
  return offset;
}
