/**
 * Which hosted tools the chat participant offers its model: every tool of a running server that
 * the policy does not deny to the caller outright and whose definition is approved. A tool the
 * policy wants confirmed is offered; the gate asks when the model calls it. A rate limit or a
 * spent budget does not hide a tool: the gate's answer tells the model when to try again.
 */
import type { ToolApproval } from '../../core/host/toolApproval';
import type { ServerState } from '../../core/host/serverState';
import type { Caller } from '../../core/policy/types';
import type { Tool } from '../../core/protocol/types';
import type { Preview } from '../../core/router/toolRouter';
import { modelToolName } from '../../core/naming/modelToolNames';

/** The registry as the catalogue reads it. */
export interface CatalogServers {
  all(): readonly CatalogServer[];
}

export interface CatalogServer {
  readonly id: string;
  readonly definition: { readonly label: string };
  readonly state: ServerState;
  readonly tools: readonly Tool[];
  readonly toolApprovals: ReadonlyMap<string, ToolApproval>;
}

/** The router as the catalogue reads it. */
export interface CatalogPolicy {
  previewTool(request: { caller: Caller; server: string; tool: string }): Preview;
}

export interface OfferedTool {
  /** The name the model calls it by. */
  readonly name: string;
  readonly server: string;
  readonly serverLabel: string;
  readonly tool: Tool;
  /** Why the gate will ask a person first, when it will. */
  readonly confirmation?: string;
}

export interface WithheldTool {
  readonly server: string;
  readonly tool: string;
  readonly why: string;
}

export interface ServerSummary {
  readonly id: string;
  readonly label: string;
  readonly running: boolean;
  readonly state: ServerState['kind'];
}

export interface ToolCatalog {
  readonly offered: readonly OfferedTool[];
  readonly withheld: readonly WithheldTool[];
  readonly servers: readonly ServerSummary[];
  find(name: string): OfferedTool | undefined;
}

export function buildCatalog(servers: CatalogServers, policy: CatalogPolicy, caller: Caller): ToolCatalog {
  const offered: OfferedTool[] = [];
  const withheld: WithheldTool[] = [];
  const summaries: ServerSummary[] = [];
  const names = new Set<string>();
  for (const server of servers.all()) {
    const running = server.state.kind === 'running';
    summaries.push({ id: server.id, label: server.definition.label, running, state: server.state.kind });
    for (const tool of server.tools) {
      const approval = server.toolApprovals.get(tool.name);
      if (approval && approval.kind !== 'approved') {
        withheld.push({ server: server.id, tool: tool.name, why: approval.kind === 'new' ? 'new, waiting for your approval in the Warden view' : 'changed since you approved it; review it in the Warden view' });
        continue;
      }
      const preview = policy.previewTool({ caller, server: server.id, tool: tool.name });
      if (preview.kind === 'unavailable') {
        withheld.push({ server: server.id, tool: tool.name, why: preview.error.message });
        continue;
      }
      const decision = preview.decision;
      if (decision.effect === 'deny' && (decision.reason === 'rule' || decision.reason === 'no-rule')) {
        withheld.push({ server: server.id, tool: tool.name, why: decision.reason === 'rule' ? `denied by rule "${decision.rule.id}"` : 'no policy rule allows it' });
        continue;
      }
      const name = modelToolName(server.id, tool.name, names);
      names.add(name);
      offered.push({
        name,
        server: server.id,
        serverLabel: server.definition.label,
        tool,
        ...(decision.effect === 'confirm' && { confirmation: decision.why }),
      });
    }
  }
  const byName = new Map(offered.map((t) => [t.name, t]));
  return { offered, withheld, servers: summaries, find: (name) => byName.get(name) };
}
