/**
 * The gateway's tool list: every hosted tool as `<server>.<tool>`, offered to a caller only when
 * the policy could allow it (the gate's preview without arguments; denied tools are left out).
 * Definitions, schemas and annotations are the hosted server's own.
 */
import type { ServerRegistry } from '../core/host/serverRegistry';
import type { Caller } from '../core/policy/types';
import type { Tool } from '../core/protocol/types';
import type { ToolRouter } from '../core/router/toolRouter';

/** MCP's tool name alphabet and length. */
const TOOL_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

export interface ToolAddress {
  readonly server: string;
  readonly tool: string;
}

export function gatewayToolName(server: string, tool: string): string | undefined {
  const name = `${server}.${tool}`;
  return TOOL_NAME.test(name) ? name : undefined;
}

/** Server ids hold no dots, so the first dot separates the server from the tool. */
export function parseToolName(name: string): ToolAddress | undefined {
  const dot = name.indexOf('.');
  if (dot <= 0 || dot === name.length - 1) return undefined;
  return { server: name.slice(0, dot), tool: name.slice(dot + 1) };
}

export type ToolLookup =
  | { readonly kind: 'unknown'; readonly message: string }
  | { readonly kind: 'found'; readonly address: ToolAddress };

export class GatewayCatalog {
  constructor(
    private readonly registry: ServerRegistry,
    private readonly router: ToolRouter,
  ) {}

  /** The tools this caller may be offered now, in server order. */
  list(caller: Caller): Tool[] {
    const tools: Tool[] = [];
    for (const server of this.registry.all()) {
      for (const tool of server.tools) {
        const name = gatewayToolName(server.id, tool.name);
        if (name === undefined) continue;
        const preview = this.router.previewTool({ caller, server: server.id, tool: tool.name });
        if (preview.kind !== 'decided' || preview.decision.effect === 'deny') continue;
        tools.push({ ...tool, name });
      }
    }
    return tools;
  }

  /**
   * Where a call goes. Unknown means no such server, or a running server without that tool;
   * anything else (a denied tool, a server restarting) goes to the gate, which refuses it with
   * its own message and audits the refusal.
   */
  lookup(name: string): ToolLookup {
    const address = parseToolName(name);
    if (!address) return { kind: 'unknown', message: `Unknown tool "${name}": gateway tools are named <server>.<tool>. Call tools/list for the available tools.` };
    const server = this.registry.get(address.server);
    if (!server) return { kind: 'unknown', message: `Unknown tool "${name}": no server "${address.server}" is hosted. Call tools/list for the available tools.` };
    if (server.state.kind === 'running' && !server.tools.some((t) => t.name === address.tool)) {
      return { kind: 'unknown', message: `Unknown tool "${name}": server "${address.server}" has no tool "${address.tool}". Call tools/list for the available tools.` };
    }
    return { kind: 'found', address };
  }
}
