/**
 * The built-in filesystem server: read-only tools over a jail of workspace folders. Built here,
 * apart from the process entry, so tests can run it in memory.
 */
import { McpServer } from '../shared/mcpServer';
import type { RegisteredTool } from '../shared/toolDefinition';
import type { Jail } from './jail';
import { findTool } from './tools/find';
import { listDirTool } from './tools/listDir';
import { readTextTool } from './tools/readText';
import { searchTool } from './tools/search';
import { statTool } from './tools/stat';

export const FS_SERVER_NAME = 'warden-fs';
export const FS_SERVER_VERSION = '0.1.0';

export interface FsServerOptions {
  readonly jail: Jail;
  /** Cap on the bytes of content one read returns. */
  readonly maxBytes: number;
  readonly log: (line: string) => void;
}

export function createFsServer(options: FsServerOptions): McpServer {
  const { jail } = options;
  const [first, ...others] = jail.roots.map((r) => r.real);
  const folders = others.length === 0 ? `${first}` : `${first} (the first), ${others.join(', ')}`;
  return new McpServer(
    {
      info: { name: FS_SERVER_NAME, version: FS_SERVER_VERSION, title: 'Warden workspace files' },
      instructions:
        `Read-only access to the workspace folders: ${folders}. ` +
        'Relative paths resolve against the first folder; absolute paths must lie inside one of them. ' +
        'Use list_dir to explore, find to locate files by name pattern, search to find text in files, stat to describe one path, and read_text to read files. ' +
        `Files that may hold credentials (${jail.secrets.rules.slice(0, 6).join(', ')}, ...) are denied.`,
      log: options.log,
    },
    fsTools(jail, options.maxBytes),
  );
}

/** The tools in the order tools/list gives them. */
export function fsTools(jail: Jail, maxBytes: number): RegisteredTool[] {
  return [readTextTool(jail, { maxBytes }), listDirTool(jail), statTool(jail), findTool(jail), searchTool(jail)];
}
