import * as vscode from 'vscode';
import type { ManagedServer } from '../../core/host/managedServer';
import type { ServerRegistry } from '../../core/host/serverRegistry';
import { describeState } from '../../core/host/serverState';

/**
 * The server a command acts on: from a tree node, from an id given by a script or test, or picked
 * by the user. Undefined when the user dismissed the pick.
 */
export async function resolveServer(registry: ServerRegistry, arg: unknown, title: string): Promise<ManagedServer | undefined> {
  const id = serverIdOf(arg);
  if (id !== undefined) {
    const server = registry.get(id);
    if (!server) throw new Error(`No server "${id}" is configured. Servers: ${registry.ids().join(', ') || 'none'}.`);
    return server;
  }
  const servers = registry.all();
  if (servers.length === 0) {
    void vscode.window.showInformationMessage('Warden hosts no server yet. Open a folder to start the built-in filesystem server.');
    return undefined;
  }
  if (servers.length === 1) return servers[0];
  const picked = await vscode.window.showQuickPick(
    servers.map((server) => ({ label: server.definition.label, description: describeState(server.state), server })),
    { title, placeHolder: 'Pick a server' },
  );
  return picked?.server;
}

function serverIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (typeof arg === 'object' && arg !== null && 'serverId' in arg && typeof arg.serverId === 'string') return arg.serverId;
  return undefined;
}
