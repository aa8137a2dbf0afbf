/**
 * The built-in servers as launch definitions. They run on the extension host's own runtime
 * (`process.execPath` with ELECTRON_RUN_AS_NODE), so they work wherever the host runs: desktop,
 * code-server, remote and WSL alike, whatever `node` is on PATH; and under Node's permission
 * model where that runtime honours it.
 */
import { realpathSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { StdioServerDefinition } from '../../core/host/serverDefinition';
import { compilerBundlesBeside } from '../../servers/shared/compilerBundles';
import { LINUX_DESCRIPTOR_DIRECTORY, fsServerReadPaths } from '../../servers/fs/permissionPaths';
import type { WardenSettings } from '../settings';
import { confinementFor } from './confinement';

export const FILESYSTEM_SERVER_ID = 'fs';
export const HTTP_SERVER_ID = 'http';
export const SQLITE_SERVER_ID = 'sqlite';

export interface BuiltinDefinition extends StdioServerDefinition {
  /** Said in the server's log before it starts. */
  readonly note: string;
}

export async function builtinServerDefinitions(
  context: vscode.ExtensionContext,
  settings: WardenSettings,
  folders: readonly vscode.WorkspaceFolder[],
): Promise<BuiltinDefinition[]> {
  const definitions: BuiltinDefinition[] = [];
  const outside = path.join(os.tmpdir(), 'warden-permission-probe', 'outside');
  const roots = folders.filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  if (settings.filesystem.enabled && roots.length > 0) {
    const script = bundle(context, 'fs.js');
    const confinement = await confinementFor(fsServerReadPaths(script, roots), outside);
    const fs = settings.filesystem;
    definitions.push({
      id: FILESYSTEM_SERVER_ID,
      label: 'Filesystem',
      command: process.execPath,
      args: [
        ...confinement.flags,
        script,
        ...roots.flatMap((root) => ['--root', root]),
        '--max-bytes',
        String(fs.maxReadBytes),
        ...fs.deniedSecretFiles.flatMap((glob) => ['--deny', glob]),
        ...fs.allowedSecretFiles.flatMap((glob) => ['--allow-secret', glob]),
        ...(fs.defaultSecretRules ? [] : ['--no-default-deny']),
      ],
      env: { ELECTRON_RUN_AS_NODE: '1' },
      builtin: true,
      note: confinement.note,
    });
  }
  if (settings.sqlite.enabled && (roots.length > 0 || settings.sqlite.databases.length > 0)) {
    const script = bundle(context, 'sqlite.js');
    const sql = settings.sqlite;
    // The same paths as the filesystem server's, less /proc/self/fd, which only its descriptor check reads.
    const readPaths = [
      ...fsServerReadPaths(script, roots).filter((p) => p !== LINUX_DESCRIPTOR_DIRECTORY),
      bundle(context, 'sqlite-worker.js'),
      bundle(context, 'sql-wasm.wasm'),
      ...sql.databases,
    ];
    const confinement = await confinementFor(readPaths, outside);
    definitions.push({
      id: SQLITE_SERVER_ID,
      label: 'SQLite',
      command: process.execPath,
      // Queries run in a worker thread that is terminated when they run too long.
      args: [
        ...confinement.flags,
        ...(confinement.flags.length > 0 ? ['--allow-worker'] : []),
        script,
        ...roots.flatMap((root) => ['--root', root]),
        ...sql.databases.flatMap((db) => ['--db', db]),
        '--max-db-bytes',
        String(sql.maxDatabaseBytes),
        '--max-rows',
        String(sql.maxRows),
        '--max-result-bytes',
        String(sql.maxResultBytes),
        '--timeout-ms',
        String(sql.queryTimeoutSeconds * 1000),
      ],
      env: { ELECTRON_RUN_AS_NODE: '1' },
      builtin: true,
      note: confinement.note,
    });
  }
  if (settings.http.enabled) {
    const script = bundle(context, 'http.js');
    const confinement = await confinementFor([script, ...compilerBundlesBeside(script)], outside);
    const http = settings.http;
    definitions.push({
      id: HTTP_SERVER_ID,
      label: 'Web fetch',
      command: process.execPath,
      args: [
        ...confinement.flags,
        script,
        ...http.allowedHosts.flatMap((host) => ['--allow', host]),
        ...http.allowedPorts.flatMap((port) => ['--allow-port', String(port)]),
        ...(http.allowPrivateNetworks ? ['--allow-private'] : []),
        '--max-bytes',
        String(http.maxResponseBytes),
        '--timeout-ms',
        String(http.timeoutSeconds * 1000),
      ],
      env: { ELECTRON_RUN_AS_NODE: '1' },
      builtin: true,
      note: confinement.note,
    });
  }
  return definitions;
}

/**
 * A server bundle's real path: Node resolves symbolic links in the script path before the
 * permission model checks it, so an extension installed through a link must be allowed by its
 * real path.
 */
function bundle(context: vscode.ExtensionContext, name: string): string {
  return realpathSync(context.asAbsolutePath(path.join('dist', 'servers', name)));
}
