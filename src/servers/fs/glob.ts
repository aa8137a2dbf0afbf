/**
 * Glob patterns over `/`-separated relative paths: `*` (any run of characters within a name),
 * `**` (any number of whole names, as a name of its own), `?` (one character), `[abc]`, `[a-z]`,
 * `[!a]` or `[^a]`, `{a,b}` (nested allowed) and `\` to take the next character literally.
 * `*` and `?` match a leading dot too: `*` finds `.env` as it finds `env`.
 *
 * Patterns are matched without regular expressions: a name is matched with the classic two-pointer
 * wildcard algorithm (backtracking only to the last `*`), and a path with the same algorithm over
 * names (`**` playing the `*`). That costs O(pattern x input) at worst, so a pattern a language model
 * writes cannot make the server backtrack for minutes, as a glob compiled to a RegExp can.
 */

export const MAX_GLOB_CHARS = 1024;
export const MAX_GLOB_ALTERNATIVES = 256;

/** A pattern that cannot be used; the message says why. */
export class GlobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GlobError';
  }
}

type CharToken =
  | { readonly kind: 'char'; readonly value: string }
  | { readonly kind: 'one' }
  | { readonly kind: 'star' }
  | { readonly kind: 'class'; readonly negated: boolean; readonly ranges: readonly (readonly [string, string])[] };

type NameToken = { readonly kind: 'globstar' } | { readonly kind: 'name'; readonly tokens: readonly CharToken[] };

export interface GlobOptions {
  /** Compare without regard to case (both sides lower-cased). */
  readonly nocase?: boolean;
  /**
   * Match the pattern against any run of whole names in the path, and everything beneath such a
   * run: `.git` then matches `.git`, `a/.git` and `a/.git/config`; `.aws/credentials` matches it
   * at any depth. Used for rules (secret files, exclusions), not for a search pattern.
   */
  readonly anyDepth?: boolean;
}

export interface Glob {
  readonly source: string;
  /** `relative` uses `/` separators and no leading `./`. */
  matches(relative: string): boolean;
  /** The same for a path split once by `splitPath` (with this glob's `nocase`), to test many globs. */
  matchesSplit(path: SplitPath): boolean;
}

/** A relative path as globs compare it: its names, each as its characters. */
export interface SplitPath {
  readonly names: readonly (readonly string[])[];
}

export function splitPath(relative: string, nocase: boolean): SplitPath {
  return { names: splitNames(nocase ? relative.toLowerCase() : relative).map((name) => Array.from(name)) };
}

export function compileGlob(pattern: string, options: GlobOptions = {}): Glob {
  if (pattern.length === 0) throw new GlobError('The glob pattern is empty.');
  if (pattern.length > MAX_GLOB_CHARS) {
    throw new GlobError(`The glob pattern is ${pattern.length} characters long; the limit is ${MAX_GLOB_CHARS}.`);
  }
  if (pattern.includes('\0')) throw new GlobError('The glob pattern contains a NUL byte.');
  const nocase = options.nocase === true;
  const alternatives = expandBraces(nocase ? pattern.toLowerCase() : pattern).map((alternative) => {
    const names = parseNames(alternative);
    return options.anyDepth === true ? [GLOBSTAR, ...names, GLOBSTAR] : names;
  });
  const matchesSplit = (path: SplitPath): boolean => alternatives.some((alternative) => matchSequence(alternative, path.names, isGlobstar, matchName));
  return {
    source: pattern,
    matches: (relative) => matchesSplit(splitPath(relative, nocase)),
    matchesSplit,
  };
}

const GLOBSTAR: NameToken = { kind: 'globstar' };

function isGlobstar(token: NameToken): boolean {
  return token.kind === 'globstar';
}

function splitNames(relative: string): string[] {
  return relative.split('/').filter((name) => name !== '' && name !== '.');
}

/** `a/{b,c{d,e}}/f` -> `a/b/f`, `a/cd/f`, `a/ce/f`. A group without a top-level comma stays literal. */
export function expandBraces(pattern: string): string[] {
  const group = firstGroup(pattern);
  if (group === undefined) return [pattern];
  const prefix = pattern.slice(0, group.open);
  const suffix = pattern.slice(group.close + 1);
  const results: string[] = [];
  for (const option of group.options) {
    for (const expanded of expandBraces(prefix + option + suffix)) {
      results.push(expanded);
      if (results.length > MAX_GLOB_ALTERNATIVES) {
        throw new GlobError(`The glob pattern expands to more than ${MAX_GLOB_ALTERNATIVES} alternatives; use fewer {a,b} groups.`);
      }
    }
  }
  return results;
}

