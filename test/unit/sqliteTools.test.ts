import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import type { Tool } from '../../src/core/protocol/types';
import { Engine, loadSqlJs } from '../../src/servers/sqlite/engine/engine';
import type { DatabaseRef } from '../../src/servers/sqlite/protocol';
import { sqliteToolDeclarations } from '../../src/servers/sqlite/toolDeclarations';

const ajv = new Ajv2020({ strict: false });
let tools: Tool[] = [];
let engine: Engine;
let ref: DatabaseRef;
let tmp = '';

function conforms(toolName: string, structured: unknown): void {
  const schema = tools.find((t) => t.name === toolName)?.outputSchema;
  assert.ok(schema, `${toolName} declares an outputSchema`);
  const validate = ajv.compile(schema);
  assert.ok(validate(structured), `${toolName}: ${ajv.errorsText(validate.errors)}`);
}

before(async () => {
  tools = sqliteToolDeclarations();
  const SQL = await loadSqlJs(require.resolve('sql.js/dist/sql-wasm.wasm'));
  tmp = fs.realpathSync.native(fs.mkdtempSync(path.join(os.tmpdir(), 'warden-sqlite-tools-')));
  const db = new SQL.Database();
  db.run(`
    CREATE TABLE a(id INTEGER PRIMARY KEY, v, g AS (id * 2));
    CREATE TABLE b(id INTEGER PRIMARY KEY, a_id REFERENCES a, x TEXT DEFAULT 'd', UNIQUE (x, a_id));
    CREATE INDEX b_part ON b(x) WHERE x IS NOT NULL;
    CREATE VIEW w AS SELECT * FROM a;
    INSERT INTO a(v) VALUES (x'01'), (NULL), ('t'), (1.25), (123456789012345678);
  `);
  ref = { id: 'tools.sqlite', path: path.join(tmp, 'tools.sqlite') };
  fs.writeFileSync(ref.path, db.export());
  db.close();
  engine = new Engine(SQL, { maxDatabaseBytes: 1 << 20, maxRows: 3, maxResultBytes: 1 << 16 });
});

after(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('SQLite tool declarations', () => {
  it('declares four read-only, closed-world tools with strict input schemas and output schemas', () => {
    assert.deepEqual(tools.map((t) => t.name), ['list_databases', 'list_tables', 'describe_table', 'query']);
    for (const tool of tools) {
      assert.deepEqual(tool.annotations, { title: tool.title, readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false });
      assert.equal(tool.inputSchema['additionalProperties'], false, tool.name);
      assert.equal(tool.outputSchema?.['additionalProperties'], false, tool.name);
      assert.doesNotThrow(() => ajv.compile(tool.inputSchema), tool.name);
    }
  });

  it('states the default limits in the query description', () => {
    const description = tools.find((t) => t.name === 'query')?.description ?? '';
    assert.ok(description.includes('At most 500 rows and 256 KB of rows'), description);
    assert.ok(description.includes('longer than 10 s is stopped'), description);
    assert.ok(description.includes('table_info, table_xinfo'), description);
  });

  it('accepts params as an array or an object of plain values, and nothing else', () => {
    const validate = ajv.compile(tools.find((t) => t.name === 'query')?.inputSchema ?? {});
    assert.equal(validate({ sql: 'SELECT ?', params: [1, 'a', null, true] }), true);
    assert.equal(validate({ sql: 'SELECT :a', params: { a: 1 } }), true);
    assert.equal(validate({ sql: 'SELECT ?', params: [{ nested: 1 }] }), false);
    assert.equal(validate({ sql: 'SELECT ?', params: 'a' }), false);
    assert.equal(validate({ sql: '' }), false);
  });
});

describe('SQLite tool results match their output schemas', () => {
  it('list_tables', () => {
    const { structured } = engine.listTables(ref);
    conforms('list_tables', structured);
    assert.deepEqual(structured['tables'], [
      { name: 'a', type: 'table', rowCount: 5, rowCountCapped: false },
      { name: 'b', type: 'table', rowCount: 0, rowCountCapped: false },
      { name: 'w', type: 'view' },
    ]);
  });

  it('describe_table, with a generated column, a partial index and a foreign key to a primary key', () => {
    const a = engine.describeTable(ref, 'a').structured;
    conforms('describe_table', a);
    assert.deepEqual(a['columns'], [
      { name: 'id', type: 'INTEGER', notNull: false, default: null, primaryKey: 1 },
      { name: 'v', type: '', notNull: false, default: null, primaryKey: 0 },
      { name: 'g', type: '', notNull: false, default: null, primaryKey: 0, generated: true },
    ]);
    const b = engine.describeTable(ref, 'b').structured;
    conforms('describe_table', b);
    assert.deepEqual(b['indexes'], [
      { name: 'b_part', unique: false, origin: 'c', partial: true, columns: ['x'] },
      { name: 'sqlite_autoindex_b_1', unique: true, origin: 'u', partial: false, columns: ['x', 'a_id'] },
    ]);
    assert.deepEqual(b['foreignKeys'], [{ columns: ['a_id'], table: 'a', toColumns: [null], onUpdate: 'NO ACTION', onDelete: 'NO ACTION' }]);
    conforms('describe_table', engine.describeTable(ref, 'w').structured);
  });

  it('query, with every kind of cell and a truncation', () => {
    const { structured } = engine.query(ref, 'SELECT v, g FROM a ORDER BY id', undefined, undefined);
    conforms('query', structured);
    assert.deepEqual(structured['rows'], [[{ base64: 'AQ==', bytes: 1 }, 2], [null, 4], ['t', 6]]);
    assert.equal(structured['truncatedBy'], 'rows');
    const big = engine.query(ref, 'SELECT v FROM a WHERE id = 5', undefined, undefined).structured;
    conforms('query', big);
    assert.deepEqual(big['rows'], [['123456789012345678']], 'an integer past 2^53 stays exact, as a string');
  });
});
