/**
 * Turns one configured server into what Warden can do with it now: a definition to start, the
 * secrets it still needs, a launch awaiting the person's approval, or an error to report.
 */
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as vscode from 'vscode';
import type { ServerDefinition } from '../../core/host/serverDefinition';
import { allowListedEnvironment } from '../../core/transport/environment';
import { errorMessage } from '../../core/util/errors';
import { parseEnvFile } from './envFile';
import { inputNames } from './interpolation';
import { checkRemoteUrl } from '../../core/transport/remoteUrl';
import { launchHash, type ResolvedTarget } from './launch';
import type { LaunchApprovals } from './launchApprovals';
import { resolveLaunch, resolveRemote } from './resolveLaunch';
import type { UserHttpServerConfig, UserServerConfig, UserStdioServerConfig } from './serverConfig';
import type { ServerSecrets } from './serverSecrets';
import { windowsLaunch } from './windowsCommand';

export type PreparedServer =
  | { readonly kind: 'ready'; readonly definition: ServerDefinition; readonly notes: string[] }
  | { readonly kind: 'needsInputs'; readonly inputs: string[] }
  | { readonly kind: 'needsApproval'; readonly shown: ResolvedTarget; readonly envFileNames: string[]; readonly hash: string }
  | { readonly kind: 'error'; readonly message: string };

export async function prepareServer(server: UserServerConfig, secrets: ServerSecrets, approvals: LaunchApprovals): Promise<PreparedServer> {
  return server.kind === 'http' ? prepareRemote(server, secrets, approvals) : prepareLocal(server, secrets, approvals);
}

/** The values of the `${input:…}` secrets these strings use, or the names still missing. */
type Inputs = { readonly kind: 'complete'; readonly values: Record<string, string> } | { readonly kind: 'missing'; readonly names: string[] };

async function readInputs(serverId: string, strings: readonly string[], secrets: ServerSecrets): Promise<Inputs> {
  const inputs: Record<string, string> = {};
  const missing: string[] = [];
  for (const name of inputNames(strings)) {
    const value = await secrets.get(serverId, name);
    if (value === undefined) missing.push(name);
    else inputs[name] = value;
  }
  return missing.length > 0 ? { kind: 'missing', names: missing } : { kind: 'complete', values: inputs };
}

function openFolders(): { name: string; path: string }[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => ({ name: f.name, path: f.uri.fsPath }));
}

async function prepareRemote(server: UserHttpServerConfig, secrets: ServerSecrets, approvals: LaunchApprovals): Promise<PreparedServer> {
  const inputs = await readInputs(server.id, [server.url, ...Object.values(server.headers)], secrets);
  if (inputs.kind === 'missing') return { kind: 'needsInputs', inputs: inputs.names };
  const remote = resolveRemote(server, { folders: openFolders(), env: process.env, userHome: os.homedir(), inputs: inputs.values });
  if ('error' in remote) return { kind: 'error', message: remote.error };
  const checked = checkRemoteUrl(remote.run.url, { allowInsecureHttp: server.allowInsecureHttp });
  if (!checked.ok) return { kind: 'error', message: checked.error };
  const hash = launchHash(remote.shown);
  if (!approvals.isApproved(server.id, hash)) return { kind: 'needsApproval', shown: remote.shown, envFileNames: [], hash };
  return {
    kind: 'ready',
    notes: [],
    definition: {
      kind: 'http',
      id: server.id,
      label: server.id,
      url: checked.url.href,
      headers: remote.run.headers,
      ...(server.allowInsecureHttp && { allowInsecureHttp: true }),
      builtin: false,
      approveToolsImplicitly: server.trusted,
    },
  };
}

async function prepareLocal(server: UserStdioServerConfig, secrets: ServerSecrets, approvals: LaunchApprovals): Promise<PreparedServer> {
  const strings = [server.command, ...server.args, ...Object.values(server.env), server.cwd ?? '', server.envFile ?? ''];
  const read = await readInputs(server.id, strings, secrets);
  if (read.kind === 'missing') return { kind: 'needsInputs', inputs: read.names };
  const inputs = read.values;

  const launch = resolveLaunch(server, { folders: openFolders(), env: process.env, userHome: os.homedir(), inputs });
  if ('error' in launch) return { kind: 'error', message: launch.error };

  const notes: string[] = [];
  let fileVars: Record<string, string> = {};
  if (launch.run.envFile !== undefined) {
    let text: string;
    try {
      text = await readFile(launch.run.envFile, 'utf8');
    } catch (error) {
      return { kind: 'error', message: `"envFile" ${launch.run.envFile} cannot be read (${errorMessage(error)}); create it or fix the path` };
    }
    const parsed = parseEnvFile(text);
    fileVars = parsed.vars;
    notes.push(...parsed.errors.map((e) => `env file ${launch.run.envFile}, ${e} (skipped)`));
  }
  if (launch.run.cwd !== undefined && !existsSync(launch.run.cwd)) {
    return { kind: 'error', message: `"cwd" ${launch.run.cwd} does not exist; create it or fix the path` };
  }

  const hash = launchHash(launch.shown);
  if (!approvals.isApproved(server.id, hash)) {
    return { kind: 'needsApproval', shown: launch.shown, envFileNames: Object.keys(fileVars), hash };
  }

  const env = { ...fileVars, ...launch.run.env };
  const childEnv = { ...allowListedEnvironment(), ...env };
  const windows = windowsLaunch(launch.run.command, launch.run.args, {
    platform: process.platform,
    pathEnv: childEnv.PATH ?? childEnv.Path ?? '',
    ...(childEnv.PATHEXT !== undefined && { pathExt: childEnv.PATHEXT }),
    ...(process.env.ComSpec !== undefined && { comSpec: process.env.ComSpec }),
    isFile,
  });
  if (windows.note) notes.push(windows.note);
  return {
    kind: 'ready',
    notes,
    definition: {
      id: server.id,
      label: server.id,
      command: windows.command,
      args: windows.args,
      ...(launch.run.cwd !== undefined && { cwd: launch.run.cwd }),
      env: { ...env, ...windows.env },
      builtin: false,
      approveToolsImplicitly: server.trusted,
    },
  };
}

function isFile(file: string): boolean {
  return statSync(file, { throwIfNoEntry: false })?.isFile() === true;
}
