import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Database, SqlJsStatic } from 'sql.js';
import { Engine, SQLITE_HEAP_LIMIT_BYTES, loadSqlJs } from '../../src/servers/sqlite/engine/engine';
import { OpenDatabases } from '../../src/servers/sqlite/engine/openDatabases';
import { prepareOneStatement } from '../../src/servers/sqlite/engine/singleStatement';
import type { DatabaseRef } from '../../src/servers/sqlite/protocol';
import { ToolError } from '../../src/servers/shared/toolResult';

const wasmPath = require.resolve('sql.js/dist/sql-wasm.wasm');

let SQL: SqlJsStatic;
let tmp = '';

/** Writes a database built by `setup` to `name` under the temp folder and returns its ref. */
function writeDatabase(name: string, setup: string): DatabaseRef {
  const db = new SQL.Database();
  db.run(setup);
  const file = path.join(tmp, name);
  fs.writeFileSync(file, db.export());
  db.close();
  return { id: name, path: file };
}

function single(db: Database, scratch: Database, sql: string): string {
  const prepared = prepareOneStatement(db, scratch, sql, 'test');
  try {
    return prepared.kind;
  } finally {
    prepared.release();
  }
}

function refusedWith(run: () => unknown, pattern: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof ToolError, `expected a ToolError, got ${String(error)}`);
    assert.match(error.message, pattern);
    return true;
  });
}

function value(db: Database, sql: string): unknown {
  const stmt = db.prepare(sql);
  try {
    stmt.step();
    return stmt.get()[0];
  } finally {
    stmt.free();
  }
}

before(async () => {
  SQL = await loadSqlJs(wasmPath);
  tmp = fs.realpathSync.native(fs.mkdtempSync(path.join(os.tmpdir(), 'warden-sqlite-engine-')));
});

