import * as fs from 'node:fs';
import type { CallToolResult, JsonObject } from '../../../core/protocol/types';
import { defineTool, type RegisteredTool } from '../../shared/toolDefinition';
import { ToolError } from '../../shared/toolResult';
import { MAX_PATH_CHARS, PathError, quote, type Jail } from '../jail';
import { entryType } from '../entries';

export interface StatArgs {
  path: string;
}

export function statTool(jail: Jail): RegisteredTool {
  return defineTool<StatArgs>({
    tool: {
      name: 'stat',
      title: 'File information',
      description:
        'Describes one path in the workspace folders without reading it: its type (file, directory, symlink or other), size in bytes (files), and last modification time. ' +
        'A symbolic link is described itself, not followed: symlink.inside says whether it leads to a place inside the workspace folders, ' +
        'and when it does, symlink.target gives that place relative to its folder and symlink.targetType what is there (symlink.broken: true when nothing is). ' +
        'A relative path resolves against the first workspace folder; an absolute path must lie inside one of the workspace folders. ' +
        'Paths are taken literally: no ~ expansion and no URL decoding. Files that may hold credentials are refused.',
      inputSchema: {
        type: 'object',
        properties: {
          path: {
            type: 'string',
            minLength: 1,
            maxLength: MAX_PATH_CHARS,
            description: 'The path: relative to the first workspace folder, or absolute inside a workspace folder.',
          },
        },
        required: ['path'],
        additionalProperties: false,
      },
      outputSchema: {
        type: 'object',
        properties: {
          path: { type: 'string', description: 'The canonical absolute path described (for a link, the link itself).' },
          type: { type: 'string', enum: ['file', 'directory', 'symlink', 'other'] },
          size: { type: 'integer', description: 'Bytes; files only.' },
          mtime: { type: 'string', description: 'Last modification time, ISO 8601 (UTC).' },
          symlink: {
            type: 'object',
            properties: {
              inside: { type: 'boolean', description: 'Whether the link leads inside the workspace folders.' },
              target: { type: 'string', description: 'Where it leads, relative to its workspace folder (inside links only).' },
              targetType: { type: 'string', enum: ['file', 'directory', 'symlink', 'other'] },
              broken: { type: 'boolean', description: 'True when the link leads to nothing.' },
            },
            required: ['inside'],
            additionalProperties: false,
          },
        },
        required: ['path', 'type', 'mtime'],
        additionalProperties: false,
      },
      annotations: { title: 'File information', readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    run(args): CallToolResult {
      const entry = jail.resolveEntry(args.path);
      const stat = fs.lstatSync(entry.real, { throwIfNoEntry: false });
      if (stat === undefined) throw new ToolError(`Not found: ${quote(args.path)} does not exist in the workspace folders (${jail.describeRoots()}).`);
      const type = entryType(stat);
      const result: JsonObject = { path: entry.real, type };
      if (type === 'file') result['size'] = stat.size;
      result['mtime'] = stat.mtime.toISOString();
      if (type === 'symlink') result['symlink'] = describeLink(jail, args.path);
      return { content: [{ type: 'text', text: JSON.stringify(result, null, 2) }], structuredContent: result };
    },
  });
}

/** Where a link leads, told only as far as the jail allows. A link to a secret file is refused. */
function describeLink(jail: Jail, input: string): JsonObject {
  try {
    const target = jail.resolve(input);
    const stat = fs.statSync(target.real, { throwIfNoEntry: false });
    return stat === undefined
      ? { inside: true, target: target.relative, broken: true }
      : { inside: true, target: target.relative, targetType: entryType(stat) };
  } catch (error) {
    if (!(error instanceof PathError)) throw error;
    if (error.reason === 'secret' || error.reason === 'invalid') throw error;
    return error.reason === 'not-found' ? { inside: true, broken: true } : { inside: false };
  }
}
