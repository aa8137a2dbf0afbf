/**
 * SQLite's own error messages, passed on with a hint about what to do next. sql.js throws an
 * `Error` carrying sqlite3_errmsg() for SQLite failures and a bare string for a few misuses.
 */
import { ToolError } from '../../shared/toolResult';

const HINTS: ReadonlyArray<readonly [RegExp, (database: string) => string]> = [
  [/not a database|malformed|corrupt/i, (db) => `${db} is not a valid SQLite database or is damaged; check it with the sqlite3 tool.`],
  [/no such table/i, (db) => `Call list_tables to see the tables and views of ${db}.`],
  [/no such column/i, () => 'Call describe_table to see the columns of the table.'],
  [/ambiguous column/i, () => 'Qualify the column with its table name or alias.'],
  [/no such function/i, () => 'This SQLite (sql.js) has the core, date, JSON and math functions and no loadable extensions.'],
  [/readonly|read-only/i, () => 'This server only reads; send a statement that does not write.'],
  [/syntax error|incomplete input|unrecognized token|unterminated/i, () => 'Check the SQL: it must be valid in SQLite\'s dialect.'],
  [/out of memory|too big|too many/i, () => 'Narrow the query (add WHERE or LIMIT, select fewer columns).'],
];

export function sqliteMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : String(error);
}

/** A `ToolError` with SQLite's message and a hint. */
export function sqliteError(error: unknown, database: string): ToolError {
  if (error instanceof ToolError) return error;
  const message = sqliteMessage(error);
  const hint = HINTS.find(([pattern]) => pattern.test(message))?.[1](database) ?? 'Fix the statement and try again.';
  return new ToolError(`SQLite error: ${message}. ${hint}`);
}
