/**
 * Warden: Copy Gateway Config for Claude Desktop / CLI agents. Writes the gateway configuration
 * for clients outside VS Code (the servers of the user settings, the user's policy), then puts on
 * the clipboard the `mcpServers` entry a person pastes into claude_desktop_config.json or an
 * agent's MCP configuration, and offers to open the configuration it points at.
 */
import * as vscode from 'vscode';
import { errorMessage } from '../../core/util/errors';
import type { WrittenConfig } from './gatewayConfig';

export const COPY_GATEWAY_CONFIG_COMMAND = 'warden.copyGatewayConfig';
const OPEN = 'Open Gateway Config';

/** The entry as a client's configuration expects it; `node` is whatever Node the client finds on its PATH. */
export function clientSnippet(gatewayScript: string, configFile: string): { mcpServers: Record<string, { command: string; args: string[] }> } {
  return { mcpServers: { warden: { command: 'node', args: [gatewayScript, '--stdio', '--config', configFile] } } };
}

export function registerCopyGatewayConfig(deps: {
  readonly gatewayScript: string;
  readonly writeConfig: () => Promise<WrittenConfig & { readonly skipped: readonly string[] }>;
}): vscode.Disposable {
  // `{ open: false }` skips the question, for scripts and tests; resolves with the snippet's text.
  return vscode.commands.registerCommand(COPY_GATEWAY_CONFIG_COMMAND, async (arg?: unknown) => {
    let written: Awaited<ReturnType<typeof deps.writeConfig>>;
    try {
      written = await deps.writeConfig();
    } catch (error) {
      void vscode.window.showErrorMessage(`Warden could not write the gateway configuration: ${errorMessage(error)}. Check that its global storage folder is writable.`);
      return undefined;
    }
    const text = `${JSON.stringify(clientSnippet(deps.gatewayScript, written.file), null, 2)}\n`;
    await vscode.env.clipboard.writeText(text);
    const hosted = written.serverIds.length > 0 ? `It hosts ${written.serverIds.join(', ')}` : 'It hosts no server yet: approve one in warden.servers first';
    const skipped = written.skipped.length > 0 ? `; left out: ${written.skipped.join(', ')}` : '';
    const message = `Copied the Warden gateway entry for "mcpServers" to the clipboard. ${hosted}${skipped}. Copy it again after Warden updates: it names this version's gateway.js.`;
    const ask = !(typeof arg === 'object' && arg !== null && 'open' in arg && arg.open === false);
    if (!ask) {
      void vscode.window.showInformationMessage(message);
      return text;
    }
    void vscode.window.showInformationMessage(message, OPEN).then(async (choice) => {
      if (choice === OPEN) await vscode.window.showTextDocument(vscode.Uri.file(written.file));
    });
    return text;
  });
}
