import { describe, it, beforeEach, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CallToolResult } from '../../src/core/protocol/types';
import type { ToolContext } from '../../src/servers/shared/toolDefinition';
import { createJail, type Jail } from '../../src/servers/fs/jail';
import { readTextTool } from '../../src/servers/fs/tools/readText';
import { searchTool } from '../../src/servers/fs/tools/search';
import { nodeOpenSystem, openVerified, type OpenSystem } from '../../src/servers/fs/verifiedOpen';

/**
 * Check-then-use: the jail approves ws/dir/file.txt, then - deterministically, inside the injected
 * open step - ws/dir is replaced by a link to ../outside/dir, which holds a file.txt too. O_NOFOLLOW
 * guards only the last component, so the open itself succeeds on the outside file; the checks after
 * it must refuse to read.
 */
const context: ToolContext = { signal: new AbortController().signal, progress: () => undefined };
const onLinux = process.platform === 'linux';
const skipOnWindows = { skip: process.platform === 'win32' ? 'symbolic links need privileges on Windows' : false };

let tmp = '';
let ws = '';

function swapDirForLink(): void {
  fs.renameSync(path.join(ws, 'dir'), path.join(ws, 'dir-moved'));
  fs.symlinkSync('../outside/dir', path.join(ws, 'dir'));
}

function swapBack(): void {
  fs.unlinkSync(path.join(ws, 'dir'));
  fs.renameSync(path.join(ws, 'dir-moved'), path.join(ws, 'dir'));
}

/** An open step that swaps the directory for a link just before opening, and maybe swaps it back after. */
function swapping(options: { back: boolean; proc: boolean }, opened: string[] = []): OpenSystem {
  return {
    ...nodeOpenSystem,
    open: (p, flags) => {
      swapDirForLink();
      const fd = nodeOpenSystem.open(p, flags);
      opened.push(fs.readFileSync(fd, 'utf8'));
      if (options.back) swapBack();
      return fd;
    },
    descriptorPath: options.proc ? nodeOpenSystem.descriptorPath : () => undefined,
  };
}

async function readThrough(jail: Jail, file: string): Promise<CallToolResult> {
  const invocation = readTextTool(jail, { maxBytes: 1000 }).invoke({ path: file }, context);
  assert.equal(invocation.kind, 'started');
  return invocation.kind === 'started' ? invocation.result : { content: [] };
}

const CHANGED = '"dir/file.txt" changed while it was being opened: the file opened is not the one the workspace check approved, so nothing was read. Try again.';

beforeEach(() => {
  if (tmp !== '') fs.rmSync(tmp, { recursive: true, force: true });
  tmp = fs.realpathSync.native(fs.mkdtempSync(path.join(os.tmpdir(), 'warden-swap-')));
  ws = path.join(tmp, 'ws');
  fs.mkdirSync(path.join(ws, 'dir'), { recursive: true });
  fs.mkdirSync(path.join(tmp, 'outside', 'dir'), { recursive: true });
  fs.writeFileSync(path.join(ws, 'dir', 'file.txt'), 'inside\n');
  fs.writeFileSync(path.join(tmp, 'outside', 'dir', 'file.txt'), 'OUTSIDE\n');
});

after(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('verified open: a path swapped between check and use', () => {
  it('opens the outside file in the swap (the attack is real) yet reads nothing: kernel path check', { skip: onLinux ? false : 'needs /proc/self/fd' }, async () => {
    const opened: string[] = [];
    const jail = createJail([ws], undefined, undefined, { open: swapping({ back: false, proc: true }, opened) });
    await assert.rejects(readThrough(jail, 'dir/file.txt'), { name: 'ToolError', message: CHANGED });
    assert.deepEqual(opened, ['OUTSIDE\n'], 'the descriptor was the outside file');
  });

  it('refuses without /proc too: the path no longer resolves to itself', skipOnWindows, async () => {
    const opened: string[] = [];
    const jail = createJail([ws], undefined, undefined, { open: swapping({ back: false, proc: false }, opened) });
    await assert.rejects(readThrough(jail, 'dir/file.txt'), { name: 'ToolError', message: CHANGED });
    assert.deepEqual(opened, ['OUTSIDE\n']);
  });

  it('refuses without /proc when the link is swapped back after the open: device and inode differ', skipOnWindows, async () => {
    const opened: string[] = [];
    const jail = createJail([ws], undefined, undefined, { open: swapping({ back: true, proc: false }, opened) });
    await assert.rejects(readThrough(jail, 'dir/file.txt'), { name: 'ToolError', message: CHANGED });
    assert.deepEqual(opened, ['OUTSIDE\n']);
    assert.equal(fs.readFileSync(path.join(ws, 'dir', 'file.txt'), 'utf8'), 'inside\n', 'the tree is back as it was');
  });

  it('refuses on the kernel path alone, even when every path-based check is fooled', { skip: onLinux ? false : 'needs /proc/self/fd' }, () => {
    // A system whose stat and realpath report the approved file: only /proc tells the truth.
    const approved = path.join(ws, 'dir', 'file.txt');
    const swap = swapping({ back: false, proc: true });
    let lastFd = -1;
    const fooled: OpenSystem = {
      ...swap,
      open: (p, flags) => (lastFd = swap.open(p, flags)),
      stat: (p) => (p === approved ? nodeOpenSystem.fstat(lastFd) : nodeOpenSystem.stat(p)),
      realpath: (p) => p,
    };
    assert.throws(() => openVerified(approved, 'dir/file.txt', fooled), { name: 'ToolError', message: CHANGED });
  });

  it('search skips a swapped file as unreadable and reports no outside text', skipOnWindows, async () => {
    const jail = createJail([ws], undefined, undefined, { open: swapping({ back: true, proc: true }) });
    const invocation = searchTool(jail).invoke({ query: 'OUTSIDE' }, context);
    assert.equal(invocation.kind, 'started');
    const result = invocation.kind === 'started' ? await invocation.result : { content: [] };
    assert.deepEqual(result.structuredContent?.['matches'], []);
    assert.deepEqual(result.structuredContent?.['skipped'], { binary: 0, tooLarge: 0, unreadable: 1, secret: 0 });
  });

  it('reads normally when nothing changes, through the same checks', async () => {
    const jail = createJail([ws]);
    const result = await readThrough(jail, 'dir/file.txt');
    assert.deepEqual(result.content, [{ type: 'text', text: 'inside\n' }]);
  });

  it('closes the descriptor it refuses', skipOnWindows, () => {
    const swap = swapping({ back: false, proc: false });
    const opened: number[] = [];
    const closed: number[] = [];
    const system: OpenSystem = {
      ...swap,
      open: (p, flags) => {
        const fd = swap.open(p, flags);
        opened.push(fd);
        return fd;
      },
      close: (fd) => {
        closed.push(fd);
        nodeOpenSystem.close(fd);
      },
    };
    assert.throws(() => openVerified(path.join(ws, 'dir', 'file.txt'), 'dir/file.txt', system), { name: 'ToolError', message: CHANGED });
    assert.equal(opened.length, 1);
    assert.deepEqual(closed, opened);
  });
});
