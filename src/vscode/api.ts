import type { Event, McpServerDefinitionProvider, McpStdioServerDefinition } from 'vscode';
import type { AuditCall } from '../core/audit/history';
import type { ServerState } from '../core/host/serverState';
import type { Tool } from '../core/protocol/types';

/** What `activate()` returns: a read-only view for other extensions and the in-host tests. */
export interface WardenApi {
  /** The folder of this workspace's audit log (chained, signed JSON Lines files). */
  readonly auditLogDirectory: string;
  /** The newest calls in the audit log, newest first. */
  recentAuditCalls(limit: number): Promise<readonly AuditCall[]>;
  serverIds(): string[];
  /** The confirmations a person chose to remember (for the session, the workspace, or always). */
  approvals(): readonly { readonly key: string; readonly scope: 'session' | 'workspace' | 'always' }[];
  /** What Warden offers VS Code's MCP client: its gateway, hosting the person's approved servers. */
  readonly gatewayMcpProvider: McpServerDefinitionProvider<McpStdioServerDefinition> & {
    /** Writes the gateway's configuration again from the settings, and tells VS Code if it must know. */
    refresh(): Promise<void>;
  };
  serverState(id: string): ServerState | undefined;
  serverTools(id: string): readonly Tool[];
  /** Fires when any server's state or tools change. */
  readonly onDidChangeServers: Event<void>;
  /** Fires as Warden asks a person to confirm a call: server and tool. */
  readonly onDidAskToConfirm: Event<{ readonly server: string; readonly tool: string }>;
}
