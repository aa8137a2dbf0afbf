/**
 * list_tables and describe_table. A table name from a caller is only ever a bound parameter (to
 * sqlite_schema and to the pragma_* table-valued functions), so no name can change the SQL. The
 * one identifier written into SQL is a table name read from sqlite_schema, for a capped row count,
 * and it is quoted as an identifier.
 */
import type { BindParams, Database, SqlValue } from 'sql.js';
import type { JsonObject } from '../../../core/protocol/types';
import { ToolError } from '../../shared/toolResult';
import { quoteIdentifier } from '../sqlLexer';

/** Tables are counted up to this many rows; a larger table reports the cap and rowCountCapped. */
export const ROW_COUNT_LIMIT = 10_000;
/** list_tables lists at most this many tables and views. */
export const MAX_TABLES = 1_000;

type TableType = 'table' | 'view' | 'virtual';

function all(db: Database, sql: string, params: BindParams): SqlValue[][] {
  const stmt = db.prepare(sql, params);
  try {
    const rows: SqlValue[][] = [];
    while (stmt.step()) rows.push(stmt.get());
    return rows;
  } finally {
    stmt.free();
  }
}

const text = (value: SqlValue | undefined): string => (typeof value === 'string' ? value : '');
const nullableText = (value: SqlValue | undefined): string | null => (typeof value === 'string' ? value : null);

function tableType(type: SqlValue | undefined, sql: SqlValue | undefined): TableType {
  if (type === 'view') return 'view';
  return /^\s*CREATE\s+VIRTUAL\b/i.test(text(sql)) ? 'virtual' : 'table';
}

const TABLES_SQL =
  "SELECT name, type, sql FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name LIMIT ?";

export function listTables(db: Database, database: string): JsonObject {
  const found = all(db, TABLES_SQL, [MAX_TABLES + 1]);
  const tables = found.slice(0, MAX_TABLES).map(([name, type, sql]) => {
    const entry: JsonObject = { name: text(name), type: tableType(type, sql) };
    if (entry['type'] === 'table') Object.assign(entry, countRows(db, text(name)));
    return entry;
  });
  return { database, tables, truncated: found.length > MAX_TABLES, rowCountLimit: ROW_COUNT_LIMIT };
}

/** Counts at most ROW_COUNT_LIMIT rows; nothing when the table cannot be counted. */
function countRows(db: Database, name: string): { rowCount?: number; rowCountCapped?: boolean } {
  if (name.includes('\0')) return {};
  try {
    const [row] = all(db, `SELECT count(*) FROM (SELECT 1 FROM main.${quoteIdentifier(name)} LIMIT ?)`, [ROW_COUNT_LIMIT + 1]);
    const count = row?.[0];
    if (typeof count !== 'number') return {};
    return count > ROW_COUNT_LIMIT ? { rowCount: ROW_COUNT_LIMIT, rowCountCapped: true } : { rowCount: count, rowCountCapped: false };
  } catch {
    return {}; // a table SQLite cannot scan (a corrupt page, say) is listed without a count
  }
}

const FIND_SQL =
  "SELECT type, name, sql FROM sqlite_schema WHERE type IN ('table', 'view') AND name = ?1 COLLATE NOCASE ORDER BY name = ?1 DESC LIMIT 1";

export function describeTable(db: Database, database: string, table: string): JsonObject {
  const [found] = all(db, FIND_SQL, [table]);
  if (found === undefined) throw new ToolError(notFoundMessage(db, database, table));
  const [type, nameValue, sql] = found;
  const name = text(nameValue);
  const columns = all(db, 'SELECT name, type, "notnull", dflt_value, pk, hidden FROM pragma_table_xinfo(?) ORDER BY cid', [name])
    .filter(([, , , , , hidden]) => hidden !== 1)
    .map(([columnName, columnType, notNull, dflt, pk, hidden]) => {
      const column: JsonObject = { name: text(columnName), type: text(columnType), notNull: notNull === 1, default: nullableText(dflt), primaryKey: Number(pk ?? 0) };
      if (hidden === 2 || hidden === 3) column['generated'] = true;
      return column;
    });
  const primaryKey = columns
    .filter((c) => Number(c['primaryKey']) > 0)
    .sort((a, b) => Number(a['primaryKey']) - Number(b['primaryKey']))
    .map((c) => c['name']);
  return {
    database,
    name,
    type: tableType(type, sql),
    columns,
    primaryKey,
    indexes: indexesOf(db, name),
    foreignKeys: foreignKeysOf(db, name),
    sql: nullableText(sql),
  };
}

function indexesOf(db: Database, table: string): JsonObject[] {
  return all(db, 'SELECT name, "unique", origin, partial FROM pragma_index_list(?) ORDER BY name', [table]).map(([name, unique, origin, partial]) => ({
    name: text(name),
    unique: unique === 1,
    origin: text(origin),
    partial: partial === 1,
    columns: all(db, 'SELECT name, "desc" FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno', [text(name)]).map(
      ([column, desc]) => `${typeof column === 'string' ? column : '(expression)'}${desc === 1 ? ' DESC' : ''}`,
    ),
  }));
}

function foreignKeysOf(db: Database, table: string): JsonObject[] {
  const keys = new Map<number, { table: string; columns: string[]; toColumns: (string | null)[]; onUpdate: string; onDelete: string }>();
  const rows = all(db, 'SELECT id, "table", "from", "to", on_update, on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq', [table]);
  for (const [id, target, from, to, onUpdate, onDelete] of rows) {
    const key = Number(id);
    const entry = keys.get(key) ?? { table: text(target), columns: [], toColumns: [], onUpdate: text(onUpdate), onDelete: text(onDelete) };
    entry.columns.push(text(from));
    entry.toColumns.push(nullableText(to));
    keys.set(key, entry);
  }
  return [...keys.values()].map((k) => ({ ...k }));
}

function notFoundMessage(db: Database, database: string, table: string): string {
  const names = all(db, TABLES_SQL, [51]).map(([name]) => text(name));
  const shown = JSON.stringify(table.length > 80 ? `${table.slice(0, 80)}…` : table);
  if (names.length === 0) return `No table or view named ${shown}: ${database} has no tables or views.`;
  const list = names.length > 50 ? `${names.slice(0, 50).join(', ')}, …` : names.join(', ');
  return `No table or view named ${shown} in ${database}. Its tables and views: ${list}. Call list_tables for details.`;
}
