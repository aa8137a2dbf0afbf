/**
 * The databases the worker holds in memory, each opened from a copy of its file's bytes with
 * `PRAGMA query_only = ON`. Before every use the file's identity is compared with the copy's, and
 * a changed file is read again. The least recently used copies are closed when the total would
 * pass the memory budget. Nothing is ever written back: sql.js works on its own in-memory copy.
 */
import type { Database, SqlJsStatic } from 'sql.js';
import { ToolError } from '../../shared/toolResult';
import { fileSignature, readDatabaseFile, type DatabaseSnapshot } from '../databaseFile';
import type { DatabaseRef } from '../protocol';

interface Loaded {
  readonly db: Database;
  readonly signature: string;
  readonly bytes: number;
  /** total_changes() right after opening; any later difference means something was written. */
  readonly changesAtOpen: number;
}

export class OpenDatabases {
  /** By path, least recently used first. */
  private readonly loaded = new Map<string, Loaded>();

  constructor(
    private readonly sql: SqlJsStatic,
    /** The largest file that may be read. */
    private readonly maxFileBytes: number,
    /** The most bytes of files held at once. */
    private readonly budgetBytes: number,
  ) {}

  /**
   * The database, read again first if its file changed since it was read. `given` is the file as
   * another thread already read it: used when it is still the file on disk, read afresh if not.
   */
  get(ref: DatabaseRef, given?: DatabaseSnapshot): Database {
    const entry = this.loaded.get(ref.path);
    if (entry !== undefined && fileSignature(ref.path) === entry.signature) {
      this.loaded.delete(ref.path);
      this.loaded.set(ref.path, entry);
      return entry.db;
    }
    this.discard(ref);
    const current = given !== undefined && given.bytes.length <= this.maxFileBytes && fileSignature(ref.path) === given.signature;
    const snapshot = current ? given : readDatabaseFile(ref, this.maxFileBytes);
    this.makeRoom(snapshot.bytes.length);
    const db = new this.sql.Database(snapshot.bytes);
    try {
      db.run('PRAGMA query_only = ON');
      const state = readState(db);
      if (state.queryOnly !== 1) throw new ToolError(`Could not make ${ref.id} read-only (PRAGMA query_only stayed off).`);
      this.loaded.set(ref.path, { db, signature: snapshot.signature, bytes: snapshot.bytes.length, changesAtOpen: state.changes });
    } catch (error) {
      db.close();
      throw error;
    }
    return db;
  }

  /**
   * What is wrong with the connection after a statement ran, if anything: read-only turned off,
   * another database attached, the schema made writable, or rows changed.
   */
  problemWith(ref: DatabaseRef): string | undefined {
    const entry = this.loaded.get(ref.path);
    if (entry === undefined) return undefined;
    const state = readState(entry.db);
    if (state.queryOnly !== 1) return 'it turned PRAGMA query_only off';
    if (state.writableSchema !== 0) return 'it turned PRAGMA writable_schema on';
    if (state.attached !== 0) return 'it attached another database';
    if (state.changes !== entry.changesAtOpen) return 'it changed rows';
    return undefined;
  }

  /** Closes the copy; the next `get` reads the file again. */
  discard(ref: DatabaseRef): void {
    const entry = this.loaded.get(ref.path);
    if (entry === undefined) return;
    this.loaded.delete(ref.path);
    entry.db.close();
  }

  private makeRoom(incoming: number): void {
    let total = incoming;
    for (const entry of this.loaded.values()) total += entry.bytes;
    for (const [key, entry] of this.loaded) {
      if (total <= this.budgetBytes) break;
      this.loaded.delete(key);
      entry.db.close();
      total -= entry.bytes;
    }
  }
}

interface ConnectionState {
  readonly queryOnly: unknown;
  readonly writableSchema: unknown;
  readonly attached: unknown;
  readonly changes: number;
}

const STATE_SQL =
  'SELECT (SELECT query_only FROM pragma_query_only), (SELECT writable_schema FROM pragma_writable_schema), ' +
  "(SELECT count(*) FROM pragma_database_list WHERE name NOT IN ('main', 'temp')), total_changes()";

function readState(db: Database): ConnectionState {
  const stmt = db.prepare(STATE_SQL);
  try {
    stmt.step();
    const [queryOnly, writableSchema, attached, changes] = stmt.get();
    return { queryOnly, writableSchema, attached, changes: typeof changes === 'number' ? changes : -1 };
  } finally {
    stmt.free();
  }
}
