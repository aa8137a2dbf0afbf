import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import initSqlJs, { type SqlJsStatic } from 'sql.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CallToolResultSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { commandLineRunner } from '../helpers/commandLine';

const projectRoot = path.resolve(__dirname, '../../..');
const serverJs = path.join(projectRoot, 'dist/servers/sqlite.js');
const demoDb = path.join(projectRoot, 'demo/data/shop.sqlite');

const RUNAWAY = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c';
const TIMEOUT_300 =
  'The query ran longer than 300 ms and was stopped. Narrow it (add WHERE or LIMIT) or raise the timeout (--timeout-ms, setting warden.sqlite.queryTimeoutSeconds).';

let SQL: SqlJsStatic;
let tmp = '';

function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Builds a database with sql.js and writes it to `file` (through a temp name, so readers see it whole). */
function writeDatabase(file: string, setup: string): void {
  const db = new SQL.Database();
  db.run(setup);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, db.export());
  db.close();
}

function text(result: CallToolResult): string {
  return result.content.map((block) => (block.type === 'text' ? block.text : `<${block.type}>`)).join('\n');
}

interface Running {
  readonly client: Client;
  readonly stderr: () => string;
  /** Resolves once the server's log contains `needle`. */
  readonly logged: (needle: string) => Promise<void>;
  call(name: string, args: Record<string, unknown>): Promise<CallToolResult>;
}

async function startServer(args: string[]): Promise<Running> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [serverJs, ...args], stderr: 'pipe' });
  let log = '';
  const waiters: { needle: string; resolve: () => void }[] = [];
  transport.stderr?.on('data', (chunk: Buffer) => {
    log += chunk.toString('utf8');
    for (const waiter of waiters.splice(0)) {
      if (log.includes(waiter.needle)) waiter.resolve();
      else waiters.push(waiter);
    }
  });
  const client = new Client({ name: 'warden-sqlite-test', version: '0.0.0' });
  await client.connect(transport);
  await client.listTools(); // the client checks structuredContent against each outputSchema from here on
  return {
    client,
    stderr: () => log,
    logged: (needle) => (log.includes(needle) ? Promise.resolve() : new Promise((resolve) => waiters.push({ needle, resolve }))),
    call: async (name, toolArgs) => CallToolResultSchema.parse(await client.callTool({ name, arguments: toolArgs })),
  };
}

async function expectError(running: Running, name: string, args: Record<string, unknown>, expected: string | RegExp): Promise<string> {
  const result = await running.call(name, args);
  assert.equal(result.isError, true, `${name} ${JSON.stringify(args)} should fail, got ${text(result)}`);
  if (typeof expected === 'string') assert.equal(text(result), expected);
  else assert.match(text(result), expected);
  return text(result);
}

before(async () => {
  SQL = await initSqlJs();
  tmp = fs.realpathSync.native(fs.mkdtempSync(path.join(os.tmpdir(), 'warden-sqlite-server-')));
});

