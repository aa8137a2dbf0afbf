import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CallToolResult } from '../../src/core/protocol/types';
import type { RegisteredTool, ToolContext } from '../../src/servers/shared/toolDefinition';
import { createJail, type Jail } from '../../src/servers/fs/jail';
import { findTool } from '../../src/servers/fs/tools/find';
import { statTool } from '../../src/servers/fs/tools/stat';

const context: ToolContext = { signal: new AbortController().signal, progress: () => undefined };
const skipOnWindows = { skip: process.platform === 'win32' ? 'symbolic links need privileges on Windows' : false };

let tmp = '';
let ws = '';
let jail: Jail;

async function call(tool: RegisteredTool, args: Record<string, unknown>, ctx: ToolContext = context): Promise<CallToolResult> {
  const invocation = tool.invoke(args, ctx);
  assert.equal(invocation.kind, 'started', invocation.kind === 'invalid-arguments' ? invocation.message : '');
  return invocation.kind === 'started' ? invocation.result : { content: [] };
}

async function paths(args: Record<string, unknown>, tool: RegisteredTool = findTool(jail)): Promise<string[]> {
  const result = await call(tool, args);
  const entries = result.structuredContent?.['entries'];
  assert.ok(Array.isArray(entries));
  return entries.map((e: { path: string }) => e.path);
}

