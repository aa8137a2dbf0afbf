/**
 * Converts VS Code's `.vscode/mcp.json` (`{ servers, inputs }`) or a Claude Desktop file
 * (`{ mcpServers }`) into `warden.servers` entries: local (command) servers and remote
 * Streamable HTTP (url) servers. Servers on the older SSE transport are skipped with a note.
 */
import { RESERVED_SERVER_IDS, isRecord } from './serverConfig';

export interface ImportedLocalServer {
  readonly command: string;
  readonly args?: string[];
  readonly env?: Record<string, string>;
  readonly envFile?: string;
  readonly cwd?: string;
}

export interface ImportedRemoteServer {
  readonly type: 'http';
  readonly url: string;
  readonly headers?: Record<string, string>;
}

export type ImportedServer = ImportedLocalServer | ImportedRemoteServer;

export interface ImportResult {
  readonly format: 'vscode' | 'claude';
  /** Keyed by the sanitised id. */
  readonly servers: Record<string, ImportedServer>;
  /** One line per entry skipped or renamed. */
  readonly notes: string[];
}

export function convertMcpConfig(value: unknown): ImportResult | { error: string } {
  if (!isRecord(value)) return { error: 'the file is not a JSON object' };
  const format = isRecord(value.servers) ? 'vscode' : isRecord(value.mcpServers) ? 'claude' : undefined;
  if (!format) return { error: 'the file has neither "servers" (VS Code mcp.json) nor "mcpServers" (Claude Desktop)' };
  const entries = format === 'vscode' ? value.servers : value.mcpServers;
  const servers: Record<string, ImportedServer> = {};
  const notes: string[] = [];
  for (const [name, entry] of Object.entries(isRecord(entries) ? entries : {})) {
    const converted = convertEntry(entry);
    if (typeof converted === 'string') {
      notes.push(`"${name}" skipped: ${converted}`);
      continue;
    }
    const id = uniqueId(sanitizeServerId(name), servers);
    if (id !== name) notes.push(`"${name}" imported as "${id}"`);
    servers[id] = converted;
  }
  return { format, servers, notes };
}

/** An id Warden accepts: lowercase, `[a-z0-9_-]`, not a built-in's. */
export function sanitizeServerId(name: string): string {
  const id = name
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const base = id === '' ? 'server' : id;
  return RESERVED_SERVER_IDS.includes(base) ? `${base}-user` : base;
}

function uniqueId(id: string, taken: Record<string, unknown>): string {
  if (!(id in taken)) return id;
  let n = 2;
  while (`${id}-${n}` in taken) n++;
  return `${id}-${n}`;
}

function convertEntry(entry: unknown): ImportedServer | string {
  if (!isRecord(entry)) return 'not an object';
  const type = entry.type;
  if (type === 'sse') return 'servers on the older SSE transport are not supported; give its Streamable HTTP endpoint with "type": "http"';
  if (type === 'http' || (type === undefined && entry.command === undefined && entry.url !== undefined)) return convertRemote(entry);
  if (type !== undefined && type !== 'stdio') return `type "${String(type)}" is not supported; only stdio and http servers can be imported`;
  if (typeof entry.command !== 'string' || entry.command === '') return 'no "command"';
  const args = entry.args;
  if (args !== undefined && !(Array.isArray(args) && args.every((a) => typeof a === 'string' || typeof a === 'number'))) return '"args" is not a list of strings';
  const env = entry.env;
  if (env !== undefined && env !== null && !isRecord(env)) return '"env" is not an object';
  const envEntries = Object.entries(isRecord(env) ? env : {}).filter(([, v]) => v !== null);
  if (!envEntries.every(([, v]) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) return '"env" has a value that is not a string';
  return {
    command: entry.command,
    ...(Array.isArray(args) && args.length > 0 && { args: args.map(String) }),
    ...(envEntries.length > 0 && { env: Object.fromEntries(envEntries.map(([k, v]) => [k, String(v)])) }),
    ...(typeof entry.envFile === 'string' && entry.envFile !== '' && { envFile: entry.envFile }),
    ...(typeof entry.cwd === 'string' && entry.cwd !== '' && { cwd: entry.cwd }),
  };
}

function convertRemote(entry: Record<string, unknown>): ImportedRemoteServer | string {
  if (typeof entry.url !== 'string' || entry.url === '') return 'no "url"';
  const headers = entry.headers;
  if (headers !== undefined && headers !== null && !isRecord(headers)) return '"headers" is not an object';
  const headerEntries = Object.entries(isRecord(headers) ? headers : {}).filter(([, v]) => v !== null);
  if (!headerEntries.every(([, v]) => typeof v === 'string' || typeof v === 'number')) return '"headers" has a value that is not a string';
  return {
    type: 'http',
    url: entry.url,
    ...(headerEntries.length > 0 && { headers: Object.fromEntries(headerEntries.map(([k, v]) => [k, String(v)])) }),
  };
}

/** Existing entries merged with imported ones; `overwrite` decides each id present in both. */
export function mergeServers(
  existing: Record<string, unknown>,
  imported: Record<string, ImportedServer>,
  overwrite: (id: string) => boolean,
): { merged: Record<string, unknown>; added: string[]; replaced: string[]; kept: string[] } {
  const merged: Record<string, unknown> = { ...existing };
  const added: string[] = [];
  const replaced: string[] = [];
  const kept: string[] = [];
  for (const [id, server] of Object.entries(imported)) {
    if (!(id in existing)) {
      merged[id] = server;
      added.push(id);
    } else if (overwrite(id)) {
      merged[id] = server;
      replaced.push(id);
    } else {
      kept.push(id);
    }
  }
  return { merged, added, replaced, kept };
}
