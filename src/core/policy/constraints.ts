/**
 * Checks a call's arguments against a rule's constraints. Path, table and host arguments are found
 * by their names; a constraint that finds nothing to check is satisfied only when the tool takes
 * no such argument, so an unrecognised shape never slips past a constraint that names it.
 */
import path from 'node:path';
import type { JsonObject } from '../protocol/types';
import { matchesAny } from './glob';
import type { ArgumentConstraints } from './types';

export type ConstraintCheck = { readonly ok: true } | { readonly ok: false; readonly why: string };

const PATH_KEYS = ['path', 'paths', 'base', 'directory', 'dir', 'file', 'files', 'cwd', 'root'];
const TABLE_KEYS = ['table', 'tables'];
const SQL_KEYS = ['sql', 'query'];
const URL_KEYS = ['url', 'urls', 'uri'];

export function checkConstraints(
  constraints: ArgumentConstraints,
  args: JsonObject,
  workspaceFolders: readonly string[],
): ConstraintCheck {
  if (constraints.paths) {
    for (const raw of stringsAt(args, PATH_KEYS)) {
      const relative = workspaceRelative(raw, workspaceFolders);
      if (!matchesAny(relative, constraints.paths)) {
        return { ok: false, why: `path "${raw}" is not in ${list(constraints.paths)}` };
      }
    }
  }
  if (constraints.tables) {
    const tables = [...stringsAt(args, TABLE_KEYS), ...stringsAt(args, SQL_KEYS).flatMap(tablesInSql)];
    const sqlGiven = stringsAt(args, SQL_KEYS).length > 0;
    if (sqlGiven && tables.length === 0) {
      return { ok: false, why: `no table could be identified in the SQL, and tables are limited to ${list(constraints.tables)}` };
    }
    for (const table of tables) {
      if (!matchesAny(table.toLowerCase(), constraints.tables.map((t) => t.toLowerCase()))) {
        return { ok: false, why: `table "${table}" is not in ${list(constraints.tables)}` };
      }
    }
  }
  if (constraints.hosts) {
    for (const raw of stringsAt(args, URL_KEYS)) {
      const host = hostOf(raw);
      if (host === undefined) return { ok: false, why: `"${raw}" is not a URL with a host` };
      if (!matchesAny(host, constraints.hosts.map((h) => h.toLowerCase()))) {
        return { ok: false, why: `host "${host}" is not in ${list(constraints.hosts)}` };
      }
    }
  }
  return { ok: true };
}

function stringsAt(args: JsonObject, keys: readonly string[]): string[] {
  const found: string[] = [];
  for (const key of keys) {
    const value = args[key];
    if (typeof value === 'string') found.push(value);
    else if (Array.isArray(value)) found.push(...value.filter((v): v is string => typeof v === 'string'));
  }
  return found;
}

/** `src/../.env` is `.env`; an absolute path inside a folder becomes relative to it. */
export function workspaceRelative(raw: string, workspaceFolders: readonly string[]): string {
  const slashed = raw.replace(/\\/g, '/');
  if (path.isAbsolute(raw)) {
    for (const folder of workspaceFolders) {
      const relative = path.relative(folder, raw);
      if (relative === '') return '.';
      if (!relative.startsWith('..') && !path.isAbsolute(relative)) return relative.replace(/\\/g, '/');
    }
    return path.posix.normalize(slashed);
  }
  const normalised = path.posix.normalize(slashed);
  return normalised === './' ? '.' : normalised.replace(/^\.\//, '').replace(/\/$/, '');
}

/** Table names after FROM, JOIN, INTO, UPDATE and TABLE; quoted names unquoted. Conservative. */
export function tablesInSql(sql: string): string[] {
  const withoutComments = sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, ' ');
  const names: string[] = [];
  const pattern = /\b(?:from|join|into|update|table)\s+("(?:[^"]|"")+"|`[^`]+`|\[[^\]]+\]|[A-Za-z_][\w$]*)(?:\s*\.\s*("(?:[^"]|"")+"|`[^`]+`|\[[^\]]+\]|[A-Za-z_][\w$]*))?/gi;
  for (const match of withoutComments.matchAll(pattern)) {
    const name = match[2] ?? match[1]!;
    names.push(unquote(name));
  }
  return names;
}

function unquote(name: string): string {
  if (name.startsWith('"')) return name.slice(1, -1).replace(/""/g, '"');
  if (name.startsWith('`') || name.startsWith('[')) return name.slice(1, -1);
  return name;
}

function hostOf(raw: string): string | undefined {
  try {
    const host = new URL(raw).hostname.toLowerCase().replace(/\.$/, '');
    return host.length > 0 ? host : undefined;
  } catch {
    return undefined;
  }
}

function list(globs: readonly string[]): string {
  return `[${globs.map((g) => `"${g}"`).join(', ')}]`;
}
