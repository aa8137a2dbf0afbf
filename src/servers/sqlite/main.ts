/**
 * Entry of the built-in SQLite server (bundled to dist/servers/sqlite.js, with sqlite-worker.js
 * and sql-wasm.wasm beside it). This thread is the MCP server; the worker thread it starts holds
 * sql.js and the databases (worker.ts).
 * Usage: node dist/servers/sqlite.js (--db <file> | --root <dir>)... [options]; a bad command
 * line prints the reason and the usage to stderr and exits 2.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runStdioServer, stderrLog } from '../shared/stdio';
import { Catalog, CatalogSetupError } from './catalog';
import { DatabaseWorker } from './databaseWorker';
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
  const workerPath = path.join(__dirname, 'sqlite-worker.js');
  for (const [file, what] of [[wasmPath, "SQLite's WebAssembly module"], [workerPath, 'The worker script']] as const) {
    if (fs.existsSync(file)) continue;
    process.stderr.write(`${SQLITE_SERVER_NAME}: ${what} is missing (${file}); rebuild with node scripts/build.mjs.\n`);
    process.exit(1);
  }
  const log = (line: string): void => stderrLog(`[${SQLITE_SERVER_NAME}] ${line}`);
  const worker = new DatabaseWorker({
    script: workerPath,
    config: { wasmPath, maxDatabaseBytes: args.maxDatabaseBytes, maxRows: args.maxRows, maxResultBytes: args.maxResultBytes },
    timeoutMs: args.timeoutMs,
    loadTimeoutMs: Math.max(MIN_LOAD_TIMEOUT_MS, args.timeoutMs),
    log,
  });
  // One worker runs one query at a time; the window only bounds the results waiting to be sent.
  runStdioServer(createSqliteServer({ catalog, worker, ...args, log }), SQLITE_SERVER_NAME, { maxRequestsInFlight: 4 });
}

main();
