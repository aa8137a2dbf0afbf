import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CallToolResult } from '../../src/core/protocol/types';
import type { ToolContext } from '../../src/servers/shared/toolDefinition';
import { createJail } from '../../src/servers/fs/jail';
import { listDirTool } from '../../src/servers/fs/tools/listDir';

const context: ToolContext = { signal: new AbortController().signal, progress: () => undefined };

let tmp = '';
let ws = '';

async function list(args: Record<string, unknown>, limit: number): Promise<CallToolResult> {
  const invocation = listDirTool(createJail([ws]), limit).invoke(args, context);
  assert.equal(invocation.kind, 'started', 'the arguments pass the schema');
  return invocation.kind === 'started' ? invocation.result : { content: [] };
}

before(() => {
  tmp = fs.realpathSync.native(fs.mkdtempSync(path.join(os.tmpdir(), 'warden-list-')));
  ws = path.join(tmp, 'ws');
  fs.mkdirSync(path.join(ws, 'many'), { recursive: true });
  fs.mkdirSync(path.join(tmp, 'outside'));
  // Created out of order, so the listing's order comes from sorting.
  for (const n of [17, 3, 24, 0, 11, 8, 20, 5, 14, 1, 22, 9, 16, 2, 19, 6, 12, 23, 4, 10, 15, 7, 21, 13, 18]) {
    fs.writeFileSync(path.join(ws, 'many', `f${String(n).padStart(2, '0')}`), 'x'.repeat(n));
  }
  fs.writeFileSync(path.join(ws, 'B.txt'), 'upper');
  fs.writeFileSync(path.join(ws, 'a.txt'), 'lower');
  fs.symlinkSync('../outside', path.join(ws, 'out'));
});

after(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('list_dir', () => {
  it('keeps the first entries by name when a directory holds more than the limit', async () => {
    const result = await list({ path: 'many' }, 10);
    const expected = Array.from({ length: 10 }, (_, n) => ({ name: `f${String(n).padStart(2, '0')}`, type: 'file', size: n }));
    assert.deepEqual(result.structuredContent, { path: path.join(ws, 'many'), entries: expected, truncated: true, totalEntries: 25 });
  });

  it('reports links as links without following them, in code-unit order', async () => {
    const result = await list({}, 1000);
    assert.deepEqual(result.structuredContent?.['entries'], [
      { name: 'B.txt', type: 'file', size: 5 },
      { name: 'a.txt', type: 'file', size: 5 },
      { name: 'many', type: 'directory' },
      { name: 'out', type: 'symlink' },
    ]);
    assert.equal(result.structuredContent?.['truncated'], false);
  });

  it('reports a named pipe as "other"', { skip: process.platform === 'win32' }, async () => {
    const made = spawnSync('mkfifo', [path.join(ws, 'many', 'pipe')]);
    assert.equal(made.status, 0, `mkfifo failed: ${String(made.stderr)}`);
    const result = await list({ path: 'many' }, 1000);
    const entries = result.structuredContent?.['entries'];
    assert.ok(Array.isArray(entries));
    assert.deepEqual(entries.at(-1), { name: 'pipe', type: 'other' });
    assert.equal(result.structuredContent?.['totalEntries'], 26);
    fs.rmSync(path.join(ws, 'many', 'pipe'));
  });

  it('refuses to list through a link that leads out', async () => {
    await assert.rejects(list({ path: 'out' }, 1000), {
      name: 'PathError',
      message: `Access denied: "out" resolves outside the workspace folders (${ws}) through a symbolic link.`,
    });
  });
});
