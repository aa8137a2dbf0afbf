/**
 * Entry of the built-in SQLite server (bundled to dist/servers/sqlite.js, with sql-wasm.wasm
 * copied beside it). The same file runs twice: on the main thread it is the MCP server; in the
 * worker thread it starts (`new Worker(__filename)`) it holds sql.js and the databases.
 * Usage: node dist/servers/sqlite.js (--db <file> | --root <dir>)... [options]; a bad command
 * line prints the reason and the usage to stderr and exits 2.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { runStdioServer, stderrLog } from '../shared/stdio';
import { Catalog, CatalogSetupError } from './catalog';
import { DatabaseWorker } from './databaseWorker';
import { runWorker } from './engine/workerMain';
import { USAGE, parseSqliteServerArgs } from './options';
import { SQLITE_SERVER_NAME, createSqliteServer } from './server';

/** Reading a database into memory gets at least this long, whatever the query timeout. */
const MIN_LOAD_TIMEOUT_MS = 60_000;

function fail(message: string): never {
  process.stderr.write(`${SQLITE_SERVER_NAME}: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function main(): void {
  const parsed = parseSqliteServerArgs(process.argv.slice(2));
  if (parsed.kind === 'help') {
    process.stderr.write(`${USAGE}\n`);
    process.exit(0);
  }
  if (parsed.kind === 'error') fail(parsed.message);
  const args = parsed.args;
  let catalog: Catalog;
  try {
    catalog = Catalog.create(args.dbs, args.roots);
  } catch (error) {
    if (error instanceof CatalogSetupError) fail(error.message);
    throw error;
  }
  const wasmPath = path.join(__dirname, 'sql-wasm.wasm');
  if (!fs.existsSync(wasmPath)) {
    process.stderr.write(`${SQLITE_SERVER_NAME}: SQLite's WebAssembly module is missing (${wasmPath}); rebuild with node scripts/build.mjs.\n`);
    process.exit(1);
  }
  const log = (line: string): void => stderrLog(`[${SQLITE_SERVER_NAME}] ${line}`);
  const worker = new DatabaseWorker({
    script: __filename,
    config: { wasmPath, maxDatabaseBytes: args.maxDatabaseBytes, maxRows: args.maxRows, maxResultBytes: args.maxResultBytes },
    timeoutMs: args.timeoutMs,
    loadTimeoutMs: Math.max(MIN_LOAD_TIMEOUT_MS, args.timeoutMs),
    log,
  });
  // One worker runs one query at a time; the window only bounds the results waiting to be sent.
  runStdioServer(createSqliteServer({ catalog, worker, ...args, log }), SQLITE_SERVER_NAME, { maxRequestsInFlight: 4 });
}

if (isMainThread) main();
else runWorker();
