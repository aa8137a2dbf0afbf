/**
 * The approval state of one server's tools, recomputed on every tools/list, with an event the
 * tree listens to, and `approve` for the front end. The rules live in `toolApproval.ts`.
 */
import { Emitter, type Event } from 'vscode-jsonrpc/node';
import type { Tool } from '../protocol/types';
import type { Disposable } from '../util/disposable';
import { WardenError, errorMessage } from '../util/errors';
import { describeFindings } from './hiddenCharacters';
import { assessTool, heldBack, type ApprovedTool, type ToolApproval, type ToolApprovalPolicy } from './toolApproval';
import { toolDefinitionHash, toolSnapshot } from './toolFingerprint';

export interface ToolApprovalsContext {
  readonly serverId: string;
  readonly label: () => string;
  readonly implicit: () => boolean;
  readonly policy: ToolApprovalPolicy;
  readonly log: (line: string) => void;
}

export class ToolApprovals implements Disposable {
  private approvals = new Map<string, ToolApproval>();
  private tools: readonly Tool[] = [];
  private readonly changeEmitter = new Emitter<ReadonlyMap<string, ToolApproval>>();

  /** Fires when any tool's approval kind or hash changed. */
  readonly onDidChange: Event<ReadonlyMap<string, ToolApproval>> = this.changeEmitter.event;

  constructor(private readonly context: ToolApprovalsContext) {}

  get all(): ReadonlyMap<string, ToolApproval> {
    return this.approvals;
  }

  /** Why a call to `toolName` is held back, or undefined when it may run. */
  heldBack(toolName: string): WardenError | undefined {
    return heldBack(this.context.label(), toolName, this.approvals.get(toolName));
  }

  /** Assesses a fresh tool list. */
  update(tools: readonly Tool[]): void {
    this.tools = tools;
    const next = new Map<string, ToolApproval>();
    for (const tool of tools) {
      const { approval, record } = assessTool(this.context.serverId, tool, this.context.policy, this.context.implicit());
      if (record) this.remember(tool.name, record);
      const before = this.approvals.get(tool.name);
      if (approval.kind !== 'approved' && (before?.kind !== approval.kind || before.hash !== approval.hash)) this.report(tool.name, approval);
      next.set(tool.name, approval);
    }
    const changed = next.size !== this.approvals.size || [...next].some(([name, a]) => {
      const before = this.approvals.get(name);
      return before?.kind !== a.kind || before.hash !== a.hash;
    });
    this.approvals = next;
    if (changed) this.changeEmitter.fire(next);
  }

  /**
   * Records a person's approval of the definition they reviewed: `hash` is the one they saw, so a
   * definition that changed again meanwhile is not approved by mistake.
   */
  async approve(toolName: string, hash: string): Promise<void> {
    const tool = this.tools.find((t) => t.name === toolName);
    if (!tool) throw new WardenError('TOOL_NOT_FOUND', `Server "${this.context.label()}" lists no tool "${toolName}" now; nothing was approved.`);
    if (toolDefinitionHash(tool) !== hash) {
      throw new WardenError('TOOL_CHANGED', `The definition of tool "${toolName}" changed again while it was being reviewed; review the new one.`);
    }
    await this.context.policy.store.set(this.context.serverId, toolName, {
      hash,
      definition: toolSnapshot(tool),
      approvedAt: new Date().toISOString(),
      by: 'user',
    });
    this.context.log(`Tool "${toolName}" approved.`);
    this.update(this.tools);
  }

  dispose(): void {
    this.changeEmitter.dispose();
  }

  private remember(toolName: string, record: ApprovedTool): void {
    const failed = (error: unknown): void => this.context.log(`Could not record the approval of tool "${toolName}": ${errorMessage(error)}`);
    try {
      void Promise.resolve(this.context.policy.store.set(this.context.serverId, toolName, record)).catch(failed);
    } catch (error) {
      failed(error);
    }
  }

  private report(toolName: string, approval: Exclude<ToolApproval, { kind: 'approved' }>): void {
    const hidden = approval.findings.length > 0 ? ` It holds hidden characters: ${describeFindings(approval.findings)}.` : '';
    this.context.log(
      approval.kind === 'changed'
        ? `Tool "${toolName}" changed since it was approved; calls to it are held until it is approved again.${hidden}`
        : `Tool "${toolName}" is new and waits for approval.${hidden}`,
    );
  }
}
