import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CallToolResult, JsonObject } from '../../../core/protocol/types';
import { defineTool, type RegisteredTool } from '../../shared/toolDefinition';
import { ToolError } from '../../shared/toolResult';
import { byCodeUnit, entryType, type EntryType } from '../entries';
import { MAX_PATH_CHARS, quote, type Jail } from '../jail';

export type { EntryType } from '../entries';

export interface ListDirArgs {
  path?: string;
}


export interface DirEntry {
  name: string;
  type: EntryType;
  /** Bytes; files only, and never for a denied entry. */
  size?: number;
  /** The secret-file rule that denies reading this entry. */
  denied?: string;
}

export const MAX_ENTRIES = 1000;

export function listDirTool(jail: Jail, maxEntries = MAX_ENTRIES): RegisteredTool {
  return defineTool<ListDirArgs>({
    tool: {
      name: 'list_dir',
      title: 'List directory',
      description:
        'Lists the entries of a directory in the workspace folders: name, type (file, directory, symlink or other) and, for files, size in bytes. ' +
        'Without a path it lists the first workspace folder. ' +
        'A relative path resolves against the first workspace folder; an absolute path must lie inside one of the workspace folders. ' +
        'Paths are taken literally: no ~ expansion and no URL decoding. ' +
        'Symbolic links are reported as type symlink and are not followed. ' +
        'Entries that may hold credentials (.env, keys, .git and the like) are listed with the rule that denies them (denied) and no size; they cannot be read. ' +
        `Entries are sorted by name; at most ${maxEntries} are returned, and truncated: true says there were more. ` +
        'Use read_text to read a file.',
      inputSchema: {
        type: 'object',
        properties: {
          path: {
            type: 'string',
            minLength: 1,
            maxLength: MAX_PATH_CHARS,
            description: 'The directory: relative to the first workspace folder, or absolute inside a workspace folder. Default: the first workspace folder.',
          },
        },
        additionalProperties: false,
      },
      outputSchema: {
        type: 'object',
        properties: {
          path: { type: 'string', description: 'The canonical absolute path that was listed.' },
          entries: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                name: { type: 'string' },
                type: { type: 'string', enum: ['file', 'directory', 'symlink', 'other'] },
                size: { type: 'integer', description: 'Bytes; files only.' },
                denied: { type: 'string', description: 'The secret-file rule that denies reading this entry.' },
              },
              required: ['name', 'type'],
              additionalProperties: false,
            },
          },
          truncated: { type: 'boolean', description: 'True when the directory has more entries than were returned.' },
          totalEntries: { type: 'integer' },
        },
        required: ['path', 'entries', 'truncated', 'totalEntries'],
        additionalProperties: false,
      },
      annotations: { title: 'List directory', readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    run(args): CallToolResult {
      const shown = args.path ?? '.';
      const target = jail.resolve(shown);
      if (!fs.statSync(target.real).isDirectory()) {
        throw new ToolError(`${quote(shown)} is a file, not a directory; use read_text to read it.`);
      }
      const { names, total } = firstNames(target.real, shown, maxEntries);
      const entries = names
        .map((name) => describeEntry(target.real, name, jail.secretRuleFor(path.join(target.real, name), path.join(path.resolve(jail.roots[0].real, shown), name))))
        .filter((e) => e !== undefined);
      const structured: JsonObject = { path: target.real, entries, truncated: total > names.length, totalEntries: total };
      return { content: [{ type: 'text', text: JSON.stringify(structured, null, 2) }], structuredContent: structured };
    },
  });
}

/**
 * The `limit` smallest names, in order, and how many entries there are, holding at most twice
 * `limit` names at any moment however large the directory.
 */
function firstNames(dir: string, shown: string, limit: number): { names: string[]; total: number } {
  let handle: fs.Dir;
  try {
    handle = fs.opendirSync(dir);
  } catch (error) {
    throw new ToolError(`Cannot list ${quote(shown)}: ${error instanceof Error ? error.message : String(error)}`);
  }
  let names: string[] = [];
  let total = 0;
  try {
    for (let entry = handle.readSync(); entry !== null; entry = handle.readSync()) {
      total += 1;
      names.push(entry.name);
      if (names.length >= 2 * limit) names = names.sort(byCodeUnit).slice(0, limit);
    }
  } finally {
    handle.closeSync();
  }
  return { names: names.sort(byCodeUnit).slice(0, limit), total };
}

/** Describes an entry without following it; undefined when it vanished since it was listed. */
function describeEntry(dir: string, name: string, denied: string | undefined): DirEntry | undefined {
  const stat = fs.lstatSync(path.join(dir, name), { throwIfNoEntry: false });
  if (stat === undefined) return undefined;
  if (denied !== undefined) return { name, type: entryType(stat), denied };
  if (stat.isFile()) return { name, type: 'file', size: stat.size };
  if (stat.isDirectory()) return { name, type: 'directory' };
  if (stat.isSymbolicLink()) return { name, type: 'symlink' };
  return { name, type: 'other' };
}
