/**
 * The rug-pull guard's rules. Each tool a server lists is compared with what was approved for it
 * (a hash of its definition, and the definition itself so a change can be shown as a diff):
 * - approved: the same definition was approved before, or the server's tools are approved
 *   implicitly (built-in servers), or it is new, clean, and new tools are trusted on first use;
 * - new: never approved, and either new tools wait for a person or its definition holds hidden
 *   characters;
 * - changed: it differs from the approved definition.
 * New and changed tools are held: calls to them fail until a person approves them. The store is
 * an interface; the front end persists it.
 */
import type { Tool } from '../protocol/types';
import { WardenError } from '../util/errors';
import { describeFindings, findHiddenCharacters, type HiddenCharacterFinding } from './hiddenCharacters';
import { toolDefinitionHash, toolSnapshot, type ToolSnapshot } from './toolFingerprint';

export interface ApprovedTool {
  readonly hash: string;
  readonly definition: ToolSnapshot;
  /** ISO time of the approval. */
  readonly approvedAt: string;
  /** A person approved it, or Warden recorded it when it first saw it. */
  readonly by: 'user' | 'first-use';
}

/** Approved tool definitions, per server id and tool name. The front end persists them. */
export interface ToolApprovalStore {
  get(serverId: string, toolName: string): ApprovedTool | undefined;
  set(serverId: string, toolName: string, approved: ApprovedTool): void | Promise<void>;
}

export interface ToolApprovalPolicy {
  readonly store: ToolApprovalStore;
  /**
   * 'first-use': a new tool without hidden characters is approved the first time Warden sees it
   * and recorded, so any later change is caught. 'ask': every new tool waits for a person.
   */
  readonly newTools: 'first-use' | 'ask';
}

export type ToolApproval =
  | {
      readonly kind: 'approved';
      readonly hash: string;
      readonly by: 'user' | 'first-use' | 'implicit';
      readonly findings: readonly HiddenCharacterFinding[];
    }
  | { readonly kind: 'new'; readonly hash: string; readonly current: ToolSnapshot; readonly findings: readonly HiddenCharacterFinding[] }
  | {
      readonly kind: 'changed';
      readonly hash: string;
      readonly current: ToolSnapshot;
      readonly previous: ToolSnapshot;
      readonly previousHash: string;
      readonly previousBy: 'user' | 'first-use';
      readonly findings: readonly HiddenCharacterFinding[];
    };

export interface Assessment {
  readonly approval: ToolApproval;
  /** A first-use approval to record in the store. */
  readonly record?: ApprovedTool;
}

export function assessTool(
  serverId: string,
  tool: Tool,
  policy: ToolApprovalPolicy,
  implicit: boolean,
  now: () => Date = () => new Date(),
): Assessment {
  const current = toolSnapshot(tool);
  const hash = toolDefinitionHash(current);
  const findings = findHiddenCharacters(current);
  if (implicit && findings.length === 0) return { approval: { kind: 'approved', hash, by: 'implicit', findings } };
  const stored = policy.store.get(serverId, tool.name);
  if (stored?.hash === hash) return { approval: { kind: 'approved', hash, by: stored.by, findings } };
  if (stored) {
    return {
      approval: { kind: 'changed', hash, current, previous: stored.definition, previousHash: stored.hash, previousBy: stored.by, findings },
    };
  }
  if (findings.length === 0 && policy.newTools === 'first-use') {
    return {
      approval: { kind: 'approved', hash, by: 'first-use', findings },
      record: { hash, definition: current, approvedAt: now().toISOString(), by: 'first-use' },
    };
  }
  return { approval: { kind: 'new', hash, current, findings } };
}

/** Why a call to this tool is held back, or undefined when it may run. */
export function heldBack(serverLabel: string, toolName: string, approval: ToolApproval | undefined): WardenError | undefined {
  if (!approval || approval.kind === 'approved') return undefined;
  const tool = `tool "${toolName}" of server "${serverLabel}"`;
  const hidden = approval.findings.length > 0 ? ` It holds characters a person cannot see (${describeFindings(approval.findings)}).` : '';
  if (approval.kind === 'changed') {
    const since = approval.previousBy === 'user' ? 'you approved it' : 'Warden first saw it';
    return new WardenError(
      'TOOL_CHANGED',
      `The definition of ${tool} changed since ${since}; review and approve it again in the Warden view.${hidden}`,
      { previousHash: approval.previousHash, hash: approval.hash },
    );
  }
  return new WardenError(
    'TOOL_NOT_APPROVED',
    `The ${tool} is new and needs your approval; review and approve it in the Warden view.${hidden}`,
    { hash: approval.hash },
  );
}

/** Keeps approvals in memory only: the default when the front end gives no store. */
export class MemoryToolApprovalStore implements ToolApprovalStore {
  private readonly approvals = new Map<string, ApprovedTool>();

  get(serverId: string, toolName: string): ApprovedTool | undefined {
    return this.approvals.get(key(serverId, toolName));
  }

  set(serverId: string, toolName: string, approved: ApprovedTool): void {
    this.approvals.set(key(serverId, toolName), approved);
  }
}

function key(serverId: string, toolName: string): string {
  return JSON.stringify([serverId, toolName]);
}
