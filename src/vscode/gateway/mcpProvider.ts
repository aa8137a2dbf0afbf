/**
 * Offers Warden's gateway to VS Code's built-in MCP client, so that the tools of the person's own
 * servers reach chat under their own names and schemas, each call through the gateway's gate
 * (policy for the caller `gateway:<client>`, supervision, its own audit log). The gateway runs
 * with the editor's own Node (`process.execPath`, as a language server would), so it starts
 * wherever the extension host runs.
 *
 * The configuration is rewritten whenever the servers, the policy or the approvals change, and the
 * running gateway applies it itself (telling VS Code with list_changed). VS Code is told of a
 * change, and so stops the gateway it started, only when the gateway must start again (its audit
 * settings changed) or when there comes to be a gateway to offer or none: a call in flight is not
 * cut short by an approval.
 */
import * as vscode from 'vscode';
import type { WrittenConfig } from './gatewayConfig';

export const MCP_PROVIDER_ID = 'warden.gateway';
export const MCP_SERVER_LABEL = 'Warden Gateway';

export interface GatewayDefinitionSource {
  /** Writes the window's configuration (when it changed) and says what it holds; undefined when the window may start nothing. */
  readonly writeConfig: () => Promise<WrittenConfig | undefined>;
  readonly gatewayScript: string;
  /** Fires when the servers, the policy or the approvals the configuration is made of may have changed. */
  readonly onDidChangeInputs: vscode.Event<void>;
  /** Reports a configuration that could not be written on a change (nobody awaits that write). */
  readonly reportError: (error: unknown) => void;
}

export class GatewayMcpProvider implements vscode.McpServerDefinitionProvider<vscode.McpStdioServerDefinition>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChangeMcpServerDefinitions = this.changeEmitter.event;
  private readonly inputsListener: vscode.Disposable;
  private lastOffered: string | undefined;

  constructor(private readonly source: GatewayDefinitionSource) {
    this.inputsListener = source.onDidChangeInputs(() => this.refresh().catch(source.reportError));
  }

  async provideMcpServerDefinitions(): Promise<vscode.McpStdioServerDefinition[]> {
    const written = await this.source.writeConfig();
    this.lastOffered = offered(written);
    if (!written || written.serverIds.length === 0) return [];
    return [this.definition(written)];
  }

  /** Rewrites the configuration just before VS Code starts the gateway, so it starts with what holds now. */
  async resolveMcpServerDefinition(server: vscode.McpStdioServerDefinition): Promise<vscode.McpStdioServerDefinition | undefined> {
    const written = await this.source.writeConfig();
    if (!written) {
      void vscode.window.showWarningMessage('Warden starts no server in an untrusted workspace, so its gateway does not start here.');
      return undefined;
    }
    server.args = this.definition(written).args;
    return server;
  }

  /** Writes the configuration again and tells VS Code when what it offers changed. */
  async refresh(): Promise<void> {
    const written = await this.source.writeConfig();
    const now = offered(written);
    if (now === this.lastOffered) return;
    this.lastOffered = now;
    this.changeEmitter.fire();
  }

  dispose(): void {
    this.inputsListener.dispose();
    this.changeEmitter.dispose();
  }

  private definition(written: WrittenConfig): vscode.McpStdioServerDefinition {
    return new vscode.McpStdioServerDefinition(
      MCP_SERVER_LABEL,
      process.execPath,
      [this.source.gatewayScript, '--stdio', '--config', written.file],
      // Run the editor's own executable as Node (desktop VS Code's is Electron).
      { ELECTRON_RUN_AS_NODE: '1' },
      written.restartVersion,
    );
  }
}

/** What VS Code is offered, as far as a change to it needs VS Code to know: none, or a gateway to (re)start. */
function offered(written: WrittenConfig | undefined): string | undefined {
  return written === undefined || written.serverIds.length === 0 ? undefined : written.restartVersion;
}
