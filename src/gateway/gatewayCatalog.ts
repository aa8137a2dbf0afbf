/**
 * The gateway's tool list: every hosted tool as `<server>__<tool>`, the name a model API accepts
 * (`^[A-Za-z0-9_-]{1,64}$`; VS Code's MCP client and Anthropic's API refuse MCP's dotted names),
 * made to fit and kept unique as the chat participant's names are (core/naming/modelToolNames.ts).
 * A tool is offered to a caller only when the policy could allow it (the gate's preview without
 * arguments; denied tools are left out). Definitions, schemas and annotations are the hosted
 * server's own.
 */
import type { ServerState } from '../core/host/serverState';
import { MODEL_TOOL_SEPARATOR, modelToolName } from '../core/naming/modelToolNames';
import type { Caller } from '../core/policy/types';
import type { Tool } from '../core/protocol/types';
import type { Preview } from '../core/router/toolRouter';

export interface ToolAddress {
  readonly server: string;
  readonly tool: string;
}

export type ToolLookup =
  | { readonly kind: 'unknown'; readonly message: string }
  | { readonly kind: 'found'; readonly address: ToolAddress };

/** The registry as the catalogue reads it (`ServerRegistry` is one). */
export interface CatalogRegistry {
  all(): readonly { readonly id: string; readonly state: ServerState; readonly tools: readonly Tool[] }[];
}

/** The gate as the catalogue asks it (`ToolRouter` is one). */
export interface CatalogGate {
  previewTool(request: { caller: Caller; server: string; tool: string }): Preview;
}

interface NamedTool {
  readonly name: string;
  readonly server: string;
  readonly tool: Tool;
}

export class GatewayCatalog {
  constructor(
    private readonly registry: CatalogRegistry,
    private readonly router: CatalogGate,
  ) {}

  /** The tools this caller may be offered now, in server order. */
  list(caller: Caller): Tool[] {
    const tools: Tool[] = [];
    for (const { name, server, tool } of this.named()) {
      const preview = this.router.previewTool({ caller, server, tool: tool.name });
      if (preview.kind !== 'decided' || preview.decision.effect === 'deny') continue;
      tools.push({ ...tool, name });
    }
    return tools;
  }

  /**
   * Where a call goes. Unknown means no such server, or a running server without that tool;
   * anything else (a denied tool, a tool of a server that is restarting and lists nothing now) goes
   * to the gate, which refuses it with its own message and audits the refusal.
   */
  lookup(name: string): ToolLookup {
    const named = this.named().find((n) => n.name === name);
    if (named) return { kind: 'found', address: { server: named.server, tool: named.tool.name } };
    // The longest server id that prefixes the name: ids may themselves hold the separator.
    const server = this.registry
      .all()
      .filter((s) => name.startsWith(`${s.id}${MODEL_TOOL_SEPARATOR}`))
      .sort((a, b) => b.id.length - a.id.length)[0];
    if (!server) {
      return { kind: 'unknown', message: `Unknown tool "${name}": gateway tools are named <server>${MODEL_TOOL_SEPARATOR}<tool>, and no hosted server is named so. Call tools/list for the available tools.` };
    }
    const tool = name.slice(server.id.length + MODEL_TOOL_SEPARATOR.length);
    if (server.state.kind === 'running' || tool.length === 0) {
      return { kind: 'unknown', message: `Unknown tool "${name}": server "${server.id}" has no tool "${tool}". Call tools/list for the available tools.` };
    }
    return { kind: 'found', address: { server: server.id, tool } };
  }

  /** Every hosted tool with its gateway name, in server order, whoever asks: a name never depends on the caller. */
  private named(): NamedTool[] {
    const taken = new Set<string>();
    const named: NamedTool[] = [];
    for (const server of this.registry.all()) {
      for (const tool of server.tools) {
        const name = modelToolName(server.id, tool.name, taken);
        taken.add(name);
        named.push({ name, server: server.id, tool });
      }
    }
    return named;
  }
}
