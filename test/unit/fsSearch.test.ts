import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CallToolResult } from '../../src/core/protocol/types';
import type { RegisteredTool, ToolContext } from '../../src/servers/shared/toolDefinition';
import { createJail, type Jail } from '../../src/servers/fs/jail';
import { MAX_QUERY_CHARS, compileQuery, lowerCaseLiterals } from '../../src/servers/fs/searchPattern';
import { DEFAULT_SEARCH_BUDGET, searchTool } from '../../src/servers/fs/tools/search';
import { searchFiles } from '../../src/servers/fs/tools/searchFiles';
import { DEFAULT_WALK_LIMITS, walk, type WalkSummary } from '../../src/servers/fs/walk';

const context: ToolContext = { signal: new AbortController().signal, progress: () => undefined };

let tmp = '';
let ws = '';
let jail: Jail;

async function call(tool: RegisteredTool, args: Record<string, unknown>): Promise<CallToolResult> {
  const invocation = tool.invoke(args, context);
  assert.equal(invocation.kind, 'started', invocation.kind === 'invalid-arguments' ? invocation.message : '');
  return invocation.kind === 'started' ? invocation.result : { content: [] };
}

async function search(args: Record<string, unknown>, tool: RegisteredTool = searchTool(jail)): Promise<Record<string, unknown>> {
  const result = await call(tool, args);
  assert.ok(result.structuredContent);
  return result.structuredContent;
}

function where(structured: Record<string, unknown>): string[] {
  const matches = structured['matches'];
  assert.ok(Array.isArray(matches));
  return matches.map((m: { path: string; line: number }) => `${m.path}:${m.line}`);
}

