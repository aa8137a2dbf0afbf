/**
 * The gate: the one path every tool call takes, whoever the caller. In order: find the tool,
 * check the arguments against its schema, ask the policy, get a person's confirmation where the
 * policy wants one, count the call against its limits, run it under the strictest timeout, check
 * the result, and leave an audit record and a metric whatever happened. Front ends only format
 * what this returns.
 */
import { randomUUID } from 'node:crypto';
import type { ServerRegistry } from '../host/serverRegistry';
import { describeState } from '../host/serverState';
import type { ToolMetrics } from '../metrics/toolMetrics';
import type { ApprovalScope } from '../policy/approvals';
import { decide } from '../policy/decide';
import { APPROVAL_KEY_PLACEHOLDER, type PolicySources } from '../policy/sources';
import type { ApprovalView, Caller, Decision, Policy } from '../policy/types';
import type { UsageCounters } from '../policy/usage';
import type { CallToolResult, JsonObject, ProgressParams, Tool } from '../protocol/types';
import { resultText } from '../protocol/contentText';
import { WardenError, errorMessage, type WardenErrorCode } from '../util/errors';
import type { CallAudit, CallIdentity } from './callAudit';
import { errorClass, outcomeClass, type ToolCallOutcome } from './outcome';
import { checkArguments, checkResult } from './toolChecks';

export type { ToolCallOutcome } from './outcome';

export type ConfirmationAnswer = 'once' | ApprovalScope | 'declined';

export interface ConfirmationPrompt {
  readonly caller: Caller;
  readonly server: string;
  readonly tool: Tool;
  readonly args: JsonObject;
  /** Why the policy asks, in words a person understands. */
  readonly why: string;
}

export interface ToolCallRequest {
  readonly caller: Caller;
  readonly server: string;
  readonly tool: string;
  readonly args: JsonObject;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  readonly onProgress?: (progress: ProgressParams) => void;
  /**
   * How a confirmation is obtained: 'granted' when the front end already asked (VS Code's own
   * confirmation for language-model tools), a function that asks, or absent when nobody can be
   * asked (then a call that needs confirmation is refused).
   */
  readonly confirmation?: 'granted' | ((prompt: ConfirmationPrompt) => Promise<ConfirmationAnswer>);
}

export interface GateDeps {
  readonly registry: ServerRegistry;
  readonly audit: CallAudit;
  readonly metrics: ToolMetrics;
  readonly usage: UsageCounters;
  readonly approvals: ApprovalView & { grant(key: string, scope: ApprovalScope): Promise<void> };
  readonly policy: () => Policy;
  readonly workspaceFolders: () => readonly string[];
  /** Built-in servers, and servers the user marked trusted, have their annotations believed. */
  readonly annotationsTrusted: (serverId: string) => boolean;
  readonly defaultTimeoutMs: () => number;
  /** Where this front end keeps the policy, named in refusals; the extension's settings when absent. */
  readonly policySources: PolicySources;
  /** Wall-clock time for policy (rate limits, daily budgets) and audit timestamps. */
  readonly now?: () => number;
}

/** The policy's view of a call, before it runs: what `prepareInvocation` shows a person. */
export type Preview =
  | { readonly kind: 'unavailable'; readonly error: WardenError }
  | { readonly kind: 'decided'; readonly tool: Tool; readonly decision: Decision };

export class ToolRouter {
  constructor(private readonly deps: GateDeps) {}

  /** What the gate would decide for this call now, without running or recording anything. */
  preview(request: Pick<ToolCallRequest, 'caller' | 'server' | 'tool' | 'args'>): Preview {
    try {
      const tool = this.findTool(request.server, request.tool);
      checkArguments(request.server, tool, request.args);
      return { kind: 'decided', tool, decision: this.decide(request, tool) };
    } catch (error) {
      return { kind: 'unavailable', error: asWardenError(error) };
    }
  }

  /**
   * What the gate would decide for a tool before any arguments exist, to choose which tools to
   * offer a model: the arguments are not checked, and rules' constraints see none.
   */
  previewTool(request: Pick<ToolCallRequest, 'caller' | 'server' | 'tool'>): Preview {
    try {
      const tool = this.findTool(request.server, request.tool);
      return { kind: 'decided', tool, decision: this.decide({ ...request, args: {} }, tool) };
    } catch (error) {
      return { kind: 'unavailable', error: asWardenError(error) };
    }
  }