after(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

const FIXTURE = `
  CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT NOT NULL, note TEXT DEFAULT 'none');
  INSERT INTO t(name) VALUES ('alpha'), ('beta'), ('gamma');
  CREATE INDEX t_by_name ON t(name);
  CREATE VIEW v AS SELECT name FROM t;
  CREATE TRIGGER t_touch AFTER UPDATE ON t BEGIN SELECT 1; END;
  CREATE TABLE many(n INTEGER);
  INSERT INTO many WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 50) SELECT n FROM c;
  CREATE TABLE wide(s TEXT);
  INSERT INTO wide SELECT replace(hex(zeroblob(500)), '0', 'x') FROM many WHERE n <= 10;
  CREATE TABLE huge(s TEXT);
  INSERT INTO huge VALUES (replace(hex(zeroblob(2500)), '0', 'y'));
  CREATE TABLE "we""ird'name"(a INTEGER PRIMARY KEY, "b c" TEXT);
  INSERT INTO "we""ird'name" VALUES (1, 'one'), (2, 'two');
  CREATE TABLE parent(id INTEGER PRIMARY KEY);
  CREATE TABLE child(id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent(id) ON DELETE CASCADE);
  CREATE TABLE cells(v);
  INSERT INTO cells VALUES (9007199254740993), (x'00ff'), (NULL), (2.5);
  PRAGMA user_version = 3;
`;

/** Everything a write could change, read back through the server itself. */
const STATE_SQL = `SELECT
  (SELECT group_concat(type || ':' || name || ':' || coalesce(sql, ''), '|') FROM (SELECT * FROM sqlite_schema ORDER BY name)) AS schema,
  (SELECT group_concat(id || '=' || name || '/' || note, ',') FROM t) AS t_rows,
  (SELECT count(*) FROM many) AS many_rows,
  (SELECT query_only FROM pragma_query_only) AS query_only,
  (SELECT user_version FROM pragma_user_version) AS user_version,
  (SELECT group_concat(name) FROM pragma_database_list) AS attached`;

describe('sqlite server over stdio: reads, and refuses every write', () => {
  let db = '';
  let dbHash = '';
  let demoHash = '';
  let server: Running;
  let state: unknown;

  async function assertUnchanged(after: string): Promise<void> {
    const now = await server.call('query', { database: 'test.sqlite', sql: STATE_SQL });
    assert.deepEqual(now.structuredContent?.['rows'], state, `the database changed after ${after}`);
  }

  before(async () => {
    db = path.join(tmp, 'a/test.sqlite');
    writeDatabase(db, FIXTURE);
    dbHash = sha256(db);
    demoHash = sha256(demoDb);
    // A long timeout: a cancelled query that kept running would block the next call visibly.
    server = await startServer(['--db', db, '--db', demoDb, '--max-rows', '20', '--max-result-bytes', '4096', '--timeout-ms', '600000']);
    const first = await server.call('query', { database: 'test.sqlite', sql: STATE_SQL });
    state = first.structuredContent?.['rows'];
  });

  after(async () => {
    await server.client.close();
  });

  it('reads the databases named with --db into memory once initialized, without waiting for a query', async () => {
    // Only the ahead-of-time reading logs this line; queries read what they need without a word.
    await server.logged('test.sqlite is in memory, ready to query');
    await server.logged('shop.sqlite is in memory, ready to query');
  });

  it('introduces itself and lists four read-only, closed-world tools', async () => {
    assert.equal(server.client.getServerVersion()?.name, 'warden-sqlite');
    assert.ok(server.client.getInstructions()?.includes('test.sqlite, shop.sqlite'));
    const { tools } = await server.client.listTools();
    assert.deepEqual(tools.map((t) => t.name), ['list_databases', 'list_tables', 'describe_table', 'query']);
    for (const tool of tools) {
      assert.deepEqual(tool.annotations, { title: tool.title, readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false });
      assert.equal(tool.inputSchema.additionalProperties, false);
      assert.equal(tool.outputSchema?.type, 'object');
    }
    const query = tools.find((t) => t.name === 'query');
    assert.ok(query?.description?.includes('At most 20 rows and 4 KB of rows'), 'query states the server caps');
    assert.ok(Array.isArray(state) && Array.isArray(state[0]), 'the state query returns one row');
    const [schema, ...rest] = state[0];
    assert.match(String(schema), /^table:cells:CREATE TABLE cells\(v\)\|table:child:/);
    assert.deepEqual(rest, ['1=alpha/none,2=beta/none,3=gamma/none', 50, 1, 3, 'main']);
  });

  it('lists the databases with their sizes and the memory note', async () => {
    const result = await server.call('list_databases', {});
    assert.deepEqual(result.structuredContent, {
      databases: [
        { id: 'test.sqlite', path: db, sizeBytes: fs.statSync(db).size, tooLarge: false },
        { id: 'shop.sqlite', path: demoDb, sizeBytes: fs.statSync(demoDb).size, tooLarge: false },
      ],
      maxDatabaseBytes: 256 * 1024 * 1024,
      walkTruncated: false,
      memoryNote:
        'Each database is read whole into memory when first used (about its file size) and kept while the copies fit in 256 MB; files over 256 MB are refused. A file changed on disk is read again before the next call. Files are never written.',
    });
  });

  it('asks for the database when there are several, and names them when one is unknown', async () => {
    await expectError(server, 'query', { sql: 'SELECT 1' }, 'Name the database: this server has several (test.sqlite, shop.sqlite).');
    await expectError(server, 'list_tables', { database: 'nope' }, 'Unknown database "nope". Databases: test.sqlite, shop.sqlite. Call list_databases for their paths and sizes.');
  });

  it('lists tables with capped row counts, and views without, quoting odd names safely', async () => {
    const result = await server.call('list_tables', { database: 'test' });
    assert.deepEqual(result.structuredContent?.['tables'], [
      { name: 'cells', type: 'table', rowCount: 4, rowCountCapped: false },
      { name: 'child', type: 'table', rowCount: 0, rowCountCapped: false },
      { name: 'huge', type: 'table', rowCount: 1, rowCountCapped: false },
      { name: 'many', type: 'table', rowCount: 50, rowCountCapped: false },
      { name: 'parent', type: 'table', rowCount: 0, rowCountCapped: false },
      { name: 't', type: 'table', rowCount: 3, rowCountCapped: false },
      { name: 'v', type: 'view' },
      { name: `we"ird'name`, type: 'table', rowCount: 2, rowCountCapped: false },
      { name: 'wide', type: 'table', rowCount: 10, rowCountCapped: false },
    ]);
    assert.equal(result.structuredContent?.['rowCountLimit'], 10000);
  });

  it('describes a table: columns, primary key, indexes, foreign keys and its CREATE statement', async () => {
    const child = await server.call('describe_table', { database: 'test.sqlite', table: 'child' });
    assert.deepEqual(child.structuredContent?.['columns'], [
      { name: 'id', type: 'INTEGER', notNull: false, default: null, primaryKey: 1 },
      { name: 'parent_id', type: 'INTEGER', notNull: true, default: null, primaryKey: 0 },
    ]);
    assert.deepEqual(child.structuredContent?.['foreignKeys'], [
      { columns: ['parent_id'], table: 'parent', toColumns: ['id'], onUpdate: 'NO ACTION', onDelete: 'CASCADE' },
    ]);
    const t = await server.call('describe_table', { database: 'test.sqlite', table: 'T' });
    assert.equal(t.structuredContent?.['name'], 't', 'names match as SQLite matches them');
    assert.deepEqual(t.structuredContent?.['primaryKey'], ['id']);
    assert.deepEqual(t.structuredContent?.['indexes'], [{ name: 't_by_name', unique: false, origin: 'c', partial: false, columns: ['name'] }]);
    assert.equal((t.structuredContent?.['columns'] as { default: unknown }[])[2]?.default, "'none'");
    assert.match(String(t.structuredContent?.['sql']), /^CREATE TABLE t\(/);
    const weird = await server.call('describe_table', { database: 'test.sqlite', table: `we"ird'name` });
    assert.deepEqual((weird.structuredContent?.['columns'] as { name: string }[]).map((c) => c.name), ['a', 'b c']);
  });

  it('never reads a table name as SQL in describe_table', async () => {
    const known = 'Its tables and views: cells, child, huge, many, parent, t, v, we"ird\'name, wide. Call list_tables for details.';
    for (const name of [`t'); DROP TABLE t; --`, `t" OR 1=1 --`, `t"; DROP TABLE t; --`, 't) UNION SELECT sql FROM sqlite_schema --', '[t]']) {
      await expectError(server, 'describe_table', { database: 'test.sqlite', table: name }, `No table or view named ${JSON.stringify(name)} in test.sqlite. ${known}`);
      await assertUnchanged(`describe_table ${name}`);
    }
  });

  it('runs a query with positional and named parameters, and returns columns, rows and a table', async () => {
    const positional = await server.call('query', { database: 'test.sqlite', sql: 'SELECT id, name FROM t WHERE id >= ? ORDER BY id', params: [2] });
    assert.deepEqual(positional.structuredContent, { database: 'test.sqlite', columns: ['id', 'name'], rows: [[2, 'beta'], [3, 'gamma']], rowCount: 2, truncated: false });
    assert.equal(text(positional), '| id | name |\n| --- | --- |\n| 2 | beta |\n| 3 | gamma |\n\n2 rows.');
    const named = await server.call('query', { database: 'test.sqlite', sql: 'SELECT name FROM t WHERE name = :n OR id = @id', params: { n: 'alpha', '@id': 3 } });
    assert.deepEqual(named.structuredContent?.['rows'], [['alpha'], ['gamma']]);
    const cells = await server.call('query', { database: 'test.sqlite', sql: 'SELECT v FROM cells ORDER BY rowid' });
    assert.deepEqual(cells.structuredContent?.['rows'], [['9007199254740993'], [{ base64: 'AP8=', bytes: 2 }], [null], [2.5]]);
    assert.equal(text(cells), "| v |\n| --- |\n| 9007199254740993 |\n| x'00ff' |\n| NULL |\n| 2.5 |\n\n4 rows.");
  });

  it('treats a parameter holding SQL as data', async () => {
    for (const value of ["x' OR '1'='1", "'); DROP TABLE t; --", 'alpha; DELETE FROM t']) {
      const result = await server.call('query', { database: 'test.sqlite', sql: 'SELECT ? AS echo, (SELECT count(*) FROM t WHERE name = ?) AS matches', params: [value, value] });
      assert.deepEqual(result.structuredContent?.['rows'], [[value, 0]]);
    }
    await expectError(server, 'query', { database: 'test.sqlite', sql: 'SELECT ?, ?', params: ['a'] }, 'The statement has 2 parameters, but params has 1 value. Pass exactly 2 in order.');
    await expectError(server, 'query', { database: 'test.sqlite', sql: 'SELECT :a', params: { b: 1 } }, 'params names "b", which the statement does not use. Its parameters: :a.');
    await assertUnchanged('parameters holding SQL');
  });

  it('cuts at the row cap and says so', async () => {
    const capped = await server.call('query', { database: 'test.sqlite', sql: 'SELECT n FROM many ORDER BY n' });
    assert.equal(capped.structuredContent?.['rowCount'], 20);
    assert.equal(capped.structuredContent?.['truncated'], true);
    assert.equal(capped.structuredContent?.['truncatedBy'], 'rows');
    assert.deepEqual((capped.structuredContent?.['rows'] as unknown[][]).at(-1), [20]);
    assert.ok(text(capped).endsWith('Showing the first 20 rows; more rows exist (at most 20 per call). Add LIMIT and OFFSET, or narrow the WHERE clause, to see the rest.'));
    const exact = await server.call('query', { database: 'test.sqlite', sql: 'SELECT n FROM many LIMIT 20' });
    assert.equal(exact.structuredContent?.['truncated'], false, 'exactly the cap is not truncated');
    const asked = await server.call('query', { database: 'test.sqlite', sql: 'SELECT n FROM many', maxRows: 5 });
    assert.equal(asked.structuredContent?.['rowCount'], 5);
    assert.equal(asked.structuredContent?.['truncated'], true);
  });

  it('cuts at the byte cap and says so, even before the first row', async () => {
    // Each row is ["x" * 1000] (1004 bytes of JSON) plus a comma: four fit in 4096 bytes, five do not.
    const wide = await server.call('query', { database: 'test.sqlite', sql: 'SELECT s FROM wide' });
    assert.equal(wide.structuredContent?.['rowCount'], 4);
    assert.equal(wide.structuredContent?.['truncatedBy'], 'bytes');
    assert.ok(text(wide).endsWith('Showing the first 4 rows; the next would pass the 4 KB result limit. Select fewer or shorter columns (for example substr(column, 1, 200)), or page with LIMIT and OFFSET.'));
    const huge = await server.call('query', { database: 'test.sqlite', sql: 'SELECT s FROM huge' });
    assert.deepEqual(huge.structuredContent, { database: 'test.sqlite', columns: ['s'], rows: [], rowCount: 0, truncated: true, truncatedBy: 'bytes' });
    assert.ok(text(huge).startsWith('| s |\n| --- |\n\nThe first row alone would pass the 4 KB result limit.'));
  });

  const WRITES: ReadonlyArray<readonly [string, RegExp]> = [
    ["INSERT INTO t(name) VALUES ('x')", /^INSERT statements are refused: this server never changes a database\./],
    ["INSERT INTO t(id, name) VALUES (1, 'x') ON CONFLICT(id) DO UPDATE SET name = 'x'", /^INSERT statements are refused/],
    ["UPDATE t SET name = 'x'", /^UPDATE statements are refused/],
    ['DELETE FROM t', /^DELETE statements are refused/],
    ["REPLACE INTO t VALUES (1, 'x', 'y')", /^REPLACE statements are refused/],
    ['CREATE TABLE n(a)', /^CREATE statements are refused: this server never changes a database or its schema\./],
    ['CREATE INDEX i ON t(note)', /^CREATE statements are refused/],
    ['CREATE VIEW w AS SELECT 1', /^CREATE statements are refused/],
    ['CREATE TRIGGER tr AFTER INSERT ON t BEGIN DELETE FROM t; END', /^CREATE statements are refused/],
    ['CREATE TEMP TABLE tmp(a)', /^CREATE statements are refused/],
    ['CREATE VIRTUAL TABLE vt USING fts5(a)', /^CREATE statements are refused/],
    ['DROP TABLE t', /^DROP statements are refused/],
    ['DROP INDEX t_by_name', /^DROP statements are refused/],
    ['DROP VIEW v', /^DROP statements are refused/],
    ['DROP TRIGGER t_touch', /^DROP statements are refused/],
    ['DROP TABLE IF EXISTS missing', /^DROP statements are refused/],
    ['ALTER TABLE t ADD COLUMN z', /^ALTER statements are refused/],
    ['ALTER TABLE t RENAME TO u', /^ALTER statements are refused/],
    ['ANALYZE', /^ANALYZE statements are refused/],
    ['REINDEX', /^REINDEX statements are refused/],
    ["ATTACH DATABASE ':memory:' AS m", /^ATTACH is refused: query reads only the database named by its database argument/],
    [`ATTACH '${path.join(os.tmpdir(), 'warden-attached.db')}' AS other`, /^ATTACH is refused/],
    ['DETACH m', /^DETACH is refused/],
    ['VACUUM', /^VACUUM is refused: it rewrites the database\./],
    [`VACUUM INTO '${path.join(os.tmpdir(), 'warden-vacuum-copy.db')}'`, /^VACUUM is refused/],
    ['PRAGMA journal_mode = WAL', /^PRAGMA journal_mode is refused: it may change the database or the connection\./],
    ['PRAGMA user_version = 7', /^PRAGMA user_version with a value is refused: that form changes the database\./],
    ['PRAGMA main.user_version = 7', /^PRAGMA user_version with a value is refused/],
    ['PRAGMA query_only = OFF', /^PRAGMA query_only is refused/],
    ["PRAGMA 'query_only' = 0", /^PRAGMA query_only is refused/],
    ['PRAGMA writable_schema = ON', /^PRAGMA writable_schema is refused/],
    ['PRAGMA hard_heap_limit = 1', /^PRAGMA hard_heap_limit is refused/],
    ['BEGIN IMMEDIATE', /^BEGIN is refused: each query runs on its own/],
    ['SAVEPOINT s', /^SAVEPOINT is refused/],
    ['EXPLAIN DELETE FROM t', /^DELETE statements are refused/],
    ['EXPLAIN PRAGMA query_only = OFF', /^PRAGMA query_only is refused/],
    ['/* SELECT */ DELETE FROM t', /^DELETE statements are refused/],
    ['-- SELECT\nDROP TABLE t', /^DROP statements are refused/],
    ['WITH x AS (SELECT 1) DELETE FROM t', /^The statement would write to test\.sqlite \(its program has \w+\); this server only reads\.$/],
    ["WITH x AS (SELECT 1) INSERT INTO t(name) SELECT 'x' FROM x", /^The statement would write to test\.sqlite/],
    ["WITH x AS (SELECT 1) UPDATE t SET name = 'x'", /^The statement would write to test\.sqlite/],
  ];

  it('refuses every write, schema change, attachment, vacuum and writing PRAGMA, and nothing changes', async () => {
    for (const [sql, expected] of WRITES) {
      await expectError(server, 'query', { database: 'test.sqlite', sql }, expected);
      await assertUnchanged(sql);
    }
    assert.equal(fs.existsSync(path.join(os.tmpdir(), 'warden-vacuum-copy.db')), false, 'VACUUM INTO wrote no file');
  });

  it('runs exactly one statement: more after it is refused, trailing comments and semicolons are fine', async () => {
    const more = /^query runs exactly one statement, but more follows the first: .*\. Send each statement in its own call\.$/;
    for (const sql of ['SELECT 1; DELETE FROM t', 'SELECT 1;DELETE FROM t', 'SELECT 1; ; DELETE FROM t', "SELECT ';'; DELETE FROM t", 'SELECT 1; PRAGMA query_only = OFF', 'SELECT 1; SELECT 2', 'SELECT 1 -- c\n; ATTACH \':memory:\' AS m']) {
      await expectError(server, 'query', { database: 'test.sqlite', sql }, more);
      await assertUnchanged(sql);
    }
    for (const sql of ['SELECT 1; -- ok', 'SELECT 1;;', 'SELECT 1 /* trailing */', ' ; SELECT 1']) {
      const result = await server.call('query', { database: 'test.sqlite', sql });
      assert.deepEqual(result.structuredContent?.['rows'], [[1]], sql);
    }
    await expectError(server, 'query', { database: 'test.sqlite', sql: '-- nothing but a comment' }, 'The SQL holds no statement, only comments or whitespace.');
  });

  it('allows the read-only PRAGMAs and EXPLAIN', async () => {
    const info = await server.call('query', { database: 'test.sqlite', sql: "PRAGMA table_info('t')" });
    assert.deepEqual((info.structuredContent?.['rows'] as unknown[][]).map((r) => r[1]), ['id', 'name', 'note']);
    const version = await server.call('query', { database: 'test.sqlite', sql: 'PRAGMA user_version' });
    assert.deepEqual(version.structuredContent?.['rows'], [[3]]);
    const plan = await server.call('query', { database: 'test.sqlite', sql: "EXPLAIN QUERY PLAN SELECT * FROM t WHERE name = 'beta'" });
    assert.match(JSON.stringify(plan.structuredContent?.['rows']), /t_by_name/);
  });

  it("passes SQLite's errors on with a hint", async () => {
    await expectError(server, 'query', { database: 'test.sqlite', sql: 'SELECT * FROM nope' }, 'SQLite error: no such table: nope. Call list_tables to see the tables and views of test.sqlite.');
    await expectError(server, 'query', { database: 'test.sqlite', sql: 'SELECT nope FROM t' }, 'SQLite error: no such column: nope. Call describe_table to see the columns of the table.');
    await expectError(server, 'query', { database: 'test.sqlite', sql: 'SELECT FROM WHERE' }, /^SQLite error: .*syntax error.*\. Check the SQL: it must be valid in SQLite's dialect\.$/);
  });

  it('stops a cancelled query and serves the next call', async () => {
    const controller = new AbortController();
    let running!: () => void;
    const started = new Promise<void>((resolve) => (running = resolve));
    const call = server.client.callTool({ name: 'query', arguments: { database: 'test.sqlite', sql: RUNAWAY } }, undefined, {
      signal: controller.signal,
      onprogress: () => running(),
    });
    await started;
    controller.abort('no longer needed');
    await assert.rejects(call);
    await server.logged('worker terminated');
    const next = await server.call('query', { database: 'test.sqlite', sql: 'SELECT count(*) FROM t' });
    assert.deepEqual(next.structuredContent?.['rows'], [[3]]);
  });

  it('reads the demo database in place', async () => {
    const result = await server.call('query', {
      database: 'shop',
      sql: 'SELECT c.name, count(o.id) AS orders FROM customers c LEFT JOIN orders o ON o.customer_id = c.id GROUP BY c.id ORDER BY c.id',
    });
    assert.deepEqual(result.structuredContent?.['rows'], [['Ada Lovelace', 2], ['Grace Hopper', 1], ['Katherine Johnson', 1], ['Hedy Lamarr', 1]]);
    const tables = await server.call('list_tables', { database: 'shop.sqlite' });
    assert.deepEqual((tables.structuredContent?.['tables'] as { name: string }[]).map((t) => t.name), ['customers', 'order_items', 'orders', 'products']);
    const orders = await server.call('describe_table', { database: 'shop.sqlite', table: 'orders' });
    assert.deepEqual(orders.structuredContent?.['foreignKeys'], [{ columns: ['customer_id'], table: 'customers', toColumns: ['id'], onUpdate: 'NO ACTION', onDelete: 'NO ACTION' }]);
    await expectError(server, 'query', { database: 'shop.sqlite', sql: 'DELETE FROM orders' }, /^DELETE statements are refused/);
    assert.equal(sha256(demoDb), demoHash, 'demo/data/shop.sqlite is unchanged');
  });

  it('left both database files byte for byte as they were', async () => {
    await assertUnchanged('the whole corpus');
    assert.equal(sha256(db), dbHash, 'test.sqlite is unchanged');
    assert.equal(sha256(demoDb), demoHash, 'demo/data/shop.sqlite is unchanged');
  });
});

describe('sqlite server: runaway queries and files that change', () => {
  let file = '';
  let server: Running;

  const count = async (): Promise<unknown> => (await server.call('query', { sql: 'SELECT count(*) FROM t' })).structuredContent?.['rows'];

  before(async () => {
    file = path.join(tmp, 'b/live.sqlite');
    writeDatabase(file, 'CREATE TABLE t(a); INSERT INTO t VALUES (1), (2), (3);');
    server = await startServer(['--db', file, '--timeout-ms', '300']);
  });

  after(async () => {
    await server.client.close();
  });

  it('stops a runaway query at the time limit and answers the next one', async () => {
    assert.deepEqual(await count(), [[3]]);
    await expectError(server, 'query', { sql: RUNAWAY }, TIMEOUT_300);
    assert.deepEqual(await count(), [[3]]);
    await expectError(server, 'query', { sql: RUNAWAY }, TIMEOUT_300);
    const tables = await server.call('list_tables', {});
    assert.deepEqual(tables.structuredContent?.['tables'], [{ name: 't', type: 'table', rowCount: 3, rowCountCapped: false }]);
  });

  it('reads the file again when it changes in place, and when it is replaced', async () => {
    writeDatabase(file, 'CREATE TABLE t(a); INSERT INTO t VALUES (1), (2), (3), (4), (5);');
    assert.deepEqual(await count(), [[5]]);
    const replacement = path.join(tmp, 'b/next.sqlite');
    writeDatabase(replacement, 'CREATE TABLE t(a); INSERT INTO t VALUES (1), (2), (3), (4), (5), (6), (7);');
    fs.renameSync(replacement, file);
    assert.deepEqual(await count(), [[7]]);
  });

  it('says so when the file disappears', async () => {
    fs.rmSync(file);
    await expectError(server, 'query', { sql: 'SELECT 1' }, `The database file ${file} cannot be reached (ENOENT); it may have been moved or deleted. Call list_databases.`);
  });
});

describe('sqlite server: a folder of databases and the size limit', () => {
  let root = '';
  let bigSize = 0;
  let server: Running;

  before(async () => {
    root = path.join(tmp, 'c/root');
    writeDatabase(path.join(root, 'small.sqlite'), "PRAGMA page_size = 1024; CREATE TABLE s(a); INSERT INTO s VALUES ('small');");
    writeDatabase(path.join(root, 'big.sqlite'), 'PRAGMA page_size = 1024; CREATE TABLE b(a); INSERT INTO b VALUES (randomblob(20000));');
    writeDatabase(path.join(root, 'nested/inner.db'), "PRAGMA page_size = 1024; CREATE TABLE i(a); INSERT INTO i VALUES ('inner');");
    writeDatabase(path.join(root, 'node_modules/skipped.db'), 'CREATE TABLE x(a);');
    writeDatabase(path.join(tmp, 'c/outside/secret.sqlite'), "PRAGMA page_size = 1024; CREATE TABLE secret(a); INSERT INTO secret VALUES ('secret');");
    fs.symlinkSync('../outside/secret.sqlite', path.join(root, 'link.sqlite'));
    fs.writeFileSync(path.join(root, 'notes.txt'), 'not a database');
    bigSize = fs.statSync(path.join(root, 'big.sqlite')).size;
    server = await startServer(['--root', root, '--max-db-bytes', '8192']);
  });

  after(async () => {
    await server.client.close();
  });

  it('finds the database files under the root, without following links', async () => {
    const result = await server.call('list_databases', {});
    const databases = result.structuredContent?.['databases'] as { id: string; tooLarge: boolean; note?: string }[];
    assert.deepEqual(databases.map((d) => [d.id, d.tooLarge]), [['big.sqlite', true], ['nested/inner.db', false], ['small.sqlite', false]]);
    assert.equal(bigSize % 1024, 0);
    assert.equal(
      databases[0]?.note,
      `big.sqlite is ${bigSize / 1024} KB; Warden's SQLite server loads whole databases into memory and refuses files over 8 KB. Raise --max-db-bytes (setting warden.sqlite.maxDatabaseBytes) if you have the memory.`,
    );
    await expectError(server, 'query', { database: 'link.sqlite', sql: 'SELECT * FROM secret' }, 'Unknown database "link.sqlite". Databases: big.sqlite, nested/inner.db, small.sqlite. Call list_databases for their paths and sizes.');
  });

  it('reads the small ones and refuses the big one with the reason', async () => {
    const small = await server.call('query', { database: 'small', sql: 'SELECT a FROM s' });
    assert.deepEqual(small.structuredContent?.['rows'], [['small']]);
    const inner = await server.call('query', { database: 'nested/inner.db', sql: 'SELECT a FROM i' });
    assert.deepEqual(inner.structuredContent?.['rows'], [['inner']]);
    await expectError(
      server,
      'query',
      { database: 'big.sqlite', sql: 'SELECT 1' },
      `big.sqlite is ${bigSize / 1024} KB; Warden's SQLite server loads whole databases into memory and refuses files over 8 KB. Raise --max-db-bytes (setting warden.sqlite.maxDatabaseBytes) if you have the memory.`,
    );
  });
});

describe('sqlite server command line', () => {
  const { runToExit, killAll } = commandLineRunner(serverJs);
  after(killAll);

  it('exits 2 with the usage when no database is given or a flag is wrong', async () => {
    const none = await runToExit([]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /^warden-sqlite: At least one --db <file> or --root <dir> is required\.\nUsage: node dist\/servers\/sqlite\.js/);
    const bad = await runToExit(['--db', demoDb, '--max-rows', 'many']);
    assert.equal(bad.code, 2);
    assert.ok(bad.stderr.startsWith('warden-sqlite: --max-rows must be a whole number from 1 to 100000, not "many".\nUsage: '), bad.stderr);
  });

  it('exits 2 naming a missing file, and a --db inside a root that leads out of it', async () => {
    const missing = path.join(tmp, 'd/none.sqlite');
    const gone = await runToExit(['--db', missing]);
    assert.equal(gone.code, 2);
    assert.ok(gone.stderr.startsWith(`warden-sqlite: --db ${JSON.stringify(missing)} does not exist or cannot be read (ENOENT).`), gone.stderr);
    const root = path.join(tmp, 'd/root');
    fs.mkdirSync(root, { recursive: true });
    fs.symlinkSync(demoDb, path.join(root, 'shop.sqlite'));
    const escape = await runToExit(['--root', root, '--db', path.join(root, 'shop.sqlite')]);
    assert.equal(escape.code, 2);
    assert.ok(escape.stderr.startsWith(`warden-sqlite: --db ${JSON.stringify(path.join(root, 'shop.sqlite'))} lies inside --root ${root} but leads outside it through a symbolic link (to ${demoDb}).`), escape.stderr);
  });
});
