/**
 * How a tool call shows in the chat while it runs: a progress line built from the tool and the
 * argument that says what it works on (a path, SQL, a URL, a pattern), and, for the filesystem
 * server, the file or folder it read as a reference.
 */
import * as path from 'node:path';
import type { JsonObject } from '../../core/protocol/types';

const TARGET_KEYS = ['path', 'file', 'directory', 'dir', 'sql', 'query', 'url', 'uri', 'pattern', 'table', 'database', 'glob', 'name'] as const;
const MAX_TARGET_CHARS = 80;

const VERBS: readonly (readonly [RegExp, string])[] = [
  [/^read/, 'Reading'],
  [/^list/, 'Listing'],
  [/^search/, 'Searching'],
  [/^(find|glob)/, 'Finding'],
  [/^(query|sql)/, 'Querying'],
  [/^fetch/, 'Fetching'],
  [/^describe/, 'Describing'],
  [/^(stat|info)/, 'Inspecting'],
  [/^get/, 'Getting'],
];

/** What the call works on, shortened for a progress line, or undefined when no argument says. */
export function callTarget(args: JsonObject): string | undefined {
  for (const key of TARGET_KEYS) {
    const value = args[key];
    if (typeof value === 'string' && value.trim().length > 0) return shorten(value.replace(/\s+/g, ' ').trim());
  }
  return undefined;
}

/** `Reading src/app.ts…`, `Querying SELECT name FROM …`, or `Running fs.stat…`. */
export function progressMessage(server: string, tool: string, args: JsonObject): string {
  const target = callTarget(args);
  const verb = VERBS.find(([pattern]) => pattern.test(tool.toLowerCase()))?.[1];
  if (verb && target) return `${verb} ${target}…`;
  return target ? `Running ${server}.${tool} on ${target}…` : `Running ${server}.${tool}…`;
}

/**
 * The absolute file or folder a filesystem call worked on: the canonical path the server reports
 * in its structured result when there is one, else the `path` argument resolved the way the
 * server resolves it (against the first workspace folder). Undefined when it lies outside them.
 */
export function fileReference(args: JsonObject, structured: JsonObject | undefined, folders: readonly string[]): string | undefined {
  const reported = structured?.['path'];
  const asked = args['path'];
  const candidate =
    typeof reported === 'string' && path.isAbsolute(reported)
      ? reported
      : typeof asked === 'string'
        ? path.isAbsolute(asked) || folders[0] === undefined
          ? asked
          : path.resolve(folders[0], asked)
        : folders[0];
  if (candidate === undefined || !path.isAbsolute(candidate)) return undefined;
  const inside = folders.some((folder) => {
    const relative = path.relative(folder, candidate);
    return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
  });
  return inside ? path.normalize(candidate) : undefined;
}

function shorten(text: string): string {
  return text.length > MAX_TARGET_CHARS ? `${text.slice(0, MAX_TARGET_CHARS - 1)}…` : text;
}
