/**
 * Reads `warden.servers` from each settings scope. User (global) entries always count; workspace
 * and folder entries only in a trusted workspace, and a workspace entry replaces a user entry of
 * the same id (it is approved on its own).
 */
import * as vscode from 'vscode';
import { parseServersSetting, type ConfigProblem, type UserServerConfig } from './serverConfig';

export interface ConfiguredServers {
  readonly servers: UserServerConfig[];
  readonly problems: ConfigProblem[];
  /** Ids written in workspace settings but ignored because the workspace is not trusted. */
  readonly untrustedIds: string[];
}

export function readConfiguredServers(trusted: boolean = vscode.workspace.isTrusted): ConfiguredServers {
  const inspected = vscode.workspace.getConfiguration('warden').inspect<unknown>('servers');
  const user = parseServersSetting(inspected?.globalValue, 'user');
  const workspace = parseServersSetting(inspected?.workspaceValue, 'workspace');
  const folder = parseServersSetting(inspected?.workspaceFolderValue, 'workspace');
  if (!trusted) {
    const untrustedIds = [...workspace.servers, ...folder.servers].map((s) => s.id);
    return { servers: user.servers, problems: user.problems, untrustedIds };
  }
  const byId = new Map<string, UserServerConfig>();
  for (const server of [...user.servers, ...workspace.servers, ...folder.servers]) byId.set(server.id, server);
  return { servers: [...byId.values()], problems: [...user.problems, ...workspace.problems, ...folder.problems], untrustedIds: [] };
}