function mkfile(relative: string, text = 'x'): void {
  const file = path.join(ws, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

before(() => {
  tmp = fs.realpathSync.native(fs.mkdtempSync(path.join(os.tmpdir(), 'warden-find-')));
  ws = path.join(tmp, 'ws');
  for (const f of ['README.md', 'src/a.ts', 'src/b.tsx', 'src/deep/c.ts', 'src/deep/d.js', 'test/a.test.ts', 'node_modules/m/index.ts', 'dist/out.js', 'out/x.ts']) mkfile(f);
  for (const f of ['.env', 'src/.env.local', 'certs/server.pem', '.git/HEAD']) mkfile(f);
  fs.mkdirSync(path.join(tmp, 'outside', 'o'), { recursive: true });
  fs.writeFileSync(path.join(tmp, 'outside', 'o', 'leak.ts'), 'x');
  fs.symlinkSync('../outside', path.join(ws, 'link-out'));
  fs.symlinkSync('src', path.join(ws, 'link-in'));
  for (let i = 0; i < 40; i += 1) mkfile(`many/d${String(i).padStart(2, '0')}/f.txt`);
  jail = createJail([ws]);
});

after(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('find: matching', () => {
  it('matches globs against paths relative to the folder, in path order', async () => {
    assert.deepEqual(await paths({ pattern: '**/*.ts' }), ['src/a.ts', 'src/deep/c.ts', 'test/a.test.ts']);
    assert.deepEqual(await paths({ pattern: 'src/*.{ts,tsx}' }), ['src/a.ts', 'src/b.tsx']);
    assert.deepEqual(await paths({ pattern: 'src/deep/?.[jt]s' }), ['src/deep/c.ts', 'src/deep/d.js']);
  });

  it('starts the walk at path, and still matches against the whole relative path', async () => {
    assert.deepEqual(await paths({ pattern: 'src/deep/*', path: 'src/deep' }), ['src/deep/c.ts', 'src/deep/d.js']);
    assert.deepEqual(await paths({ pattern: '**/*.ts', path: path.join(ws, 'test') }), ['test/a.test.ts']);
    assert.deepEqual(await paths({ pattern: '*.ts', path: 'src' }), []);
  });

  it('filters by type and gives file sizes', async () => {
    assert.deepEqual(await paths({ pattern: 'src/**', type: 'directory' }), ['src', 'src/deep'], '** also matches no directory at all');
    const result = await call(findTool(jail), { pattern: 'README.md' });
    assert.deepEqual(result.structuredContent, { root: ws, entries: [{ path: 'README.md', type: 'file', size: 1 }], truncated: false, directoriesVisited: 46 });
  });

  it('skips node_modules, dist, out and .git by default, and not when exclude is given', async () => {
    assert.deepEqual(await paths({ pattern: '**/*.{ts,js}', exclude: [] }), ['dist/out.js', 'node_modules/m/index.ts', 'out/x.ts', 'src/a.ts', 'src/deep/c.ts', 'src/deep/d.js', 'test/a.test.ts']);
    assert.deepEqual(await paths({ pattern: '**/*.{ts,js}', exclude: ['src', 'test'] }), ['dist/out.js', 'node_modules/m/index.ts', 'out/x.ts']);
  });

  it('never lists secret files, even when asked for them by name', async () => {
    assert.deepEqual(await paths({ pattern: '**/.env*', exclude: [] }), []);
    assert.deepEqual(await paths({ pattern: '**/*.pem' }), []);
    assert.deepEqual(await paths({ pattern: '.git/**', exclude: [] }), []);
  });

  it('lists symbolic links as links and never walks through them', skipOnWindows, async () => {
    const result = await call(findTool(jail), { pattern: 'link-*' });
    assert.deepEqual(result.structuredContent?.['entries'], [
      { path: 'link-in', type: 'symlink' },
      { path: 'link-out', type: 'symlink' },
    ]);
    assert.deepEqual(await paths({ pattern: 'link-*/*' }), []);
    assert.deepEqual(await paths({ pattern: '**/leak.ts' }), []);
  });
});

describe('find: paging and bounds', () => {
  it('pages with an opaque cursor tied to the arguments', async () => {
    const tool = findTool(jail);
    const first = await call(tool, { pattern: 'many/**/f.txt', limit: 15 });
    const cursor = first.structuredContent?.['nextCursor'];
    assert.equal(typeof cursor, 'string');
    const second = await call(tool, { pattern: 'many/**/f.txt', limit: 30, cursor });
    const all = [...(await paths({ pattern: 'many/**/f.txt', limit: 15 })), ...(await paths({ pattern: 'many/**/f.txt', limit: 30, cursor }))];
    assert.deepEqual(all, Array.from({ length: 40 }, (_, i) => `many/d${String(i).padStart(2, '0')}/f.txt`));
    assert.equal(second.structuredContent?.['nextCursor'], undefined);
    await assert.rejects(call(tool, { pattern: '**/*.txt', cursor }), {
      name: 'ToolError',
      message: 'This cursor belongs to a find call with other arguments: repeat the same pattern, path, type and exclude with it, or leave cursor out.',
    });
    await assert.rejects(call(tool, { pattern: 'many/**/f.txt', cursor: 'bm9wZQ' }), {
      name: 'ToolError',
      message: 'Invalid cursor: pass back a nextCursor exactly as find returned it, or leave cursor out to start again.',
    });
  });

  it('stops at the directory bound with truncated and a note', async () => {
    const result = await call(findTool(jail, { maxDirectories: 5, maxEntries: 1000 }), { pattern: '**' });
    assert.equal(result.structuredContent?.['truncated'], true);
    assert.equal(result.structuredContent?.['directoriesVisited'], 5);
    assert.equal(result.structuredContent?.['note'], 'Stopped after visiting 5 directories; results may be missing. Narrow path or exclude large directories.');
  });

  it('stops at the entry bound with truncated and a note', async () => {
    const result = await call(findTool(jail, { maxDirectories: 1000, maxEntries: 12 }), { pattern: '**' });
    assert.equal(result.structuredContent?.['truncated'], true);
    assert.equal(result.structuredContent?.['note'], 'Stopped after seeing 12 entries; results may be missing. Narrow path or exclude large directories.');
  });

  it('stops when the call is cancelled', async () => {
    const aborted = new AbortController();
    aborted.abort();
    const result = await call(findTool(jail), { pattern: '**', exclude: [] }, { signal: aborted.signal, progress: () => undefined });
    assert.equal(result.structuredContent?.['truncated'], true);
    assert.equal(result.structuredContent?.['note'], 'Stopped because the call was cancelled.');
  });

  it('refuses a bad pattern, a start outside and a start that is a file', async () => {
    await assert.rejects(call(findTool(jail), { pattern: '{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}' }), {
      name: 'ToolError',
      message: 'Invalid pattern "{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}": The glob pattern expands to more than 256 alternatives; use fewer {a,b} groups.',
    });
    await assert.rejects(call(findTool(jail), { pattern: '*', path: '..' }), { name: 'PathError', message: `Access denied: ".." resolves outside the workspace folders (${ws}).` });
    await assert.rejects(call(findTool(jail), { pattern: '*', path: 'link-out' }), { name: 'PathError', message: /through a symbolic link/ });
    await assert.rejects(call(findTool(jail), { pattern: '*', path: 'README.md' }), {
      name: 'ToolError',
      message: '"README.md" is a file, not a directory; find needs a directory to start in (or leave path out for the first workspace folder).',
    });
  });

  it('rejects arguments outside the schema', () => {
    const tool = findTool(jail);
    assert.equal(tool.invoke({ pattern: '*', limit: 1001 }, context).kind, 'invalid-arguments');
    assert.equal(tool.invoke({ pattern: '*', follow: true }, context).kind, 'invalid-arguments');
    assert.equal(tool.invoke({}, context).kind, 'invalid-arguments');
  });
});

describe('stat', () => {
  async function stat(input: string): Promise<Record<string, unknown> | undefined> {
    return (await call(statTool(jail), { path: input })).structuredContent;
  }

  it('describes a file, a directory and the folder itself', async () => {
    const file = await stat('src/a.ts');
    assert.equal(file?.['path'], path.join(ws, 'src/a.ts'));
    assert.equal(file?.['type'], 'file');
    assert.equal(file?.['size'], 1);
    assert.equal(file?.['mtime'], fs.statSync(path.join(ws, 'src/a.ts')).mtime.toISOString());
    assert.deepEqual(Object.keys((await stat('src')) ?? {}), ['path', 'type', 'mtime']);
    assert.equal((await stat('.'))?.['path'], ws);
  });

  it('describes a link itself, and whether it leads inside', skipOnWindows, async () => {
    fs.symlinkSync('missing.txt', path.join(ws, 'dangling'));
    assert.deepEqual((await stat('link-in'))?.['symlink'], { inside: true, target: 'src', targetType: 'directory' });
    assert.deepEqual((await stat('link-out'))?.['symlink'], { inside: false });
    assert.deepEqual((await stat('dangling'))?.['symlink'], { inside: true, broken: true });
    assert.equal((await stat('link-in'))?.['type'], 'symlink');
    fs.unlinkSync(path.join(ws, 'dangling'));
  });

  it('refuses paths outside and through links that lead out, and says when nothing is there', async () => {
    await assert.rejects(call(statTool(jail), { path: '../outside' }), { name: 'PathError', message: /^Access denied: "\.\.\/outside" resolves outside/ });
    await assert.rejects(call(statTool(jail), { path: 'link-out/o' }), { name: 'PathError', message: /through a symbolic link/ });
    await assert.rejects(call(statTool(jail), { path: 'nope.txt' }), { name: 'ToolError', message: `Not found: "nope.txt" does not exist in the workspace folders (${ws}).` });
    await assert.rejects(call(statTool(jail), { path: 'nope/deeper.txt' }), { name: 'PathError', message: `Not found: "nope/deeper.txt" does not exist in the workspace folders (${ws}).` });
  });
});
