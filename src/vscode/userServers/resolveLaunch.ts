/**
 * Resolves one configured server into the launch that runs (secrets filled in) and the launch that
 * is shown and hashed (`${input:…}` kept as written, so no secret is displayed or remembered).
 */
import * as path from 'node:path';
import { interpolate, type InterpolationContext } from './interpolation';
import type { ResolvedLaunch } from './launch';
import type { UserServerConfig } from './serverConfig';

export interface LaunchPair {
  readonly run: ResolvedLaunch;
  readonly shown: ResolvedLaunch;
}

export function resolveLaunch(config: UserServerConfig, context: InterpolationContext): LaunchPair | { error: string } {
  const run = resolveWith(config, { ...context, keepInputs: false });
  if ('error' in run) return run;
  const shown = resolveWith(config, { ...context, keepInputs: true });
  if ('error' in shown) return shown;
  return { run, shown };
}

function resolveWith(config: UserServerConfig, context: InterpolationContext): ResolvedLaunch | { error: string } {
  const errors: string[] = [];
  const one = (text: string, where: string): string => {
    const result = interpolate(text, context);
    if (result.ok) return result.value;
    errors.push(`${where}: ${result.error}`);
    return text;
  };
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
