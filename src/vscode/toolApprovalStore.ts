/**
 * Approved tool definitions, kept in VS Code's global state so that a definition that changes
 * between sessions (a "rug pull") is caught on the next start, not just while VS Code runs.
 */
import type * as vscode from 'vscode';
import type { ApprovedTool, ToolApprovalStore } from '../core/host/toolApproval';
import type { ToolSnapshot } from '../core/host/toolFingerprint';
import type { JsonObject } from '../core/protocol/types';

const KEY = 'warden.approvedTools';

export class MementoToolApprovalStore implements ToolApprovalStore {
  constructor(private readonly memento: vscode.Memento) {}

  get(serverId: string, toolName: string): ApprovedTool | undefined {
    return this.read()[entryKey(serverId, toolName)];
  }

  async set(serverId: string, toolName: string, approved: ApprovedTool): Promise<void> {
    await this.memento.update(KEY, { ...this.read(), [entryKey(serverId, toolName)]: approved });
  }

  private read(): Record<string, ApprovedTool> {
    const raw = this.memento.get<unknown>(KEY);
    if (!isObject(raw)) return {};
    const entries: Record<string, ApprovedTool> = {};
    for (const [key, value] of Object.entries(raw)) {
      const approved = asApprovedTool(value);
      if (approved) entries[key] = approved;
    }
    return entries;
  }
}

function entryKey(serverId: string, toolName: string): string {
  return `${serverId}/${toolName}`;
}

/** Only well-formed entries count: a damaged one is as if never approved, so it is asked again. */
function asApprovedTool(value: unknown): ApprovedTool | undefined {
  if (!isObject(value)) return undefined;
  const { hash, approvedAt, by, definition } = value;
  if (typeof hash !== 'string' || typeof approvedAt !== 'string' || (by !== 'user' && by !== 'first-use')) return undefined;
  const snapshot = asSnapshot(definition);
  return snapshot ? { hash, approvedAt, by, definition: snapshot } : undefined;
}

function asSnapshot(value: unknown): ToolSnapshot | undefined {
  if (!isObject(value) || typeof value.name !== 'string' || !isObject(value.inputSchema)) return undefined;
  return {
    name: value.name,
    inputSchema: value.inputSchema,
    ...(typeof value.title === 'string' && { title: value.title }),
    ...(typeof value.description === 'string' && { description: value.description }),
    ...(isObject(value.outputSchema) && { outputSchema: value.outputSchema }),
    ...(isObject(value.annotations) && { annotations: value.annotations }),
  };
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
