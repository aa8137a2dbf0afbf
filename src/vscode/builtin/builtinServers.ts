/**
 * The built-in servers as launch definitions. They run on the extension host's own runtime
 * (`process.execPath` with ELECTRON_RUN_AS_NODE), so they work wherever the host runs: desktop,
 * code-server, remote and WSL alike, whatever `node` is on PATH.
 */
import * as vscode from 'vscode';
import type { ServerDefinition } from '../core/host/serverDefinition';
import type { WardenSettings } from './settings';

export const FILESYSTEM_SERVER_ID = 'fs';

export function builtinServerDefinitions(
  context: vscode.ExtensionContext,
  settings: WardenSettings,
  folders: readonly vscode.WorkspaceFolder[],
): ServerDefinition[] {
  const definitions: ServerDefinition[] = [];
  const roots = folders.filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  if (settings.filesystem.enabled && roots.length > 0) {
    definitions.push({
      id: FILESYSTEM_SERVER_ID,
      label: 'Filesystem',
      command: process.execPath,
      args: [
        context.asAbsolutePath('dist/servers/fs.js'),
        ...roots.flatMap((root) => ['--root', root]),
        '--max-bytes',
        String(settings.filesystem.maxReadBytes),
      ],
      env: { ELECTRON_RUN_AS_NODE: '1' },
      builtin: true,
    });
  }
  return definitions;
}
