/**
 * The SQLite tools' declarations at the default limits, without running a server or a worker:
 * the source for package.json's language-model tool contributions, which must be static.
 */
import type { Tool } from '../../core/protocol/types';
import { Catalog } from './catalog';
import { DatabaseWorker } from './databaseWorker';
import { DEFAULT_MAX_DB_BYTES, DEFAULT_MAX_RESULT_BYTES, DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT_MS } from './options';
import { describeTableTool } from './tools/describeTable';
import { listDatabasesTool } from './tools/listDatabases';
import { listTablesTool } from './tools/listTables';
import { queryTool } from './tools/query';

export function sqliteToolDeclarations(): Tool[] {
  const catalog = Catalog.create([], []);
  // Never started: a worker thread begins only with the first call.
  const worker = new DatabaseWorker({
    script: __filename,
    config: { wasmPath: '', maxDatabaseBytes: DEFAULT_MAX_DB_BYTES, maxRows: DEFAULT_MAX_ROWS, maxResultBytes: DEFAULT_MAX_RESULT_BYTES },
    timeoutMs: DEFAULT_TIMEOUT_MS,
    loadTimeoutMs: DEFAULT_TIMEOUT_MS,
    log: () => undefined,
  });
  const limits = { maxRows: DEFAULT_MAX_ROWS, maxResultBytes: DEFAULT_MAX_RESULT_BYTES, timeoutMs: DEFAULT_TIMEOUT_MS };
  return [
    listDatabasesTool(catalog, DEFAULT_MAX_DB_BYTES).tool,
    listTablesTool(catalog, worker).tool,
    describeTableTool(catalog, worker).tool,
    queryTool(catalog, worker, limits).tool,
  ];
}
