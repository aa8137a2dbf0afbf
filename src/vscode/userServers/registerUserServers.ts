/**
 * The person's own MCP servers in VS Code: `definitions()` for Warden's reconciliation, and the
 * commands Review Server Command…, Forget Server Secrets and Import MCP Servers.
 */
import * as vscode from 'vscode';
import type { ServerDefinition } from '../../core/host/serverDefinition';
import { importServers } from './importServers';
import { LaunchApprovals } from './launchApprovals';
import { isRecord } from './serverConfig';
import { ServerSecrets } from './serverSecrets';
import { UserServers } from './userServers';

export interface UserServersSurface {
  /** The user's servers that may start now; the others are reported or asked about. */
  readonly definitions: () => Promise<ServerDefinition[]>;
  readonly disposables: vscode.Disposable[];
}

export function registerUserServers(context: vscode.ExtensionContext, reconcile: () => void): UserServersSurface {
  const log = vscode.window.createOutputChannel('Warden: Servers', { log: true });
  const secrets = new ServerSecrets(context.secrets, context.globalState);
  const servers = new UserServers({ secrets, approvals: new LaunchApprovals(context.globalState), log, reconcile });
  return {
    definitions: () => servers.definitions(),
    disposables: [
      log,
      // `{ id, approve: true }` approves without the modal, for scripts and tests.
      vscode.commands.registerCommand('warden.reviewServerCommand', async (arg?: unknown) => {
        const id = isRecord(arg) && typeof arg.id === 'string' ? arg.id : await pickServerId(servers.configuredIds());
        if (!id) return false;
        return servers.review(id, { approve: isRecord(arg) && arg.approve === true });
      }),
      // `{ id }` forgets one server's secrets; without it, every server's.
      vscode.commands.registerCommand('warden.forgetServerSecrets', async (arg?: unknown) => {
        const id = isRecord(arg) && typeof arg.id === 'string' ? arg.id : undefined;
        const count = await secrets.forget(id);
        void vscode.window.showInformationMessage(
          `Warden forgot ${count} secret(s)${id ? ` of server "${id}"` : ''}. Servers that use them ask again before they start.`,
        );
        reconcile();
        return count;
      }),
      vscode.commands.registerCommand('warden.importServers', (arg?: unknown) => importServers(arg, log)),
    ],
  };
}

async function pickServerId(ids: readonly string[]): Promise<string | undefined> {
  if (ids.length === 0) {
    void vscode.window.showInformationMessage('No server is configured in warden.servers. Add one in your settings, or run Warden: Import MCP Servers.');
    return undefined;
  }
  return vscode.window.showQuickPick([...ids], { title: 'Warden: Review Server Command', placeHolder: 'The server whose command line to review' });
}
