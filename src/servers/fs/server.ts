/**
 * The built-in filesystem server: read-only tools over a jail of workspace folders. Built here,
 * apart from the process entry, so tests can run it in memory.
 */
import { McpServer } from '../shared/mcpServer';
import type { Jail } from './jail';
import { listDirTool } from './tools/listDir';
import { readTextTool } from './tools/readText';

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
        'Use list_dir to explore and read_text to read files.',
      log: options.log,
    },
    [readTextTool(jail, { maxBytes: options.maxBytes }), listDirTool(jail)],
  );
}