  async call(request: ToolCallRequest): Promise<ToolCallOutcome> {
    const now = this.deps.now ?? Date.now;
    const started = performance.now();
    const identity: CallIdentity = {
      id: randomUUID(),
      time: new Date(now()).toISOString(),
      caller: request.caller,
      server: request.server,
      tool: request.tool,
      args: request.args,
    };
    const elapsed = (): number => performance.now() - started;

    let tool: Tool;
    let decision: Decision;
    try {
      tool = this.findTool(request.server, request.tool);
      checkArguments(request.server, tool, request.args);
      decision = this.decide(request, tool);
      if (decision.effect === 'deny') throw new DecisionError(denialCode(decision), decision.message, decision);
      if (decision.effect === 'confirm') await this.confirm(request, tool, decision);
    } catch (error) {
      const wardenError = asWardenError(error);
      const refusedBy = decisionOf(error);
      const failed: ToolCallOutcome = { kind: 'failed', auditId: identity.id, durationMs: elapsed(), error: wardenError, ...(refusedBy && { decision: refusedBy }) };
      await this.deps.audit.refused({
        ...identity,
        outcome: errorClass(wardenError.code),
        errorCode: wardenError.code,
        message: wardenError.message,
        ...(refusedBy && { decision: refusedBy }),
      });
      this.deps.metrics.record(request.server, request.tool, errorClass(wardenError.code), 0);
      return failed;
    }

    this.deps.usage.consume(decision.limits, now());
    await this.deps.audit.started({ ...identity, decision });
    const timeoutMs = Math.min(request.timeoutMs ?? this.deps.defaultTimeoutMs(), decision.limits.timeoutMs ?? Number.POSITIVE_INFINITY);
    let outcome: ToolCallOutcome;
    try {
      const server = this.deps.registry.get(request.server);
      if (!server) throw new WardenError('TOOL_NOT_FOUND', `Server "${request.server}" went away.`);
      const result = await server.callTool(request.tool, request.args, {
        timeoutMs,
        annotationsTrusted: this.deps.annotationsTrusted(request.server),
        ...(request.signal && { signal: request.signal }),
        ...(request.onProgress && { onProgress: request.onProgress }),
      });
      checkResult(request.server, tool, result, decision.limits.maxResultBytes);
      outcome = { kind: result.isError === true ? 'tool-error' : 'ok', auditId: identity.id, durationMs: elapsed(), result, decision };
    } catch (error) {
      outcome = { kind: 'failed', auditId: identity.id, durationMs: elapsed(), error: asWardenError(error), decision };
    }
    await this.deps.audit.finished({
      id: identity.id,
      time: new Date(now()).toISOString(),
      durationMs: round(outcome.durationMs),
      outcome: outcomeClass(outcome),
      ...(outcome.kind === 'failed' ? { errorCode: outcome.error.code, message: outcome.error.message } : summary(outcome.result)),
    });
    this.deps.metrics.record(request.server, request.tool, outcomeClass(outcome), outcome.durationMs);
    return outcome;
  }

  private findTool(serverId: string, name: string): Tool {
    const server = this.deps.registry.get(serverId);
    if (!server) {
      throw new WardenError('TOOL_NOT_FOUND', `No server "${serverId}" is configured. Servers: ${this.deps.registry.ids().join(', ') || 'none'}.`);
    }
    const tool = server.tools.find((t) => t.name === name);
    if (!tool) {
      const state = server.state.kind === 'running' ? `Its tools: ${server.tools.map((t) => t.name).join(', ') || 'none'}.` : `${describeState(server.state)}.`;
      throw new WardenError(server.state.kind === 'running' ? 'TOOL_NOT_FOUND' : 'SERVER_NOT_RUNNING', `Server "${serverId}" has no tool "${name}" available. ${state}`);
    }
    return tool;
  }

  private decide(request: Pick<ToolCallRequest, 'caller' | 'server' | 'tool' | 'args'>, tool: Tool): Decision {
    return decide(
      {
        caller: request.caller,
        server: request.server,
        tool: request.tool,
        args: request.args,
        facts: { ...(tool.annotations && { annotations: tool.annotations }), annotationsTrusted: this.deps.annotationsTrusted(request.server) },
        argumentBytes: Buffer.byteLength(JSON.stringify(request.args), 'utf8'),
      },
      this.deps.policy(),
      { usage: this.deps.usage, approvals: this.deps.approvals, now: (this.deps.now ?? Date.now)(), workspaceFolders: this.deps.workspaceFolders(), sources: this.sources },
    );
  }

  private get sources(): PolicySources {
    return this.deps.policySources;
  }

  private async confirm(request: ToolCallRequest, tool: Tool, decision: Extract<Decision, { effect: 'confirm' }>): Promise<void> {
    const confirmation = request.confirmation;
    if (confirmation === 'granted') return;
    if (confirmation === undefined) {
      // An allow rule does not waive a risk (a tool that may write or reach out, called by a model):
      // only an approval does. A confirm rule can also be changed.
      const approve = this.sources.approvals.replaceAll(APPROVAL_KEY_PLACEHOLDER, decision.approvalKey);
      const remedy = decision.cause === 'rule' ? `change that rule in ${this.sources.userRules}, or ${approve}` : approve;
      throw new DecisionError('CONFIRMATION_DECLINED', `${decision.why}, and ${request.caller} cannot ask a person to confirm. To let it run without asking, ${remedy}.`, decision);
    }
    const answer = await confirmation({ caller: request.caller, server: request.server, tool, args: request.args, why: decision.why });
    if (answer === 'declined') throw new DecisionError('CONFIRMATION_DECLINED', `The call to ${request.server}.${request.tool} was not confirmed.`, decision);
    if (answer !== 'once') await this.deps.approvals.grant(decision.approvalKey, answer);
  }
}

class DecisionError extends WardenError {
  constructor(code: WardenErrorCode, message: string, readonly decision: Decision) {
    super(code, message);
  }
}

function decisionOf(error: unknown): Decision | undefined {
  return error instanceof DecisionError ? error.decision : undefined;
}

function denialCode(decision: Extract<Decision, { effect: 'deny' }>): WardenErrorCode {
  return decision.reason === 'rate-limited' || decision.reason === 'budget-exhausted' ? 'RATE_LIMITED' : 'POLICY_DENIED';
}

function asWardenError(error: unknown): WardenError {
  return error instanceof WardenError ? error : new WardenError('SERVER_ERROR', errorMessage(error));
}

function summary(result: CallToolResult): { resultBytes: number; preview: string } {
  const text = resultText(result);
  return { resultBytes: Buffer.byteLength(JSON.stringify(result), 'utf8'), preview: text.length > 200 ? `${text.slice(0, 200)}…` : text };
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
