import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ToolError } from '../../src/servers/shared/toolResult';
import { readTextFile, type TextRead, type TextReadRequest } from '../../src/servers/fs/textFile';

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

/** Line n (1-based): 100 bytes, so offsets are easy to reason about. */
function numbered(n: number): string {
  return `line ${String(n).padStart(5, '0')} ${'.'.repeat(88)}\n`;
}

let lines = '';

before(() => {
  tmp = fs.realpathSync.native(fs.mkdtempSync(path.join(os.tmpdir(), 'warden-ranges-')));
  lines = file('lines.txt', Array.from({ length: 5000 }, (_, i) => numbered(i + 1)).join('')); // 500,000 bytes
});

after(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('read_text pieces: head and tail', () => {
  it('head: n is lines 1..n', () => {
    const head = read(lines, { head: 3 });
    assert.deepEqual(head, { text: numbered(1) + numbered(2) + numbered(3), bytes: 300, truncated: false, totalBytes: 500_000, startLine: 1, endLine: 3 });
  });

  it('tail: n returns the last n lines and the offset they start at, across chunks', () => {
    const tail = read(lines, { tail: 2 });
    assert.deepEqual(tail, { text: numbered(4999) + numbered(5000), bytes: 200, truncated: false, totalBytes: 500_000, offset: 499_800 });
    const many = read(lines, { tail: 1500 }); // 150,000 bytes: more than two 64 KiB chunks
    assert.equal(many.text, Array.from({ length: 1500 }, (_, i) => numbered(3501 + i)).join(''));
    assert.equal(many.offset, 350_000);
  });

  it('tail counts a last line without a newline, and returns a short file whole', () => {
    const ragged = file('ragged.txt', 'one\ntwo\nthree');
    assert.equal(read(ragged, { tail: 1 }).text, 'three');
    assert.equal(read(ragged, { tail: 2 }).text, 'two\nthree');
    assert.deepEqual(read(ragged, { tail: 10 }), { text: 'one\ntwo\nthree', bytes: 13, truncated: false, totalBytes: 13, offset: 0 });
    assert.deepEqual(read(file('empty.txt', ''), { tail: 3 }), { text: '', bytes: 0, truncated: false, totalBytes: 0, offset: 0 });
    assert.equal(read(file('blank-lines.txt', 'a\n\n\n'), { tail: 2 }).text, '\n\n');
  });

  it('tail keeps whole lines when the lines asked for exceed the cap', () => {
    const capped = read(lines, { tail: 10, maxBytes: 250 });
    assert.deepEqual(capped, { text: numbered(4999) + numbered(5000), bytes: 200, truncated: true, totalBytes: 500_000, offset: 499_800 });
  });

  it('tail returns the end of one over-long line, starting on a character boundary', () => {
    const long = file('long.txt', `start\n${'é'.repeat(100)}\n`); // 6 + 200 + 1 bytes
    const cut = read(long, { tail: 1, maxBytes: 10 });
    assert.deepEqual(cut, { text: 'éééé\n', bytes: 9, truncated: true, totalBytes: 207, offset: 198 });
  });

  it('tail of a 2 GiB log reads only its end', () => {
    // Sparse: only the first and last bytes are written. Reading the whole file would take 2 GiB.
    const log = path.join(tmp, 'huge.log');
    const fd = fs.openSync(log, 'w');
    const end = '\nlast but one\nlast\n';
    fs.writeSync(fd, 'first lines\n'.repeat(1000), 0);
    fs.writeSync(fd, end, 2 * 1024 ** 3 - end.length);
    fs.closeSync(fd);
    const tail = read(log, { tail: 2 });
    assert.deepEqual(tail, { text: end.slice(1), bytes: end.length - 1, truncated: false, totalBytes: 2 * 1024 ** 3, offset: 2 * 1024 ** 3 - end.length + 1 });
  });
});

describe('read_text pieces: byte ranges', () => {
  it('reads offset and length, and says where to continue', () => {
    assert.deepEqual(read(lines, { offset: 100, length: 100 }), { text: numbered(2), bytes: 100, truncated: false, totalBytes: 500_000, offset: 100, nextOffset: 200 });
    assert.deepEqual(read(lines, { offset: 499_900 }), { text: numbered(5000), bytes: 100, truncated: false, totalBytes: 500_000, offset: 499_900 });
    assert.deepEqual(read(lines, { length: 5 }), { text: 'line ', bytes: 5, truncated: false, totalBytes: 500_000, offset: 0, nextOffset: 5 });
  });

  it('caps a range at maxBytes and marks it truncated', () => {
    assert.deepEqual(read(lines, { offset: 0, length: 1000, maxBytes: 150 }), {
      text: numbered(1) + numbered(2).slice(0, 50),
      bytes: 150,
      truncated: true,
      totalBytes: 500_000,
      offset: 0,
      nextOffset: 150,
    });
  });

  it('moves a start inside a character forward and an end inside one back', () => {
    const accents = file('accents.txt', 'aéééb'); // a(0) é(1-2) é(3-4) é(5-6) b(7)
    assert.deepEqual(read(accents, { offset: 2, length: 4 }), { text: 'é', bytes: 2, truncated: true, totalBytes: 8, offset: 3, nextOffset: 5 });
  });

  it('refuses an offset past the end, and reads nothing at the very end', () => {
    fails(() => read(lines, { offset: 500_001 }), 'offset 500001 is past the end of "lines.txt", which has 500000 bytes.');
    assert.deepEqual(read(lines, { offset: 500_000 }), { text: '', bytes: 0, truncated: false, totalBytes: 500_000, offset: 500_000 });
  });
});

describe('read_text pieces: how options combine', () => {
  it('refuses contradictory combinations with a message that says what to do', () => {
    fails(() => read(lines, { head: 1, tail: 1 }), 'head and tail cannot be combined: pass one of them (head: n for the first n lines, tail: n for the last n).');
    fails(() => read(lines, { head: 1, startLine: 2 }), 'head cannot be combined with startLine/endLine: use either a line range or head alone.');
    fails(() => read(lines, { tail: 1, endLine: 2 }), 'tail cannot be combined with startLine/endLine: use either a line range or tail alone.');
    const bytesAndLines = 'offset/length select bytes and cannot be combined with startLine, endLine, head or tail: pass either byte options or line options.';
    fails(() => read(lines, { offset: 0, startLine: 1 }), bytesAndLines);
    fails(() => read(lines, { length: 10, tail: 1 }), bytesAndLines);
    fails(() => read(lines, { offset: 3, head: 1 }), bytesAndLines);
  });

  it('refuses a binary file in every mode, by its first 8 KiB', () => {
    const binary = file('data.bin', Buffer.concat([Buffer.from('text\n'), Buffer.from([0]), Buffer.alloc(20_000, 0x61)]));
    const message = '"data.bin" looks like a binary file (it contains NUL bytes); read_text reads UTF-8 text only.';
    fails(() => read(binary, { tail: 1 }), message);
    fails(() => read(binary, { offset: 10_000, length: 10 }), message);
    fails(() => read(binary, { startLine: 2 }), message);
  });
});
