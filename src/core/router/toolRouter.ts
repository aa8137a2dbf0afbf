/**
 * The single path every tool call takes, whoever the caller: find the server, run the call, and
 * leave one audit record, whatever the outcome. Front ends only format what this returns.
 */
import { randomUUID } from 'node:crypto';
import type { AuditSink, Caller, CallOutcomeKind } from '../audit/auditRecord';
import type { ProgressParams, CallToolResult, JsonObject } from '../protocol/types';
import type { ServerRegistry } from '../host/serverRegistry';
import { WardenError, errorMessage } from '../util/errors';
import { canonicalJson, sha256Hex } from '../util/canonicalJson';

export interface ToolCallRequest {
  readonly caller: Caller;
  readonly server: string;
  readonly tool: string;
  readonly args: JsonObject;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  readonly onProgress?: (progress: ProgressParams) => void;
}

export type ToolCallOutcome =
  | { readonly kind: 'ok'; readonly auditId: string; readonly durationMs: number; readonly result: CallToolResult }
  | { readonly kind: 'tool-error'; readonly auditId: string; readonly durationMs: number; readonly result: CallToolResult }
  | { readonly kind: 'failed'; readonly auditId: string; readonly durationMs: number; readonly error: WardenError };

export interface ToolRouterOptions {
  /** Read at each call, so a changed setting applies to the next call. */
  readonly defaultTimeoutMs: () => number;
  readonly now?: () => number;
}

export class ToolRouter {
  constructor(
    private readonly registry: ServerRegistry,
    private readonly audit: AuditSink,
    private readonly options: ToolRouterOptions,
  ) {}

  async call(request: ToolCallRequest): Promise<ToolCallOutcome> {
    const now = this.options.now ?? performance.now.bind(performance);
    const auditId = randomUUID();
    const started = now();
    let outcome: ToolCallOutcome;
    try {
      const server = this.registry.get(request.server);
      if (!server) {
        throw new WardenError('TOOL_NOT_FOUND', `No server "${request.server}" is configured. Servers: ${this.registry.ids().join(', ') || 'none'}.`);
      }
      const result = await server.callTool(request.tool, request.args, {
        timeoutMs: request.timeoutMs ?? this.options.defaultTimeoutMs(),
        ...(request.signal && { signal: request.signal }),
        ...(request.onProgress && { onProgress: request.onProgress }),
      });
      const durationMs = now() - started;
      outcome = result.isError === true ? { kind: 'tool-error', auditId, durationMs, result } : { kind: 'ok', auditId, durationMs, result };
    } catch (error) {
      const wardenError = error instanceof WardenError ? error : new WardenError('SERVER_ERROR', errorMessage(error));
      outcome = { kind: 'failed', auditId, durationMs: now() - started, error: wardenError };
    }
    await this.audit.append({
      id: auditId,
      time: new Date().toISOString(),
      caller: request.caller,
      server: request.server,
      tool: request.tool,
      argsSha256: sha256Hex(canonicalJson(request.args)),
      durationMs: Math.round(outcome.durationMs * 1000) / 1000,
      outcome: outcome.kind satisfies CallOutcomeKind,
      ...(outcome.kind === 'failed' && { errorCode: outcome.error.code, message: outcome.error.message }),
      ...(outcome.kind === 'tool-error' && { message: firstText(outcome.result) }),
    });
    return outcome;
  }
}

function firstText(result: CallToolResult): string | undefined {
  for (const block of result.content) if (block.type === 'text') return block.text.slice(0, 500);
  return undefined;
}