after(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('one statement per query', () => {
  let db: Database;
  let scratch: Database;

  before(() => {
    db = new SQL.Database();
    db.run("CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT); INSERT INTO t VALUES (1, 'x'); PRAGMA query_only = ON;");
    scratch = new SQL.Database();
  });

  after(() => {
    db.close();
    scratch.close();
  });

  it('takes one statement followed by nothing but semicolons, whitespace and comments', () => {
    assert.equal(single(db, scratch, 'SELECT * FROM t'), 'select');
    assert.equal(single(db, scratch, 'SELECT 1; -- fine'), 'select');
    assert.equal(single(db, scratch, 'SELECT 1;;  ; /* also fine */'), 'select');
    assert.equal(single(db, scratch, ' ; ; SELECT 1'), 'select');
    assert.equal(single(db, scratch, 'SELECT 1 /* unterminated'), 'select');
    assert.equal(single(db, scratch, 'PRAGMA table_info(t);'), 'pragma');
    assert.equal(single(db, scratch, 'EXPLAIN QUERY PLAN SELECT * FROM t WHERE a = 1'), 'explain');
  });

  it('refuses anything after the first statement, wherever SQLite ends it', () => {
    const more = /^query runs exactly one statement, but more follows the first: /;
    refusedWith(() => single(db, scratch, 'SELECT 1; DELETE FROM t'), more);
    refusedWith(() => single(db, scratch, 'SELECT 1;DELETE FROM t'), more);
    refusedWith(() => single(db, scratch, 'SELECT 1; ; DELETE FROM t'), more);
    refusedWith(() => single(db, scratch, "SELECT ';'; DELETE FROM t"), more);
    refusedWith(() => single(db, scratch, 'SELECT 1; garbage'), more);
    refusedWith(() => single(db, scratch, 'SELECT 1 -- c\n; SELECT 2'), more);
    assert.equal(value(db, 'SELECT count(*) FROM t'), 1);
  });

  it('never compiles what follows, so a trailing PRAGMA cannot take effect', () => {
    const heapLimit = value(db, 'PRAGMA hard_heap_limit');
    refusedWith(() => single(db, scratch, 'SELECT 1; PRAGMA query_only = OFF'), /more follows the first: "PRAGMA query_only = OFF"/);
    refusedWith(() => single(db, scratch, 'SELECT 1; PRAGMA hard_heap_limit = 1'), /more follows/);
    assert.equal(value(db, 'PRAGMA query_only'), 1);
    assert.equal(value(db, 'PRAGMA hard_heap_limit'), heapLimit);
    assert.notEqual(heapLimit, 1);
    assert.equal(value(scratch, 'PRAGMA query_only'), 0);
  });

  it('refuses a disallowed statement before compiling it', () => {
    refusedWith(() => single(db, scratch, 'PRAGMA query_only = OFF'), /^PRAGMA query_only is refused/);
    refusedWith(() => single(db, scratch, 'PRAGMA writable_schema = ON'), /^PRAGMA writable_schema is refused/);
    assert.equal(value(db, 'PRAGMA query_only'), 1);
    assert.equal(value(db, 'PRAGMA writable_schema'), 0);
  });

  it('refuses a WITH that writes by the program SQLite compiles for it', () => {
    refusedWith(() => single(db, scratch, 'WITH x AS (SELECT 1) DELETE FROM t'), /^The statement would write to test \(its program has \w+\); this server only reads\.$/);
    refusedWith(() => single(db, scratch, "WITH x AS (SELECT 1) INSERT INTO t(b) SELECT 'y' FROM x"), /^The statement would write to test/);
    refusedWith(() => single(db, scratch, "WITH x AS (SELECT 1) UPDATE t SET b = 'z'"), /^The statement would write to test/);
    assert.equal(value(db, 'SELECT group_concat(b) FROM t'), 'x');
  });

  it("passes SQLite's syntax errors on with a hint", () => {
    refusedWith(() => single(db, scratch, 'SELECT FROM WHERE'), /^SQLite error: .*syntax error.*\. Check the SQL: it must be valid in SQLite's dialect\.$/);
    refusedWith(() => single(db, scratch, 'SELECT * FROM missing'), /^SQLite error: no such table: missing\. Call list_tables to see the tables and views of test\.$/);
    refusedWith(() => single(db, scratch, 'SELECT 1\0; DELETE FROM t'), /NUL character/);
  });
});

describe('databases in memory', () => {
  it('opens read-only, reuses the copy until the file changes, then reads it again', () => {
    const ref = writeDatabase('reload.sqlite', "CREATE TABLE t(a); INSERT INTO t VALUES (1);");
    const open = new OpenDatabases(SQL, 1 << 20, 1 << 20);
    const first = open.get(ref);
    assert.equal(value(first, 'PRAGMA query_only'), 1);
    assert.equal(open.get(ref), first);
    writeDatabase('reload.sqlite', 'CREATE TABLE t(a); INSERT INTO t VALUES (1), (2);');
    const second = open.get(ref);
    assert.notEqual(second, first);
    assert.equal(value(second, 'SELECT count(*) FROM t'), 2);
    open.discard(ref);
  });

  it('notices a connection that is no longer read-only or has changed, and can discard it', () => {
    const ref = writeDatabase('guard.sqlite', 'CREATE TABLE t(a); INSERT INTO t VALUES (1);');
    const open = new OpenDatabases(SQL, 1 << 20, 1 << 20);
    const db = open.get(ref);
    assert.equal(open.problemWith(ref), undefined);
    db.run('PRAGMA query_only = OFF');
    assert.equal(open.problemWith(ref), 'it turned PRAGMA query_only off');
    db.run('INSERT INTO t VALUES (2); PRAGMA query_only = ON');
    assert.equal(open.problemWith(ref), 'it changed rows');
    db.run("ATTACH ':memory:' AS other");
    assert.equal(open.problemWith(ref), 'it attached another database');
    open.discard(ref);
    assert.equal(open.problemWith(ref), undefined);
    assert.equal(value(open.get(ref), 'SELECT count(*) FROM t'), 1);
  });

  it('closes the least recently used copy when the memory budget would be passed', () => {
    const a = writeDatabase('a.sqlite', 'CREATE TABLE t(a)');
    const b = writeDatabase('b.sqlite', 'CREATE TABLE t(b)');
    const size = fs.statSync(a.path).size;
    const open = new OpenDatabases(SQL, size * 2, size + size / 2);
    const firstA = open.get(a);
    open.get(b);
    assert.notEqual(open.get(a), firstA, 'a was closed to make room for b, and read again');
  });

  it('refuses a file over the size limit and a file that is not a database, with the reason', () => {
    const ref = writeDatabase('big.sqlite', `CREATE TABLE t(a); INSERT INTO t VALUES (randomblob(20000));`);
    const size = fs.statSync(ref.path).size;
    const open = new OpenDatabases(SQL, 8192, 8192);
    refusedWith(() => open.get(ref), new RegExp(`^big\\.sqlite is ${size / 1024} KB; Warden's SQLite server loads whole databases into memory and refuses files over 8 KB\\. Raise --max-db-bytes`));
    const text = path.join(tmp, 'notes.db');
    fs.writeFileSync(text, 'not a database at all, just some text that is long enough');
    refusedWith(() => open.get({ id: 'notes.db', path: text }), /^notes\.db \(.*\) is not an SQLite database: it does not start with "SQLite format 3"\.$/);
  });
});

describe('engine results', () => {
  let engine: Engine;
  let ref: DatabaseRef;

  before(() => {
    ref = writeDatabase(
      'results.sqlite',
      "CREATE TABLE t(id INTEGER PRIMARY KEY, v); INSERT INTO t(v) VALUES (9007199254740993), (x'00ff'), (1.5), (NULL), ('a|b\nc'), (1e999);",
    );
    engine = new Engine(SQL, { maxDatabaseBytes: 1 << 20, maxRows: 4, maxResultBytes: 1 << 16 });
  });

  it('returns exact cells: big integers as strings, blobs as base64, infinity as text', () => {
    const result = engine.query(ref, 'SELECT v FROM t ORDER BY id', undefined, 10);
    assert.deepEqual(result.structured['rows'], [['9007199254740993'], [{ base64: 'AP8=', bytes: 2 }], [1.5], [null]]);
    assert.equal(result.structured['truncated'], true);
    assert.equal(result.structured['truncatedBy'], 'rows');
    const rest = engine.query(ref, 'SELECT v FROM t WHERE id > ? ORDER BY id', [4], undefined);
    assert.deepEqual(rest.structured['rows'], [['a|b\nc'], ['Infinity']]);
    assert.equal(rest.text, '| v |\n| --- |\n| a\\|b\\nc |\n| Infinity |\n\n2 rows.');
  });

  it('stops a query that would allocate past the SQLite heap limit', () => {
    refusedWith(
      () => engine.query(ref, 'SELECT length(randomblob(?))', [SQLITE_HEAP_LIMIT_BYTES + 1024], undefined),
      /^SQLite error: out of memory\. Narrow the query/,
    );
    assert.deepEqual(engine.query(ref, 'SELECT count(*) FROM t', undefined, undefined).structured['rows'], [[6]]);
  });

  it('binds a value holding SQL as data', () => {
    const result = engine.query(ref, 'SELECT ? AS echo, count(*) AS n FROM t WHERE v = ?', ["x'; DROP TABLE t; --", "1' OR '1'='1"], undefined);
    assert.deepEqual(result.structured['rows'], [["x'; DROP TABLE t; --", 0]]);
  });
});
