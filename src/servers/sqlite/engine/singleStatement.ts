/**
 * Prepares exactly one read-only statement from a query's text, in this order:
 *
 * 1. The text's leading keywords must pass the policy (statementPolicy.ts) before SQLite sees it.
 * 2. SQLite prepares the first statement through sql.js's statement iterator, which leaves the
 *    rest of the text untouched and tells where the statement ended. (`db.prepare` would drop
 *    the rest silently.)
 * 3. The rest must hold only whitespace, comments and semicolons: the tokenizer says so, then
 *    SQLite confirms it by finding no statement there on a separate, empty database, so nothing
 *    in the rest is ever compiled against the real one.
 * 4. SQLite's normalised text of the prepared statement (its comments gone) must pass the policy
 *    again, as the same kind of statement.
 * 5. For SELECT, WITH and VALUES, SQLite's program for the statement (EXPLAIN) must open no
 *    write transaction and contain no schema, journal or vacuum operation: the signal
 *    sqlite3_stmt_readonly() would give, which sql.js does not export.
 *
 * Running it is guarded by `PRAGMA query_only = ON`, checked again after each statement.
 */
import type { Database, Statement } from 'sql.js';
import { ToolError } from '../../shared/toolResult';
import { isOnlyTrivia, tokenize } from '../sqlLexer';
import { classifyStatement, type StatementKind } from '../statementPolicy';
import { sqliteError, sqliteMessage } from './sqliteErrors';

export interface PreparedStatement {
  readonly statement: Statement;
  readonly kind: StatementKind;
  /** The statement's own text. */
  readonly text: string;
  /** Frees the statement. */
  release(): void;
}

/** Opcodes of a program that writes, or changes the schema, the journal or the transaction state. */
const WRITING_OPCODES = new Set([
  'OpenWrite', 'Vacuum', 'IncrVacuum', 'JournalMode', 'Checkpoint', 'SetCookie', 'CreateBtree', 'Destroy', 'Clear',
  'ParseSchema', 'DropTable', 'DropIndex', 'DropTrigger', 'VCreate', 'VDestroy', 'VUpdate', 'AutoCommit', 'Savepoint', 'Expire',
]);

export function prepareOneStatement(db: Database, scratch: Database, sql: string, database: string): PreparedStatement {
  if (sql.includes('\0')) throw new ToolError('The SQL contains a NUL character (U+0000); remove it.');
  const verdict = classifyStatement(sql);
  if (verdict.kind === 'refused') throw new ToolError(verdict.message);
  const iterator = db.iterateStatements(sql);
  let first: IteratorResult<Statement>;
  try {
    first = iterator.next();
  } catch (error) {
    iterator.return();
    throw sqliteError(error, database);
  }
  if (first.done === true) throw new ToolError('The SQL holds no statement, only comments or whitespace.');
  const statement = first.value;
  try {
    checkNothingFollows(iterator.getRemainingSQL(), scratch);
    const text = statement.getSQL();
    checkCompiledText(statement, verdict.statement);
    if (verdict.statement === 'select') checkProgram(db, text, database);
    return { statement, kind: verdict.statement, text, release: () => void iterator.return() };
  } catch (error) {
    iterator.return();
    throw error;
  }
}

function checkNothingFollows(rest: string, scratch: Database): void {
  const refusal = (): ToolError => {
    const shown = rest.trim().replace(/\s+/g, ' ');
    const cut = shown.length > 60 ? `${shown.slice(0, 60)}…` : shown;
    return new ToolError(
      `query runs exactly one statement, but more follows the first: ${JSON.stringify(cut)}. Send each statement in its own call.`,
    );
  };
  if (!isOnlyTrivia(rest)) throw refusal();
  const iterator = scratch.iterateStatements(rest);
  try {
    if (iterator.next().done !== true) throw refusal();
  } catch (error) {
    throw error instanceof ToolError ? error : refusal();
  } finally {
    iterator.return();
  }
}

function checkCompiledText(statement: Statement, expected: StatementKind): void {
  const normalized = statement.getNormalizedSQL();
  if (normalized === null) throw new ToolError('SQLite could not show the compiled statement, so it cannot be checked; it is refused.');
  const verdict = classifyStatement(normalized);
  if (verdict.kind === 'refused') throw new ToolError(verdict.message);
  if (verdict.statement !== expected) {
    throw new ToolError(`The statement compiles as ${verdict.statement.toUpperCase()}, not as it reads (${expected.toUpperCase()}); it is refused.`);
  }
}

function checkProgram(db: Database, text: string, database: string): void {
  const start = tokenize(text).find((t) => t.kind !== 'semicolon')?.start ?? 0;
  let explain: Statement;
  try {
    explain = db.prepare(`EXPLAIN ${text.slice(start)}`);
  } catch (error) {
    throw new ToolError(`The statement's program could not be checked (${sqliteMessage(error)}), so it is refused.`);
  }
  try {
    while (explain.step()) {
      const [, opcode, , p2] = explain.get();
      if (typeof opcode !== 'string') continue;
      if ((opcode === 'Transaction' && p2 !== 0) || WRITING_OPCODES.has(opcode)) {
        throw new ToolError(`The statement would write to ${database} (its program has ${opcode}); this server only reads.`);
      }
    }
  } catch (error) {
    throw sqliteError(error, database);
  } finally {
    explain.free();
  }
}
