import * as vscode from 'vscode';
import type { WardenApi } from '../../../src/vscode/api';
import type { ServerState } from '../../../src/core/host/serverState';

export const EXTENSION_ID = 'warden-dev.warden';

/** Activates Warden and returns its API. */
export async function warden(): Promise<WardenApi> {
  const extension = vscode.extensions.getExtension<WardenApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not installed in this VS Code`);
  return extension.activate();
}

/** Resolves with the server's state once `predicate` holds, waiting on Warden's change events. */
export function serverState(api: WardenApi, id: string, predicate: (state: ServerState) => boolean): Promise<ServerState> {
  return new Promise((resolve) => {
    if (!api.serverIds().includes(id)) console.log(`waiting for server "${id}"; hosted now: ${api.serverIds().join(', ') || 'none'}`);
    const check = (): boolean => {
      const state = api.serverState(id);
      if (state && predicate(state)) {
        resolve(state);
        return true;
      }
      return false;
    };
    if (check()) return;
    const subscription = api.onDidChangeServers(() => {
      if (check()) subscription.dispose();
    });
  });
}

export function textOf(result: vscode.LanguageModelToolResult): string {
  return result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
}
