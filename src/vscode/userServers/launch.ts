/**
 * A user server's launch, resolved from its configuration: shown to the person before it first
 * starts (`describeLaunch`) and remembered by a hash (`launchHash`) that changes whenever the
 * command, its arguments, working folder, environment or env file change; for a remote server,
 * whenever its URL or headers change.
 */
import { createHash } from 'node:crypto';

/** A local server's command line. */
export interface ResolvedLaunch {
  readonly kind?: undefined;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  /** The `env` entries, resolved; `${input:…}` kept as written when the launch is for showing. */
  readonly env: Readonly<Record<string, string>>;
  /** The env file's absolute path, if any. */
  readonly envFile?: string;
}

/** A remote server's endpoint. */
export interface ResolvedRemote {
  readonly kind: 'http';
  readonly url: string;
  /** Header values, resolved; `${input:…}` kept as written when the launch is for showing. */
  readonly headers: Readonly<Record<string, string>>;
  readonly allowInsecureHttp: boolean;
}

export type ResolvedTarget = ResolvedLaunch | ResolvedRemote;

export function launchHash(launch: ResolvedTarget): string {
  if (launch.kind === 'http') {
    const remote = JSON.stringify(['http', launch.url, sortedEntries(launch.headers), launch.allowInsecureHttp]);
    return createHash('sha256').update(remote).digest('hex');
  }
  const canonical = JSON.stringify([
    launch.command,
    launch.args,
    launch.cwd ?? null,
    sortedEntries(launch.env),
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

/**
 * The modal's detail: the command line, the working folder and the environment's names only; for a
 * remote server the URL and the headers' names only.
 */
export function describeLaunch(launch: ResolvedTarget, envFileNames: readonly string[]): string {
  if (launch.kind === 'http') {
    const names = Object.keys(launch.headers).sort();
    return [
      `URL:\n${launch.url}`,
      `Headers sent: ${names.length > 0 ? names.join(', ') : '(none)'}`,
      ...(launch.allowInsecureHttp && launch.url.startsWith('http:') ? ['Traffic is not encrypted (plain http:// allowed by "allowInsecureHttp").'] : []),
    ].join('\n\n');
  }
  const names = [...Object.keys(launch.env), ...envFileNames.filter((n) => !(n in launch.env))].sort();
  return [
    `Command line:\n${formatCommandLine([launch.command, ...launch.args])}`,
    `Working folder: ${launch.cwd ?? '(not set)'}`,
    `Environment variables: ${names.length > 0 ? names.join(', ') : '(none)'}`,
    ...(launch.envFile ? [`Env file: ${launch.envFile}`] : []),
  ].join('\n\n');
}

function sortedEntries(record: Readonly<Record<string, string>>): [string, string][] {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
