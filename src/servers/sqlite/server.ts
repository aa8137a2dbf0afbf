/**
 * The built-in SQLite server: read-only tools over the databases of a catalog, run in a worker
 * thread. Built here, apart from the process entry, so tests can run it in memory.
 */
import { McpServer } from '../shared/mcpServer';
import type { Catalog } from './catalog';
import type { DatabaseWorker } from './databaseWorker';
import { describeTableTool } from './tools/describeTable';
import { listDatabasesTool } from './tools/listDatabases';
import { listTablesTool } from './tools/listTables';
import { queryTool } from './tools/query';

export const SQLITE_SERVER_NAME = 'warden-sqlite';
export const SQLITE_SERVER_VERSION = '0.1.0';

export interface SqliteServerOptions {
  readonly catalog: Catalog;
  readonly worker: DatabaseWorker;
  readonly maxDatabaseBytes: number;
  readonly maxRows: number;
  readonly maxResultBytes: number;
  readonly timeoutMs: number;
  readonly log: (line: string) => void;
}

export function createSqliteServer(options: SqliteServerOptions): McpServer {
  const { catalog, worker } = options;
  const ids = catalog.list().databases.map((d) => d.id);
  const shown = ids.length === 0 ? 'none yet' : ids.length > 20 ? `${ids.slice(0, 20).join(', ')}, …` : ids.join(', ');
  return new McpServer(
    {
      info: { name: SQLITE_SERVER_NAME, version: SQLITE_SERVER_VERSION, title: 'Warden SQLite (read-only)' },
      instructions:
        `Read-only access to SQLite databases (${shown}). ` +
        'Call list_databases for their ids, list_tables and describe_table to learn a schema, then query to run one SELECT at a time. ' +
        'Nothing can be written: statements that would change a database are refused.',
      log: options.log,
      // The databases named on the command line are read into memory once the handshake is done,
      // so the first query does not wait for the worker to start and the file to be read.
      onInitialized: () => worker.preload(catalog.named()),
    },
    [
      listDatabasesTool(catalog, options.maxDatabaseBytes),
      listTablesTool(catalog, worker),
      describeTableTool(catalog, worker),
      queryTool(catalog, worker, options),
    ],
  );
}
