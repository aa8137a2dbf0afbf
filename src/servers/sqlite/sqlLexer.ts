/**
 * A tokenizer for SQLite's SQL, following the rules of SQLite's own (tokenize.c): what counts as
 * whitespace and comments, how strings, quoted identifiers and parameters are delimited. It never
 * decides where a statement ends (SQLite does that when it prepares one); it answers what a
 * statement starts with, whether a piece of text holds nothing but comments, whitespace and
 * semicolons, and which parameters a statement names.
 */

export type TokenKind =
  | 'word' // a keyword or an unquoted identifier
  | 'quoted' // an identifier in "double quotes", `backticks` or [brackets]
  | 'string' // a 'string literal'
  | 'blob' // x'hex'
  | 'number'
  | 'parameter' // ?, ?NNN, :name, @name, $name, #name
  | 'semicolon'
  | 'punct'; // an operator, a parenthesis, a comma, or a character SQLite would reject

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  /** Offset of the first character in the input. */
  readonly start: number;
  /** False for a string or quoted identifier whose closing quote is missing. */
  readonly terminated: boolean;
}

/** SQLite's whitespace: space, tab, line feed, vertical tab, form feed, carriage return. */
function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** A character that may continue an identifier: letters, digits, `_`, `$`, and anything non-ASCII. */
export function isIdChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || isDigit(c) || c === 0x5f || c === 0x24 || c >= 0x80;
}

function isIdStart(c: number): boolean {
  return isIdChar(c) && !isDigit(c) && c !== 0x24;
}

/** The significant tokens of `sql`; whitespace and comments are skipped. */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const end = skipTrivia(sql, i);
    if (end >= sql.length) break;
    const token = readToken(sql, end);
    tokens.push(token);
    i = end + Math.max(token.text.length, 1);
  }
  return tokens;
}

/** True when `sql` holds only whitespace, comments and semicolons (no statement). */
export function isOnlyTrivia(sql: string): boolean {
  return tokenize(sql).every((t) => t.kind === 'semicolon');
}

/** The offset of the first character that is neither whitespace nor part of a comment. */
export function skipTrivia(sql: string, from: number): number {
  let i = from;
  while (i < sql.length) {
    const c = sql.charCodeAt(i);
    if (isSpace(c)) {
      i += 1;
    } else if (c === 0x2d && sql.charCodeAt(i + 1) === 0x2d) {
      const newline = sql.indexOf('\n', i + 2);
      i = newline === -1 ? sql.length : newline + 1;
    } else if (c === 0x2f && sql.charCodeAt(i + 1) === 0x2a) {
      const close = sql.indexOf('*/', i + 2);
      i = close === -1 ? sql.length : close + 2; // SQLite ends an open comment at the end of input
    } else {
      break;
    }
  }
  return i;
}

function readToken(sql: string, start: number): Token {
  const c = sql.charCodeAt(start);
  const make = (kind: TokenKind, end: number, terminated = true): Token => ({ kind, text: sql.slice(start, end), start, terminated });
  if (c === 0x3b) return make('semicolon', start + 1);
  if (c === 0x27) return quotedRun(sql, start, "'", 'string');
  if (c === 0x22) return quotedRun(sql, start, '"', 'quoted');
  if (c === 0x60) return quotedRun(sql, start, '`', 'quoted');
  if (c === 0x5b) {
    const close = sql.indexOf(']', start + 1);
    return close === -1 ? make('quoted', sql.length, false) : make('quoted', close + 1);
  }
  if ((c === 0x78 || c === 0x58) && sql.charCodeAt(start + 1) === 0x27) {
    const body = quotedRun(sql, start + 1, "'", 'blob');
    return { ...body, text: sql.slice(start, start + 1 + body.text.length), start };
  }
  if (c === 0x3f) return make('parameter', runWhile(sql, start + 1, isDigit));
  if (c === 0x3a || c === 0x40 || c === 0x24 || c === 0x23) {
    const end = runWhile(sql, start + 1, isIdChar);
    return end > start + 1 ? make('parameter', end) : make('punct', start + 1);
  }
  if (isDigit(c) || (c === 0x2e && isDigit(sql.charCodeAt(start + 1)))) return make('number', numberEnd(sql, start));
  if (isIdStart(c)) return make('word', runWhile(sql, start + 1, isIdChar));
  return make('punct', start + 1);
}

/** A run quoted with `quote`, where a doubled quote stands for one. */
function quotedRun(sql: string, start: number, quote: string, kind: TokenKind): Token {
  let i = start + 1;
  for (;;) {
    const close = sql.indexOf(quote, i);
    if (close === -1) return { kind, text: sql.slice(start), start, terminated: false };
    if (sql[close + 1] === quote) {
      i = close + 2;
      continue;
    }
    return { kind, text: sql.slice(start, close + 1), start, terminated: true };
  }
}

function runWhile(sql: string, from: number, test: (c: number) => boolean): number {
  let i = from;
  while (i < sql.length && test(sql.charCodeAt(i))) i += 1;
  return i;
}

/** Digits, a fraction, an exponent, hex, and SQLite's `_` separators; glued letters go along. */
function numberEnd(sql: string, start: number): number {
  let i = start;
  if (sql[i] === '0' && (sql[i + 1] === 'x' || sql[i + 1] === 'X')) return runWhile(sql, i + 2, isIdChar);
  i = runWhile(sql, i, (c) => isDigit(c) || c === 0x5f);
  if (sql[i] === '.') i = runWhile(sql, i + 1, (c) => isDigit(c) || c === 0x5f);
  if ((sql[i] === 'e' || sql[i] === 'E') && /[0-9]|[+-][0-9]/.test(sql.slice(i + 1, i + 3))) {
    i = runWhile(sql, i + 2, isDigit);
  }
  return runWhile(sql, i, isIdChar); // "12abc" is one (illegal) token for SQLite too
}

/** The name an identifier token stands for: quotes removed and doubled quotes undone. */
export function identifierValue(token: Token): string {
  if (token.kind === 'word') return token.text;
  const text = token.text;
  if (token.kind === 'quoted' && text.startsWith('[')) return text.slice(1, token.terminated ? -1 : undefined);
  const quote = text[0] ?? '';
  const inner = text.slice(1, token.terminated ? -1 : undefined);
  return inner.split(quote + quote).join(quote);
}

/**
 * `name` as a double-quoted SQLite identifier: the only way a name is ever written into SQL text
 * here (and only names read from sqlite_schema; names from callers are bound as parameters).
 */
export function quoteIdentifier(name: string): string {
  if (name.includes('\0')) throw new Error('An SQLite identifier cannot contain a NUL character.');
  return `"${name.replace(/"/g, '""')}"`;
}
