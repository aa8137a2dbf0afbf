/**
 * The shape of `warden.servers`: `{ "<id>": { command, args?, env?, envFile?, cwd?, trusted? } }`,
 * validated entry by entry. A bad entry becomes a problem naming the server; the others stand.
 */
export const RESERVED_SERVER_IDS: readonly string[] = ['fs', 'sqlite', 'http'];
export const SERVER_ID_PATTERN = /^[a-z0-9_-]+$/;

export type ConfigScope = 'user' | 'workspace';

export interface UserServerConfig {
  readonly id: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly envFile?: string;
  readonly cwd?: string;
  /** Its tools need no per-tool approval. Honoured from user settings only. */
  readonly trusted: boolean;
  /** Where the entry was written: user settings, or the workspace (folder) settings. */
  readonly scope: ConfigScope;
}

export interface ConfigProblem {
  readonly id: string;
  readonly message: string;
}

export interface ParsedServers {
  readonly servers: UserServerConfig[];
  readonly problems: ConfigProblem[];
}

const KEYS = ['command', 'args', 'env', 'envFile', 'cwd', 'trusted'];

export function parseServersSetting(value: unknown, scope: ConfigScope): ParsedServers {
  const servers: UserServerConfig[] = [];
  const problems: ConfigProblem[] = [];
  if (value === undefined || value === null) return { servers, problems };
  if (!isRecord(value)) {
    problems.push({ id: '(all)', message: `warden.servers in ${scope} settings must be an object of { "<id>": { "command": … } }` });
    return { servers, problems };
  }
  for (const [id, entry] of Object.entries(value)) {
    const parsed = parseEntry(id, entry, scope);
    if (typeof parsed === 'string') problems.push({ id, message: parsed });
    else servers.push(parsed);
  }
  return { servers, problems };
}

/** An entry, or what is wrong with it. */
function parseEntry(id: string, entry: unknown, scope: ConfigScope): UserServerConfig | string {
  if (!SERVER_ID_PATTERN.test(id)) return `the id "${id}" may use only lowercase letters, digits, "_" and "-"; rename it`;
  if (RESERVED_SERVER_IDS.includes(id)) return `the id "${id}" is reserved for a built-in server (${RESERVED_SERVER_IDS.join(', ')}); choose another id`;
  if (!isRecord(entry)) return 'the entry must be an object with at least "command"';
  const unknown = Object.keys(entry).filter((k) => !KEYS.includes(k));
  if (unknown.length > 0) return `unknown field(s) ${unknown.map((k) => `"${k}"`).join(', ')}; allowed: ${KEYS.join(', ')}`;
  const { command, args, env, envFile, cwd, trusted } = entry;
  if (typeof command !== 'string' || command.trim() === '') return '"command" must be a non-empty string (the program to run)';
  if (args !== undefined && !(Array.isArray(args) && args.every((a) => typeof a === 'string'))) return '"args" must be an array of strings';
  if (env !== undefined && !(isRecord(env) && Object.values(env).every((v) => typeof v === 'string'))) return '"env" must be an object of string values';
  for (const name of Object.keys(isRecord(env) ? env : {})) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return `"env" has an invalid variable name "${name}"`;
  }
  if (envFile !== undefined && (typeof envFile !== 'string' || envFile === '')) return '"envFile" must be a path string';
  if (cwd !== undefined && (typeof cwd !== 'string' || cwd === '')) return '"cwd" must be a path string';
  if (trusted !== undefined && typeof trusted !== 'boolean') return '"trusted" must be true or false';
  return {
    id,
    command,
    args: Array.isArray(args) ? args.map(String) : [],
    env: isRecord(env) ? Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)])) : {},
    ...(typeof envFile === 'string' && { envFile }),
    ...(typeof cwd === 'string' && { cwd }),
    trusted: trusted === true && scope === 'user',
    scope,
  };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
