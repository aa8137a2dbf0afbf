import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import type { CallToolResult, JsonObject } from '../../../core/protocol/types';
import { defineTool, type RegisteredTool } from '../../shared/toolDefinition';
import { ToolError } from '../../shared/toolResult';
import { MAX_GLOB_CHARS } from '../glob';
import { MAX_PATH_CHARS, quote, type Jail } from '../jail';
import { DEFAULT_EXCLUDES, DEFAULT_WALK_LIMITS, walk, type WalkLimits, type WalkSummary } from '../walk';
import { compileToolGlob, resolveDirectory, stopNote } from './walkTools';

export interface FindArgs {
  pattern: string;
  path?: string;
  type?: 'file' | 'directory' | 'any';
  exclude?: string[];
  limit?: number;
  cursor?: string;
}

export const DEFAULT_FIND_LIMIT = 200;
export const MAX_FIND_LIMIT = 1000;

interface Found {
  path: string;
  type: string;
  size?: number;
}

export function findTool(jail: Jail, limits: WalkLimits = DEFAULT_WALK_LIMITS): RegisteredTool {
  return defineTool<FindArgs>({
    tool: {
      name: 'find',
      title: 'Find files',
      description:
        'Finds files and directories in the workspace folders whose path matches a glob pattern. ' +
        'The pattern is matched against the whole path relative to the workspace folder, with / separators (for example src/app/main.ts), ' +
        'whatever directory the walk starts in: * matches within one name, ** any number of directories, ? one character, ' +
        '[abc] and [a-z] one of a set, {ts,tsx} alternatives; * also matches names starting with a dot. Examples: **/*.ts, src/**/test_*.py, **/{README,CHANGELOG}.md. ' +
        'path (default: the first workspace folder) chooses where the walk starts; a relative path resolves against the first workspace folder. ' +
        `Excluded by default: ${DEFAULT_EXCLUDES.join(', ')} at any depth (pass exclude: [] to include them). ` +
        'Symbolic links are listed as type symlink and never followed; files that may hold credentials are skipped. ' +
        `Results are in path order, ${DEFAULT_FIND_LIMIT} per call by default (limit up to ${MAX_FIND_LIMIT}); pass nextCursor back as cursor for more. ` +
        `The walk visits at most ${limits.maxDirectories} directories; truncated: true says it stopped before the end of the tree, so narrow path or pattern.`,
      inputSchema: {
        type: 'object',
        properties: {
          pattern: { type: 'string', minLength: 1, maxLength: MAX_GLOB_CHARS, description: 'Glob matched against paths relative to the workspace folder, e.g. **/*.test.ts.' },
          path: { type: 'string', minLength: 1, maxLength: MAX_PATH_CHARS, description: 'Directory to start in. Default: the first workspace folder.' },
          type: { type: 'string', enum: ['file', 'directory', 'any'], description: 'Which entries to return. Default: any.' },
          exclude: {
            type: 'array',
            maxItems: 64,
            items: { type: 'string', minLength: 1, maxLength: MAX_GLOB_CHARS },
            description: `Globs of names or paths to skip, at any depth, with everything beneath them. Default: ${JSON.stringify(DEFAULT_EXCLUDES)}.`,
          },
          limit: { type: 'integer', minimum: 1, maximum: MAX_FIND_LIMIT, description: `Most results to return. Default: ${DEFAULT_FIND_LIMIT}.` },
          cursor: { type: 'string', minLength: 1, maxLength: 200, description: 'nextCursor from a previous find call with the same other arguments.' },
        },
        required: ['pattern'],
        additionalProperties: false,
      },
      outputSchema: {
        type: 'object',
        properties: {
          root: { type: 'string', description: 'The workspace folder the paths are relative to.' },
          entries: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                path: { type: 'string', description: 'Relative to root, / separators.' },
                type: { type: 'string', enum: ['file', 'directory', 'symlink', 'other'] },
                size: { type: 'integer', description: 'Bytes; files only.' },
              },
              required: ['path', 'type'],
              additionalProperties: false,
            },
          },
          nextCursor: { type: 'string', description: 'Pass back as cursor for the next results; absent when there are no more.' },
          truncated: { type: 'boolean', description: 'True when the walk stopped at a bound before the end of the tree: results may be missing.' },
          directoriesVisited: { type: 'integer' },
          note: { type: 'string' },
        },
        required: ['root', 'entries', 'truncated', 'directoriesVisited'],
        additionalProperties: false,
      },
      annotations: { title: 'Find files', readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async run(args, context): Promise<CallToolResult> {
      const glob = compileToolGlob(args.pattern, 'pattern');
      const exclude = (args.exclude ?? DEFAULT_EXCLUDES).map((e) => compileToolGlob(e, 'exclude', true));
      const start = resolveDirectory(jail, args.path ?? '.', 'find');
      const type = args.type ?? 'any';
      const limit = args.limit ?? DEFAULT_FIND_LIMIT;
      const key = cursorKey([args.pattern, start.real, type, ...(args.exclude ?? DEFAULT_EXCLUDES)]);
      const skip = args.cursor === undefined ? 0 : decodeCursor(args.cursor, key);
      const summary: WalkSummary = { directoriesVisited: 0, entriesSeen: 0, skippedSecret: 0 };
      const entries: Found[] = [];
      let matched = 0;
      let more = false;
      for await (const entry of walk({ jail, start, exclude, limits, signal: context.signal }, summary)) {
        if (type !== 'any' && entry.type !== type) continue;
        if (!glob.matches(entry.relative)) continue;
        matched += 1;
        if (matched <= skip) continue;
        if (entries.length === limit) {
          more = true;
          break;
        }
        entries.push(describe(entry.relative, entry.real, entry.type));
      }
      const result: JsonObject = { root: start.root, entries, truncated: summary.stoppedBy !== undefined, directoriesVisited: summary.directoriesVisited };
      if (more) result['nextCursor'] = encodeCursor(skip + entries.length, key);
      const note = stopNote(summary, limits);
      if (note !== undefined) result['note'] = note;
      else if (entries.length === 0 && skip === 0) result['note'] = `Nothing matches ${quote(args.pattern)} (matched against paths relative to ${start.root}).`;
      return { content: [{ type: 'text', text: JSON.stringify(result, null, 2) }], structuredContent: result };
    },
  });
}


function describe(relative: string, real: string, type: string): Found {
  if (type !== 'file') return { path: relative, type };
  const stat = fs.lstatSync(real, { throwIfNoEntry: false });
  return stat === undefined ? { path: relative, type } : { path: relative, type, size: stat.size };
}

/** Cursors carry the offset and a digest of the arguments they belong to. */
function cursorKey(parts: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 16);
}

function encodeCursor(offset: number, key: string): string {
  return Buffer.from(`${offset}:${key}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string, key: string): number {
  const match = /^(\d{1,9}):([A-Za-z0-9_-]{16})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (match === null) throw new ToolError('Invalid cursor: pass back a nextCursor exactly as find returned it, or leave cursor out to start again.');
  if (match[2] !== key) {
    throw new ToolError('This cursor belongs to a find call with other arguments: repeat the same pattern, path, type and exclude with it, or leave cursor out.');
  }
  return Number(match[1]);
}
