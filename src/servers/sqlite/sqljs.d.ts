/**
 * The part of sql.js 1.x (the WASM build of SQLite) that Warden's SQLite server uses, typed from
 * its source (node_modules/sql.js/dist/sql-wasm-debug.js). sql.js ships no types of its own.
 * sql.js throws `Error`s for SQLite failures and plain strings for a few API misuses.
 */
declare module 'sql.js' {
  /** What SQLite hands back for one cell; integers are bigint when `useBigInt` is set. */
  export type SqlValue = number | bigint | string | Uint8Array | null;
  /** What may be bound to a parameter. Booleans bind as 0 and 1. */
  export type BindValue = number | string | boolean | Uint8Array | null;
  /** Positional values, or named ones keyed with their prefix (`:id`, `@id`, `$id`). */
  export type BindParams = BindValue[] | { [name: string]: BindValue };

  export interface Statement {
    /** Resets the statement and binds the values; throws on a SQLite error. */
    bind(values?: BindParams | null): boolean;
    /** Runs to the next row: true when a row is ready, false when done; throws on a SQLite error. */
    step(): boolean;
    get(params?: BindParams | null, config?: { useBigInt?: boolean }): SqlValue[];
    getColumnNames(): string[];
    /** The text of this one statement, as it was prepared. */
    getSQL(): string;
    /** SQLite's normalised text (comments gone, literals replaced by `?`); null when unavailable. */
    getNormalizedSQL(): string | null;
    reset(): boolean;
    free(): boolean;
  }

  /** Prepares the statements of a string one at a time; each is freed when the next is prepared. */
  export interface StatementIterator extends Iterator<Statement> {
    /** The text not yet prepared. */
    getRemainingSQL(): string;
    /** Frees the active statement and the iterator's copy of the text. */
    return(): IteratorResult<Statement>;
  }

  export interface Database {
    prepare(sql: string, params?: BindParams | null): Statement;
    iterateStatements(sql: string): StatementIterator;
    /** Runs every statement of `sql` (or one statement with `params`), ignoring result rows. */
    run(sql: string, params?: BindParams | null): Database;
    getRowsModified(): number;
    /** A copy of the database file's bytes (the server never writes them anywhere). */
    export(): Uint8Array;
    close(): void;
  }

  export interface SqlJsStatic {
    Database: new (data?: ArrayLike<number> | Buffer | null) => Database;
  }

  export interface InitOptions {
    /** The bytes of sql-wasm.wasm; when absent sql.js reads the file through `locateFile`. */
    wasmBinary?: ArrayBuffer | Uint8Array;
    locateFile?: (file: string) => string;
    /** Where SQLite's diagnostics go (console.log and console.error by default). */
    print?: (line: string) => void;
    printErr?: (line: string) => void;
  }

  export default function initSqlJs(options?: InitOptions): Promise<SqlJsStatic>;
}
