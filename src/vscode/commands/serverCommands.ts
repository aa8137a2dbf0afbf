import * as vscode from 'vscode';
import type { ServerRegistry } from '../../core/host/serverRegistry';
import { describeState } from '../../core/host/serverState';
import type { ServerLogs } from '../serverLogs';
import { setToolEnabled } from '../disabledTools';
import { resolveServer } from './pickServer';
import { toolOf } from './toolTarget';

export function registerServerCommands(registry: ServerRegistry, logs: ServerLogs): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('warden.restartServer', async (arg?: unknown) => {
      const server = await resolveServer(registry, arg, 'Warden: Restart Server');
      if (!server) return;
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Restarting ${server.definition.label}…` },
        () => server.restart(),
      );
      const state = server.state;
      if (state.kind === 'running') {
        void vscode.window.showInformationMessage(`${server.definition.label} restarted: ${describeState(state)}.`);
      } else {
        const choice = await vscode.window.showErrorMessage(`${server.definition.label} did not start: ${describeState(state)}`, 'Show Log');
        if (choice === 'Show Log') logs.channel(server.id, server.definition.label).show(true);
      }
    }),
    vscode.commands.registerCommand('warden.startServer', async (arg?: unknown) => {
      const server = await resolveServer(registry, arg, 'Warden: Start Server');
      if (!server) return;
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Starting ${server.definition.label}…` }, () => server.start());
      if (server.state.kind !== 'running') void vscode.window.showErrorMessage(`${server.definition.label} did not start: ${describeState(server.state)}`);
    }),
    vscode.commands.registerCommand('warden.stopServer', async (arg?: unknown) => {
      const server = await resolveServer(registry, arg, 'Warden: Stop Server');
      if (server) await server.stop();
    }),
    vscode.commands.registerCommand('warden.disableTool', async (arg?: unknown) => {
      const target = toolOf(arg);
      if (target) await setToolEnabled(target.serverId, target.tool, false);
    }),
    vscode.commands.registerCommand('warden.enableTool', async (arg?: unknown) => {
      const target = toolOf(arg);
      if (target) await setToolEnabled(target.serverId, target.tool, true);
    }),
    vscode.commands.registerCommand('warden.showServerLog', async (arg?: unknown) => {
      const server = await resolveServer(registry, arg, 'Warden: Show Server Log');
      if (server) logs.channel(server.id, server.definition.label).show(true);
    }),
  ];
}