function firstGroup(pattern: string): { open: number; close: number; options: string[] } | undefined {
  for (let open = 0; open < pattern.length; open += 1) {
    if (pattern[open] === '\\') {
      open += 1;
      continue;
    }
    if (pattern[open] !== '{') continue;
    let depth = 0;
    let start = open + 1;
    const options: string[] = [];
    for (let i = open + 1; i < pattern.length; i += 1) {
      const c = pattern[i];
      if (c === '\\') i += 1;
      else if (c === '{') depth += 1;
      else if (c === '}' && depth > 0) depth -= 1;
      else if (c === ',' && depth === 0) {
        options.push(pattern.slice(start, i));
        start = i + 1;
      } else if (c === '}') {
        if (options.length === 0) break; // `{a}`: literal braces
        options.push(pattern.slice(start, i));
        return { open, close: i, options };
      }
    }
  }
  return undefined;
}

function parseNames(pattern: string): NameToken[] {
  let body = pattern;
  while (body.startsWith('./')) body = body.slice(2);
  return splitNames(body).map((name) => (name === '**' ? GLOBSTAR : { kind: 'name', tokens: parseName(name) }));
}

function parseName(name: string): CharToken[] {
  const chars = Array.from(name);
  const tokens: CharToken[] = [];
  for (let i = 0; i < chars.length; i += 1) {
    const c = chars[i] ?? '';
    if (c === '\\' && i + 1 < chars.length) {
      i += 1;
      tokens.push({ kind: 'char', value: chars[i] ?? '' });
    } else if (c === '*') {
      if (tokens.at(-1)?.kind !== 'star') tokens.push({ kind: 'star' });
    } else if (c === '?') {
      tokens.push({ kind: 'one' });
    } else if (c === '[') {
      const parsed = parseClass(chars, i);
      if (parsed === undefined) tokens.push({ kind: 'char', value: '[' });
      else {
        tokens.push(parsed.token);
        i = parsed.end;
      }
    } else {
      tokens.push({ kind: 'char', value: c });
    }
  }
  return tokens;
}

/** Parses `[...]` starting at `open`; undefined when it never closes (then `[` is literal). */
function parseClass(chars: readonly string[], open: number): { token: CharToken; end: number } | undefined {
  let i = open + 1;
  const negated = chars[i] === '!' || chars[i] === '^';
  if (negated) i += 1;
  const ranges: [string, string][] = [];
  for (let first = true; i < chars.length; first = false) {
    let c = chars[i] ?? '';
    if (c === ']' && !first) return { token: { kind: 'class', negated, ranges }, end: i };
    if (c === '\\' && i + 1 < chars.length) c = chars[(i += 1)] ?? '';
    if (chars[i + 1] === '-' && i + 2 < chars.length && chars[i + 2] !== ']') {
      let high = chars[i + 2] ?? '';
      i += 2;
      if (high === '\\' && i + 1 < chars.length) high = chars[(i += 1)] ?? '';
      ranges.push([c, high]);
    } else {
      ranges.push([c, c]);
    }
    i += 1;
  }
  return undefined;
}

function matchChar(token: CharToken, c: string): boolean {
  switch (token.kind) {
    case 'char':
      return token.value === c;
    case 'one':
      return true;
    case 'class': {
      const inside = token.ranges.some(([low, high]) => c >= low && c <= high);
      return inside !== token.negated;
    }
    case 'star':
      return false;
  }
}

function matchName(token: NameToken, name: readonly string[]): boolean {
  if (token.kind === 'globstar') return false;
  return matchSequence(token.tokens, name, (t) => t.kind === 'star', matchChar);
}

/**
 * Wildcard matching with one backtrack point: a star token matches any run of input items, every
 * other token exactly one item. Linear in practice, O(tokens x items) at worst.
 */
function matchSequence<T, I>(tokens: readonly T[], items: readonly I[], isStar: (token: T) => boolean, matchOne: (token: T, item: I) => boolean): boolean {
  let t = 0;
  let i = 0;
  let starToken = -1;
  let starItem = 0;
  for (let item = items[0]; item !== undefined; item = items[i]) {
    const token = tokens[t];
    if (token !== undefined && isStar(token)) {
      starToken = t;
      starItem = i;
      t += 1;
    } else if (token !== undefined && matchOne(token, item)) {
      t += 1;
      i += 1;
    } else if (starToken !== -1) {
      t = starToken + 1;
      starItem += 1;
      i = starItem;
    } else {
      return false;
    }
  }
  for (let token = tokens[t]; token !== undefined && isStar(token); token = tokens[t]) t += 1;
  return t === tokens.length;
}
