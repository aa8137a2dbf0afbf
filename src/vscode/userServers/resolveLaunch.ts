/**
 * Resolves one configured server into the launch that runs (secrets filled in) and the launch that
 * is shown and hashed (`${input:…}` kept as written, so no secret is displayed or remembered); for
 * a remote server, its URL and headers likewise.
 */
import * as path from 'node:path';
import { interpolate, type InterpolationContext } from './interpolation';
import type { ResolvedLaunch, ResolvedRemote } from './launch';
import type { UserHttpServerConfig, UserStdioServerConfig } from './serverConfig';

export interface LaunchPair {
  readonly run: ResolvedLaunch;
  readonly shown: ResolvedLaunch;
}

export interface RemotePair {
  readonly run: ResolvedRemote;
  readonly shown: ResolvedRemote;
}

export function resolveLaunch(config: UserStdioServerConfig, context: InterpolationContext): LaunchPair | { error: string } {
  const run = resolveWith(config, { ...context, keepInputs: false });
  if ('error' in run) return run;
  const shown = resolveWith(config, { ...context, keepInputs: true });
  if ('error' in shown) return shown;
  return { run, shown };
}

export function resolveRemote(config: UserHttpServerConfig, context: InterpolationContext): RemotePair | { error: string } {
  const run = resolveRemoteWith(config, { ...context, keepInputs: false });
  if ('error' in run) return run;
  const shown = resolveRemoteWith(config, { ...context, keepInputs: true });
  if ('error' in shown) return shown;
  return { run, shown };
}

function resolveRemoteWith(config: UserHttpServerConfig, context: InterpolationContext): ResolvedRemote | { error: string } {
  const errors: string[] = [];
  const one = interpolator(context, errors);
  const url = one(config.url, '"url"');
  const headers = Object.fromEntries(Object.entries(config.headers).map(([k, v]) => [k, one(v, `"headers".${k}`)]));
  if (errors.length > 0) return { error: errors.join('; ') };
  return { kind: 'http', url, headers, allowInsecureHttp: config.allowInsecureHttp };
}

function interpolator(context: InterpolationContext, errors: string[]): (text: string, where: string) => string {
  return (text, where) => {
    const result = interpolate(text, context);
    if (result.ok) return result.value;
    errors.push(`${where}: ${result.error}`);
    return text;
  };
}

function resolveWith(config: UserStdioServerConfig, context: InterpolationContext): ResolvedLaunch | { error: string } {
  const errors: string[] = [];
  const one = interpolator(context, errors);
  const command = one(config.command, '"command"');
  const args = config.args.map((a, i) => one(a, `"args"[${i}]`));
  const env = Object.fromEntries(Object.entries(config.env).map(([k, v]) => [k, one(v, `"env".${k}`)]));
  const cwd = config.cwd === undefined ? undefined : relativeToFolder(one(config.cwd, '"cwd"'), context, '"cwd"', errors);
  const envFile = config.envFile === undefined ? undefined : relativeToFolder(one(config.envFile, '"envFile"'), context, '"envFile"', errors);
  if (errors.length > 0) return { error: errors.join('; ') };
  return { command, args, env, ...(cwd !== undefined && { cwd }), ...(envFile !== undefined && { envFile }) };
}

/** An absolute path; a relative one is taken from the first workspace folder. */
function relativeToFolder(p: string, context: InterpolationContext, where: string, errors: string[]): string {
  if (path.isAbsolute(p)) return path.normalize(p);
  const first = context.folders[0];
  if (!first) {
    errors.push(`${where}: "${p}" is relative but no folder is open; use an absolute path`);
    return p;
  }
  return path.resolve(first.path, p);
}
