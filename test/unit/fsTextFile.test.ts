import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ToolError } from '../../src/servers/shared/toolResult';
import { completeUtf8Length, readTextFile, type TextRead, type TextReadRequest } from '../../src/servers/fs/textFile';

let tmp = '';

function file(name: string, content: string | Buffer): string {
  const target = path.join(tmp, name);
  fs.writeFileSync(target, content);
  return target;
}

function read(real: string, options: Partial<TextReadRequest> = {}): TextRead {
  return readTextFile({ real, shown: path.basename(real), maxBytes: 256 * 1024, ...options });
}

function fails(request: () => unknown, message: string): void {
  assert.throws(request, (error: unknown) => {
    assert.ok(error instanceof ToolError, `expected a ToolError, got ${String(error)}`);
    assert.equal(error.message, message);
    return true;
  });
}

/** Line n (1-based) of the numbered file: fixed width, so byte offsets are easy to reason about. */
function numbered(n: number): string {
  return `line ${String(n).padStart(5, '0')} ${'.'.repeat(988)}\n`; // 1000 bytes
}

before(() => {
  tmp = fs.realpathSync.native(fs.mkdtempSync(path.join(os.tmpdir(), 'warden-text-')));
});

after(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('text file reads: line ranges', () => {
  let big = '';
  before(() => {
    // 1000 lines of 1000 bytes: ranges cross the reader's 256 KiB chunks.
    big = file('numbered.txt', Array.from({ length: 1000 }, (_, i) => numbered(i + 1)).join(''));
  });

  it('returns exactly the lines asked for, across chunk boundaries', () => {
    const range = read(big, { startLine: 262, endLine: 264 });
    assert.equal(range.text, numbered(262) + numbered(263) + numbered(264));
    assert.deepEqual([range.startLine, range.endLine, range.truncated, range.totalBytes], [262, 264, false, 1_000_000]);
  });

  it('reads to the end when endLine is past it, and from a start line alone', () => {
    const tail = read(big, { startLine: 999, endLine: 5000 });
    assert.equal(tail.text, numbered(999) + numbered(1000));
    assert.equal(tail.endLine, 1000);
    assert.equal(read(big, { startLine: 1000 }).text, numbered(1000));
  });

  it('caps a range and reports the line it stopped in', () => {
    const capped = read(big, { startLine: 10, endLine: 20, maxBytes: 2500 });
    assert.equal(capped.text, numbered(10) + numbered(11) + numbered(12).slice(0, 500));
    assert.deepEqual([capped.truncated, capped.endLine, capped.bytes], [true, 12, 2500]);
  });

  it('names the line count when the range starts past the end', () => {
    fails(() => read(big, { startLine: 1001 }), 'startLine 1001 is past the end of "numbered.txt", which has 1000 lines.');
    const noNewline = file('two.txt', 'one\ntwo');
    fails(() => read(noNewline, { startLine: 3 }), 'startLine 3 is past the end of "two.txt", which has 2 lines.');
    assert.equal(read(noNewline, { startLine: 2 }).text, 'two');
  });

  it('refuses endLine before startLine', () => {
    fails(() => read(big, { startLine: 5, endLine: 4 }), 'endLine (4) is before startLine (5); pass endLine >= startLine.');
  });

  it('reads an empty file as empty text, and no line past it', () => {
    const empty = file('empty.txt', '');
    assert.deepEqual(read(empty), { text: '', bytes: 0, truncated: false, totalBytes: 0, startLine: 1, endLine: 0 });
    assert.equal(read(empty, { startLine: 1 }).text, '');
    fails(() => read(empty, { startLine: 2 }), 'startLine 2 is past the end of "empty.txt", which has 0 lines.');
  });
});

describe('text file reads: limits and refusals', () => {
  it('reads only the head of a huge file', () => {
    // 2 GiB, sparse: reading it whole would fail (and take the memory); the head is text.
    const huge = file('huge.txt', 'a'.repeat(300 * 1024));
    fs.truncateSync(huge, 2 * 1024 ** 3);
    const head = read(huge, { maxBytes: 256 * 1024 });
    assert.equal(head.text, 'a'.repeat(256 * 1024));
    assert.deepEqual([head.truncated, head.totalBytes], [true, 2 * 1024 ** 3]);
  });

  it('refuses a binary file, a directory and a missing file by name', () => {
    const binary = file('image.bin', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]));
    fails(() => read(binary), '"image.bin" looks like a binary file (it contains NUL bytes); read_text reads UTF-8 text only.');
    const dir = path.join(tmp, 'folder');
    fs.mkdirSync(dir);
    fails(() => read(dir), '"folder" is a directory; use list_dir to see its entries.');
    fails(() => read(path.join(tmp, 'gone.txt')), 'Not found: "gone.txt" no longer exists.');
  });

  it('refuses a named pipe without blocking on it', { skip: process.platform === 'win32' }, () => {
    const fifo = path.join(tmp, 'pipe');
    const made = spawnSync('mkfifo', [fifo]);
    assert.equal(made.status, 0, `mkfifo failed: ${String(made.stderr)}`);
    fails(() => read(fifo), '"pipe" is not a regular file (a device, socket or pipe); read_text reads regular files only.');
  });

  it('does not open a symbolic link that appeared after the jail resolved the path', { skip: process.platform === 'win32' }, () => {
    const target = file('target.txt', 'target');
    const swapped = path.join(tmp, 'swapped.txt');
    fs.symlinkSync(target, swapped);
    fails(() => read(swapped), '"swapped.txt" changed into a symbolic link while being opened; try again.');
  });
});

describe('text file reads: UTF-8 boundaries', () => {
  it('never ends inside a character', () => {
    const bytes = Buffer.from('aé€😀', 'utf8'); // 1 + 2 + 3 + 4 bytes
    const ends = Array.from({ length: bytes.length + 1 }, (_, n) => completeUtf8Length(bytes.subarray(0, n)));
    assert.deepEqual(ends, [0, 1, 1, 3, 3, 3, 6, 6, 6, 6, 10]);
  });

  it('leaves bytes that are not UTF-8 to the decoder', () => {
    assert.equal(completeUtf8Length(Buffer.from([0x80, 0x80, 0x80, 0x80])), 4);
    assert.equal(completeUtf8Length(Buffer.from([0x61, 0xff])), 2);
  });

  it('cuts a truncated read on a character boundary', () => {
    const accents = file('accents.txt', 'é'.repeat(10));
    const cut = read(accents, { maxBytes: 7 });
    assert.deepEqual([cut.text, cut.bytes, cut.truncated], ['ééé', 6, true]);
  });
});
