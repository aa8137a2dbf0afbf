/**
 * The shape of `warden.servers`: `{ "<id>": { command, args?, env?, envFile?, cwd?, trusted? } }`
 * for a local server, `{ "<id>": { url, headers?, type?: "http", allowInsecureHttp?, trusted? } }`
 * for a remote one, validated entry by entry. A bad entry becomes a problem naming the server; the
 * others stand.
 */
export const RESERVED_SERVER_IDS: readonly string[] = ['fs', 'sqlite', 'http'];
export const SERVER_ID_PATTERN = /^[a-z0-9_-]+$/;

export type ConfigScope = 'user' | 'workspace';

/** A local server, started as a process. It has no `kind`: entries without one are local. */
export interface UserStdioServerConfig {
  readonly kind?: undefined;
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

/** A remote server, reached over Streamable HTTP. */
export interface UserHttpServerConfig {
  readonly kind: 'http';
  readonly id: string;
  readonly url: string;
  /** Header values may hold `${input:NAME}` secrets. */
  readonly headers: Readonly<Record<string, string>>;
  /** Plain http to another machine was allowed explicitly. */
  readonly allowInsecureHttp: boolean;
  readonly trusted: boolean;
  readonly scope: ConfigScope;
}

export type UserServerConfig = UserStdioServerConfig | UserHttpServerConfig;

export interface ConfigProblem {
  readonly id: string;
  readonly message: string;
}

export interface ParsedServers {
  readonly servers: UserServerConfig[];
  readonly problems: ConfigProblem[];
}

const KEYS = ['command', 'args', 'env', 'envFile', 'cwd', 'trusted'];
const HTTP_KEYS = ['type', 'url', 'headers', 'allowInsecureHttp', 'trusted'];
/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

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
  if (!isRecord(entry)) return 'the entry must be an object with at least "command" (a local server) or "url" (a remote one)';
  if (!('command' in entry) && ('url' in entry || 'type' in entry)) return parseHttpEntry(id, entry, scope);
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

function parseHttpEntry(id: string, entry: Record<string, unknown>, scope: ConfigScope): UserHttpServerConfig | string {
  const { type, url, headers, allowInsecureHttp, trusted } = entry;
  if (type === 'sse') return '"type": "sse" (the older HTTP+SSE transport) is not supported; give the server\'s Streamable HTTP endpoint with "type": "http"';
  if (type !== undefined && type !== 'http') return `"type" must be "http" for a remote server (a local one has "command" instead)`;
  const unknown = Object.keys(entry).filter((k) => !HTTP_KEYS.includes(k));
  if (unknown.length > 0) return `unknown field(s) ${unknown.map((k) => `"${k}"`).join(', ')}; a remote server allows: ${HTTP_KEYS.join(', ')}`;
  if (typeof url !== 'string' || url.trim() === '') return '"url" must be a non-empty string (the server\'s MCP endpoint, https://…)';
  if (headers !== undefined && !(isRecord(headers) && Object.values(headers).every((v) => typeof v === 'string'))) return '"headers" must be an object of string values';
  for (const name of Object.keys(isRecord(headers) ? headers : {})) {
    if (!HEADER_NAME.test(name)) return `"headers" has an invalid header name "${name}"`;
  }
  if (allowInsecureHttp !== undefined && typeof allowInsecureHttp !== 'boolean') return '"allowInsecureHttp" must be true or false';
  if (trusted !== undefined && typeof trusted !== 'boolean') return '"trusted" must be true or false';
  return {
    kind: 'http',
    id,
    url: url.trim(),
    headers: isRecord(headers) ? Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, String(v)])) : {},
    allowInsecureHttp: allowInsecureHttp === true,
    trusted: trusted === true && scope === 'user',
    scope,
  };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
