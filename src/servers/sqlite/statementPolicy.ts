/**
 * Which statements `query` may run, decided from the statement's leading keywords before SQLite
 * ever sees the text. Deny by default: SELECT, WITH, VALUES, EXPLAIN of one of those, and a short
 * list of PRAGMAs that only read. Everything else is refused with a reason.
 *
 * This runs BEFORE the statement is prepared because preparing is not harmless in SQLite: a flag
 * PRAGMA such as `query_only = OFF` or `writable_schema = ON` takes effect while it is compiled,
 * and `hard_heap_limit` changes the whole SQLite instance. The prepared statement is checked again
 * afterwards (see singleStatement.ts); SQLite's own `PRAGMA query_only` is the last word on writes.
 */
import { identifierValue, tokenize, type Token } from './sqlLexer';

export type StatementKind = 'select' | 'pragma' | 'explain';

export type Verdict = { readonly kind: 'allowed'; readonly statement: StatementKind } | { readonly kind: 'refused'; readonly message: string };

/** PRAGMAs that read about one table or index, named by their argument. */
const TABLE_PRAGMAS = new Set(['table_info', 'table_xinfo', 'index_list', 'index_info', 'index_xinfo', 'foreign_key_list']);
/** PRAGMAs that check and report; their optional argument names a table or a limit. */
const CHECK_PRAGMAS = new Set(['integrity_check', 'quick_check', 'foreign_key_check', 'table_list']);
/** PRAGMAs that are read-only without an argument and change the database with `= value`. */
const VALUE_PRAGMAS = new Set(['user_version', 'schema_version', 'application_id', 'page_count', 'page_size', 'freelist_count', 'encoding']);
/** PRAGMAs that list what the SQLite build offers. */
const LIST_PRAGMAS = new Set(['collation_list', 'compile_options', 'function_list', 'module_list', 'pragma_list']);

export const ALLOWED_PRAGMAS: readonly string[] = [...TABLE_PRAGMAS, ...CHECK_PRAGMAS, ...VALUE_PRAGMAS, ...LIST_PRAGMAS];

const WRITES = new Set(['INSERT', 'UPDATE', 'DELETE', 'REPLACE', 'UPSERT']);
const SCHEMA_CHANGES = new Set(['CREATE', 'DROP', 'ALTER', 'REINDEX', 'ANALYZE']);
const TRANSACTIONS = new Set(['BEGIN', 'COMMIT', 'END', 'ROLLBACK', 'SAVEPOINT', 'RELEASE']);
const ONLY_READS = 'This server only reads: query runs one SELECT (or WITH, VALUES, EXPLAIN, or a read-only PRAGMA) statement.';

/** Classifies the first statement of `sql` (leading semicolons are skipped, as SQLite does). */
export function classifyStatement(sql: string): Verdict {
  const tokens = tokenize(sql);
  let at = 0;
  while (tokens[at]?.kind === 'semicolon') at += 1;
  return classifyFrom(tokens, at, false);
}

function classifyFrom(tokens: readonly Token[], at: number, insideExplain: boolean): Verdict {
  const first = tokens[at];
  if (first === undefined) {
    return refused(insideExplain ? 'EXPLAIN must be followed by a statement.' : 'The SQL holds no statement, only comments or whitespace.');
  }
  const keyword = first.kind === 'word' ? first.text.toUpperCase() : '';
  switch (keyword) {
    case 'SELECT':
    case 'WITH':
    case 'VALUES':
      return { kind: 'allowed', statement: insideExplain ? 'explain' : 'select' };
    case 'PRAGMA': {
      const verdict = classifyPragma(tokens, at + 1);
      return verdict.kind === 'allowed' && insideExplain ? { kind: 'allowed', statement: 'explain' } : verdict;
    }
    case 'EXPLAIN': {
      if (insideExplain) return refused('EXPLAIN cannot be nested.');
      const next = tokens[at + 1];
      const skip = next?.kind === 'word' && next.text.toUpperCase() === 'QUERY' ? 3 : 1;
      return classifyFrom(tokens, at + skip, true);
    }
    default:
      return refused(refusalFor(keyword, first));
  }
}

function refusalFor(keyword: string, first: Token): string {
  if (WRITES.has(keyword)) return `${keyword} statements are refused: this server never changes a database. ${ONLY_READS}`;
  if (SCHEMA_CHANGES.has(keyword)) return `${keyword} statements are refused: this server never changes a database or its schema. ${ONLY_READS}`;
  if (keyword === 'ATTACH' || keyword === 'DETACH') {
    return `${keyword} is refused: query reads only the database named by its database argument (call list_databases for the others).`;
  }
  if (keyword === 'VACUUM') return `VACUUM is refused: it rewrites the database. ${ONLY_READS}`;
  if (TRANSACTIONS.has(keyword)) return `${keyword} is refused: each query runs on its own, outside any transaction you control. ${ONLY_READS}`;
  const shown = first.text.length > 40 ? `${first.text.slice(0, 40)}…` : first.text;
  return `A statement starting with ${JSON.stringify(shown)} is refused. ${ONLY_READS}`;
}

/** `PRAGMA [schema.]name [(argument) | = argument]`, with `name` on the allow-list. */
function classifyPragma(tokens: readonly Token[], at: number): Verdict {
  let nameAt = at;
  if (tokens[at + 1]?.text === '.') nameAt = at + 2;
  const nameToken = tokens[nameAt];
  if (nameToken === undefined || !['word', 'quoted', 'string'].includes(nameToken.kind)) {
    return refused(`PRAGMA must be followed by a pragma name; allowed: ${ALLOWED_PRAGMAS.join(', ')}.`);
  }
  const name = identifierValue(nameToken).toLowerCase();
  const after = tokens[nameAt + 1];
  const hasArgument = after !== undefined && after.kind !== 'semicolon';
  const allowedList = `Allowed PRAGMAs: ${ALLOWED_PRAGMAS.join(', ')}; use describe_table for a table's structure.`;
  if (TABLE_PRAGMAS.has(name)) {
    return hasArgument ? allowed('pragma') : refused(`PRAGMA ${name} needs a table or index name, as in PRAGMA ${name}('name').`);
  }
  if (CHECK_PRAGMAS.has(name)) return allowed('pragma');
  if (VALUE_PRAGMAS.has(name) || LIST_PRAGMAS.has(name)) {
    if (!hasArgument) return allowed('pragma');
    return refused(`PRAGMA ${name} with a value is refused: that form changes the database. Read it with PRAGMA ${name} alone.`);
  }
  return refused(`PRAGMA ${name} is refused: it may change the database or the connection. ${allowedList}`);
}

function allowed(statement: StatementKind): Verdict {
  return { kind: 'allowed', statement };
}

function refused(message: string): Verdict {
  return { kind: 'refused', message };
}
