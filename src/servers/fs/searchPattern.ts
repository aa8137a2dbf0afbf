/**
 * Turns a search query into a line matcher that cannot run away.
 *
 * JavaScript's regular expressions backtrack: `(a+)+b` against thirty `a`s takes seconds, and a
 * little longer input takes years. A time check between lines cannot interrupt one `test` call, so
 * a regex query runs on V8's linear-time engine instead (the `l` flag, enabled in this process with
 * `--enable-experimental-regexp-engine`): matching then costs O(pattern x line) whatever the
 * pattern. That engine refuses backreferences and lookaround, so such queries are refused with a
 * message saying so, and it has no case-insensitive mode, so `ignoreCase` lower-cases the line and
 * the pattern's literal characters (escapes such as `\W` keep their case and meaning).
 *
 * Where the engine is missing (a V8 that dropped the flag), queries run on the ordinary engine with
 * `--enable-experimental-regexp-engine-on-excessive-backtracks`, which hands a runaway match to the
 * linear engine when it can; the search's time budget, checked between files and lines, bounds the
 * rest. `engine` in the answer says which one ran.
 */
import * as v8 from 'node:v8';
import { ToolError } from '../shared/toolResult';

export const MAX_QUERY_CHARS = 1000;

export type RegexEngine = 'linear' | 'backtracking' | 'none';

export interface LineMatcher {
  readonly engine: RegexEngine;
  matches(line: string): boolean;
}

export interface QueryOptions {
  readonly regex: boolean;
  readonly ignoreCase: boolean;
}

let linearEngine: boolean | undefined;

/** Enables V8's linear-time engine once per process; true when the `l` flag then works. */
export function enableLinearRegExp(): boolean {
  if (linearEngine === undefined) {
    v8.setFlagsFromString('--enable-experimental-regexp-engine');
    v8.setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
    linearEngine = compiles('a', 'l');
  }
  return linearEngine;
}

export function compileQuery(query: string, options: QueryOptions): LineMatcher {
  if (query.length > MAX_QUERY_CHARS) {
    throw new ToolError(`The query is ${query.length} characters long; the limit is ${MAX_QUERY_CHARS}.`);
  }
  if (!options.regex) {
    if (!options.ignoreCase) return { engine: 'none', matches: (line) => line.includes(query) };
    const lower = query.toLowerCase();
    return { engine: 'none', matches: (line) => line.toLowerCase().includes(lower) };
  }
  const source = options.ignoreCase ? lowerCaseLiterals(query) : query;
  const plainError = syntaxError(source, '');
  if (plainError !== undefined) throw new ToolError(`Invalid regular expression ${JSON.stringify(query)}: ${plainError}`);
  let regex: RegExp;
  let engine: RegexEngine;
  if (enableLinearRegExp()) {
    if (!compiles(source, 'l')) {
      throw new ToolError(
        `The regular expression ${JSON.stringify(query)} uses a backreference or a lookaround (such as \\1 or (?=...)), which can take exponential time; ` +
          'search runs only patterns it can match in linear time. Rewrite it without them, or search for plain text with regex: false.',
      );
    }
    regex = new RegExp(source, 'l');
    engine = 'linear';
  } else {
    regex = new RegExp(source);
    engine = 'backtracking';
  }
  const matches = options.ignoreCase ? (line: string) => regex.test(line.toLowerCase()) : (line: string) => regex.test(line);
  return { engine, matches };
}

/**
 * Lower-cases the literal characters of a pattern and leaves every escape as it is, so the pattern
 * matches a lower-cased line as the original would with the `i` flag (`[A-Z]` becomes `[a-z]`,
 * `\W` stays `\W`).
 */
export function lowerCaseLiterals(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i] ?? '';
    if (c === '\\') {
      out += c + (pattern[i + 1] ?? '');
      i += 1;
    } else {
      out += c.toLowerCase();
    }
  }
  return out;
}

function compiles(source: string, flags: string): boolean {
  return syntaxError(source, flags) === undefined;
}

function syntaxError(source: string, flags: string): string | undefined {
  try {
    new RegExp(source, flags);
    return undefined;
  } catch (error) {
    if (error instanceof SyntaxError) return error.message;
    throw error;
  }
}