function mkfile(relative: string, content: string | Buffer): void {
  const file = path.join(ws, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

before(() => {
  tmp = fs.realpathSync.native(fs.mkdtempSync(path.join(os.tmpdir(), 'warden-search-')));
  ws = path.join(tmp, 'ws');
  mkfile('src/app.ts', 'import x from "y";\n// TODO: tidy\nconst Value = 1;\nexport default Value;\n');
  mkfile('src/util.js', 'function todo() {}\r\nmodule.exports = todo;\r\n');
  mkfile('docs/notes.md', ['one', 'two', 'three', 'TODO four', 'five', 'six', 'seven'].join('\n'));
  mkfile('node_modules/dep/index.js', '// TODO in a dependency\n');
  mkfile('.env', 'TODO=secret\n');
  mkfile('img.png', Buffer.concat([Buffer.from('TODO'), Buffer.from([0, 1, 2])]));
  mkfile('long.txt', `${'x'.repeat(1000)} TODO ${'y'.repeat(1000)}\n`);
  mkfile('evil.txt', `${'a'.repeat(5000)}\n`);
  jail = createJail([ws]);
});

after(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('search: matching', () => {
  it('finds plain text with context, skipping binary, secret and excluded files', async () => {
    const found = await search({ query: 'TODO' });
    assert.deepEqual(where(found), ['docs/notes.md:4', 'long.txt:1', 'src/app.ts:2']);
    const matches = found['matches'];
    assert.ok(Array.isArray(matches));
    assert.deepEqual(matches[0], { path: 'docs/notes.md', line: 4, text: 'TODO four', before: ['two', 'three'], after: ['five', 'six'] });
    assert.deepEqual(matches[2], { path: 'src/app.ts', line: 2, text: '// TODO: tidy', before: ['import x from "y";'], after: ['const Value = 1;', 'export default Value;'] });
    assert.deepEqual(found['skipped'], { binary: 1, tooLarge: 0, unreadable: 0, secret: 1 });
    assert.equal(found['truncated'], false);
    assert.equal(found['engine'], 'none');
  });

  it('cuts long lines in the answer, but matches them whole', async () => {
    const found = await search({ query: 'TODO', include: 'long.txt', contextLines: 0 });
    const matches = found['matches'];
    assert.ok(Array.isArray(matches));
    assert.equal(matches[0].text, `${'x'.repeat(DEFAULT_SEARCH_BUDGET.maxLineChars)}…`);
  });

  it('ignores case, strips CR, and honours include, exclude and contextLines', async () => {
    const found = await search({ query: 'todo', ignoreCase: true, include: 'src/**', contextLines: 0 });
    assert.deepEqual(where(found), ['src/app.ts:2', 'src/util.js:1', 'src/util.js:2']);
    const matches = found['matches'];
    assert.ok(Array.isArray(matches));
    assert.deepEqual(matches[2], { path: 'src/util.js', line: 2, text: 'module.exports = todo;', before: [], after: [] });
    assert.deepEqual(where(await search({ query: 'TODO', exclude: [] })), ['docs/notes.md:4', 'long.txt:1', 'node_modules/dep/index.js:1', 'src/app.ts:2']);
    assert.deepEqual(where(await search({ query: 'TODO', path: 'src' })), ['src/app.ts:2']);
  });

  it('runs regular expressions on the linear engine, case-insensitively too', async () => {
    const found = await search({ query: '^const \\w+ = \\d', regex: true });
    assert.deepEqual(where(found), ['src/app.ts:3']);
    assert.equal(found['engine'], 'linear');
    assert.deepEqual(where(await search({ query: 'VALUE\\W', regex: true, ignoreCase: true })), ['src/app.ts:3', 'src/app.ts:4']);
    assert.deepEqual(where(await search({ query: '[A-Z]ODO:', regex: true })), ['src/app.ts:2']);
  });

  it('answers a catastrophic pattern at once: no backtracking', async () => {
    const found = await search({ query: '(a+)+b', regex: true, include: 'evil.txt' });
    assert.deepEqual(where(found), []);
    assert.equal(found['engine'], 'linear');
    assert.equal(compileQuery('(a|aa)*c', { regex: true, ignoreCase: true }).matches('A'.repeat(10_000)), false);
  });

  it('says nothing matched in the text', async () => {
    const result = await call(searchTool(jail), { query: 'no such text anywhere' });
    assert.equal(result.content[0]?.type === 'text' ? result.content[0].text : '', 'No matches (5 files searched).');
  });
});

describe('search: refusals', () => {
  it('refuses backreferences and lookaround, bad syntax, and over-long queries', () => {
    assert.throws(() => compileQuery('(a)\\1', { regex: true, ignoreCase: false }), { name: 'ToolError', message: /uses a backreference or a lookaround/ });
    assert.throws(() => compileQuery('a(?=b)', { regex: true, ignoreCase: false }), { name: 'ToolError', message: /uses a backreference or a lookaround/ });
    assert.throws(() => compileQuery('(?<!x)y', { regex: true, ignoreCase: true }), { name: 'ToolError', message: /uses a backreference or a lookaround/ });
    assert.throws(() => compileQuery('(unclosed', { regex: true, ignoreCase: false }), {
      name: 'ToolError',
      message: 'Invalid regular expression "(unclosed": Invalid regular expression: /(unclosed/: Unterminated group',
    });
    assert.throws(() => compileQuery('x'.repeat(MAX_QUERY_CHARS + 1), { regex: false, ignoreCase: false }), {
      name: 'ToolError',
      message: `The query is ${MAX_QUERY_CHARS + 1} characters long; the limit is ${MAX_QUERY_CHARS}.`,
    });
  });

  it('lower-cases literals and keeps escapes', () => {
    assert.equal(lowerCaseLiterals('Foo\\W[A-Z]\\S\\u004A'), 'foo\\W[a-z]\\S\\u004a');
  });

  it('rejects arguments outside the schema', () => {
    const tool = searchTool(jail);
    assert.equal(tool.invoke({ query: 'x', contextLines: 11 }, context).kind, 'invalid-arguments');
    assert.equal(tool.invoke({ query: 'x', maxResults: 0 }, context).kind, 'invalid-arguments');
    assert.equal(tool.invoke({ query: '' }, context).kind, 'invalid-arguments');
  });
});

describe('search: bounds', () => {
  it('stops at maxResults and says there are more', async () => {
    const found = await search({ query: 'o', maxResults: 2, contextLines: 0 });
    assert.equal((found['matches'] as unknown[]).length, 2);
    assert.equal(found['truncated'], true);
    assert.equal(found['note'], 'Stopped at 2 matches; there are more. Narrow path, include or query to search the rest. Or raise maxResults.');
  });

  it('skips files over the size cap and stops at the total byte cap', async () => {
    const small = searchTool(jail, { ...DEFAULT_SEARCH_BUDGET, maxFileBytes: 100 });
    const skipped = await search({ query: 'TODO' }, small);
    assert.deepEqual(where(skipped), ['docs/notes.md:4', 'src/app.ts:2']);
    assert.equal((skipped['skipped'] as { tooLarge: number }).tooLarge, 2);
    const capped = await search({ query: 'TODO' }, searchTool(jail, { ...DEFAULT_SEARCH_BUDGET, maxTotalBytes: 200 }));
    assert.equal(capped['truncated'], true);
    assert.equal(capped['note'], 'Stopped after reading 200 bytes, the most one search reads. Narrow path, include or query to search the rest.');
    assert.ok((capped['bytesSearched'] as number) <= 200);
  });

  it('stops when the time budget runs out (a clock the test drives)', async () => {
    const summary: WalkSummary = { directoriesVisited: 0, entriesSeen: 0, skippedSecret: 0 };
    const start = jail.resolve('.');
    let clock = 0;
    const files = walk({ jail, start, exclude: [], limits: DEFAULT_WALK_LIMITS, signal: context.signal }, summary);
    const outcome = await searchFiles(jail, files, summary, {
      matcher: compileQuery('TODO', { regex: false, ignoreCase: false }),
      include: undefined,
      maxResults: 100,
      contextLines: 0,
      budget: { ...DEFAULT_SEARCH_BUDGET, timeBudgetMs: 1500 },
      limits: DEFAULT_WALK_LIMITS,
      signal: context.signal,
      now: () => (clock += 1000), // each look at the clock costs a second
    });
    assert.equal(outcome.truncated, true);
    assert.equal(outcome.filesSearched, 1);
    assert.match(outcome.note ?? '', /^Stopped when the time budget of 1\.5 s ran out, in or after "docs\/notes\.md"\./);
  });
});
