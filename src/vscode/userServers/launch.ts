/**
 * A user server's launch, resolved from its configuration: shown to the person before it first
 * starts (`formatCommandLine`) and remembered by a hash (`launchHash`) that changes whenever the
 * command, its arguments, working folder, environment or env file change.
 */
import { createHash } from 'node:crypto';

export interface ResolvedLaunch {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  /** The `env` entries, resolved; `${input:…}` kept as written when the launch is for showing. */
  readonly env: Readonly<Record<string, string>>;
  /** The env file's absolute path, if any. */
  readonly envFile?: string;
}

export function launchHash(launch: ResolvedLaunch): string {
  const canonical = JSON.stringify([
    launch.command,
    launch.args,
    launch.cwd ?? null,
    Object.entries(launch.env).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    launch.envFile ?? null,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** argv as a POSIX shell would need it typed: plain words bare, others in single quotes. */
export function formatCommandLine(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}

export function shellQuote(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The modal's detail: the command line, the working folder and the environment's names only. */
export function describeLaunch(launch: ResolvedLaunch, envFileNames: readonly string[]): string {
  const names = [...Object.keys(launch.env), ...envFileNames.filter((n) => !(n in launch.env))].sort();
  return [
    `Command line:\n${formatCommandLine([launch.command, ...launch.args])}`,
    `Working folder: ${launch.cwd ?? '(not set)'}`,
    `Environment variables: ${names.length > 0 ? names.join(', ') : '(none)'}`,
    ...(launch.envFile ? [`Env file: ${launch.envFile}`] : []),
  ].join('\n\n');
}
