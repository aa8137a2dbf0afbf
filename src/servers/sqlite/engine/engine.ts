/**
 * What the worker thread does for each tool: open (or reuse) the database, run the read, and
 * answer text plus structured content. Runs in the worker; tests may also run it directly.
 */
import * as fs from 'node:fs';
import initSqlJs, { type Database, type SqlJsStatic } from 'sql.js';
import type { JsonObject } from '../../../core/protocol/types';
import { ToolError } from '../../shared/toolResult';
import type { DatabaseSnapshot } from '../databaseFile';
import { bindingFor, type QueryParams } from '../parameters';
import type { DatabaseRef, EngineLimits, ToolPayload } from '../protocol';
import { renderRows } from '../render';
import { OpenDatabases } from './openDatabases';
import { collectRows } from './resultRows';
import { describeTable, listTables } from './schemaInfo';
import { prepareOneStatement } from './singleStatement';
import { sqliteError } from './sqliteErrors';

export async function loadSqlJs(wasmPath: string): Promise<SqlJsStatic> {
  let wasmBinary: Buffer;
  try {
    wasmBinary = fs.readFileSync(wasmPath);
  } catch (error) {
    throw new Error(`Cannot read SQLite's WebAssembly module at ${wasmPath} (${error instanceof Error ? error.message : String(error)}); rebuild with node scripts/build.mjs.`);
  }
  const toStderr = (line: string): void => void process.stderr.write(`[sql.js] ${line}\n`);
  return initSqlJs({ wasmBinary, print: toStderr, printErr: toStderr });
}

/**
 * SQLite's own allocations (page caches, sorters, strings and blobs a query builds) stop here,
 * so one query cannot grow the worker's WebAssembly memory without bound; past it a query fails
 * with "out of memory". The database files' bytes are held outside this heap.
 */
export const SQLITE_HEAP_LIMIT_BYTES = 512 * 1024 * 1024;

export class Engine {
  private readonly databases: OpenDatabases;
  /** An empty database on which the text after a statement is checked, never the real one. */
  private readonly scratch: Database;

  constructor(
    sql: SqlJsStatic,
    private readonly limits: EngineLimits,
  ) {
    this.databases = new OpenDatabases(sql, limits.maxDatabaseBytes, limits.maxDatabaseBytes);
    this.scratch = new sql.Database();
    // A setting of the whole SQLite instance, made through any of its connections.
    this.scratch.run(`PRAGMA hard_heap_limit = ${SQLITE_HEAP_LIMIT_BYTES}`);
  }

  /** Reads the database into memory now, so the next call finds it ready. */
  /** Reads the database into memory (or takes `snapshot`, the file as the main thread read it). */
  load(ref: DatabaseRef, snapshot?: DatabaseSnapshot): void {
    this.open(ref, snapshot);
  }

  listTables(ref: DatabaseRef): ToolPayload {
    const structured = this.read(ref, (db) => listTables(db, ref.id));
    return { text: JSON.stringify(structured, null, 2), structured };
  }

  describeTable(ref: DatabaseRef, table: string): ToolPayload {
    const structured = this.read(ref, (db) => describeTable(db, ref.id, table));
    return { text: JSON.stringify(structured, null, 2), structured };
  }

  query(ref: DatabaseRef, sql: string, params: QueryParams | undefined, maxRows: number | undefined): ToolPayload {
    const rowLimits = { maxRows: Math.min(maxRows ?? this.limits.maxRows, this.limits.maxRows), maxBytes: this.limits.maxResultBytes };
    const result = this.read(ref, (db) => {
      const prepared = prepareOneStatement(db, this.scratch, sql, ref.id);
      try {
        const binding = bindingFor(prepared.text, params);
        if (binding !== undefined) prepared.statement.bind(binding);
        return collectRows(prepared.statement, rowLimits);
      } finally {
        prepared.release();
      }
    });
    const structured: JsonObject = {
      database: ref.id,
      columns: result.columns,
      rows: result.rows,
      rowCount: result.rows.length,
      truncated: result.truncatedBy !== undefined,
    };
    if (result.truncatedBy !== undefined) structured['truncatedBy'] = result.truncatedBy;
    return { text: renderRows(result, rowLimits), structured };
  }

  /**
   * Runs `work` on the database, turns SQLite's errors into tool errors, and afterwards checks
   * that the connection is still read-only and unchanged. If it is not, the copy is thrown away
   * (the next call reads the file again) and the call fails.
   */
  private read<T>(ref: DatabaseRef, work: (db: Database) => T): T {
    const db = this.open(ref);
    let result: T;
    try {
      result = work(db);
    } catch (error) {
      throw sqliteError(error, ref.id);
    } finally {
      this.verify(ref);
    }
    return result;
  }

  private open(ref: DatabaseRef, snapshot?: DatabaseSnapshot): Database {
    try {
      return this.databases.get(ref, snapshot);
    } catch (error) {
      throw sqliteError(error, ref.id);
    }
  }

  private verify(ref: DatabaseRef): void {
    const problem = this.databases.problemWith(ref);
    if (problem === undefined) return;
    this.databases.discard(ref);
    throw new ToolError(`The statement was refused because ${problem}; the in-memory copy of ${ref.id} was thrown away and will be read again from disk. This server only reads.`);
  }
}
