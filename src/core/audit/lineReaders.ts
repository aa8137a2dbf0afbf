/**
 * Reads a log file line by line, forwards or backwards from its end, as exact bytes (hashes and
 * MACs are over bytes, so nothing is decoded and re-encoded on the way). Memory stays at one chunk
 * plus the longest line.
 */
import { promises as fsp } from 'node:fs';

const NEWLINE = 0x0a;
const CHUNK = 256 * 1024;

export interface FileLine {
  /** The line without its newline. */
  readonly bytes: Buffer;
  /** Byte offset of the line's first byte in the file. */
  readonly offset: number;
  /** False for bytes after the last newline: a line whose write did not finish. */
  readonly complete: boolean;
}

export interface NumberedLine extends FileLine {
  /** 1-based. */
  readonly line: number;
}

/** Lines from the start of the file up to byte `end` (default: its size). */
export async function* linesForward(filePath: string, end?: number): AsyncGenerator<NumberedLine> {
  const handle = await fsp.open(filePath, 'r');
  try {
    const limit = end ?? (await handle.stat()).size;
    let carry = Buffer.alloc(0);
    let carryOffset = 0;
    let position = 0;
    let line = 0;
    while (position < limit) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK, limit - position));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
      if (bytesRead === 0) break;
      const data = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
      const dataOffset = carry.length > 0 ? carryOffset : position;
      position += bytesRead;
      let start = 0;
      for (let nl = data.indexOf(NEWLINE, start); nl !== -1; nl = data.indexOf(NEWLINE, start)) {
        line += 1;
        yield { bytes: data.subarray(start, nl), offset: dataOffset + start, complete: true, line };
        start = nl + 1;
      }
      carry = Buffer.from(data.subarray(start));
      carryOffset = dataOffset + start;
    }
    if (carry.length > 0) yield { bytes: carry, offset: carryOffset, complete: false, line: line + 1 };
  } finally {
    await handle.close();
  }
}

/** Lines from byte `end` (default: the file's size) back to the start; an unfinished last line first. */
export async function* linesBackward(filePath: string, end?: number): AsyncGenerator<FileLine> {
  const handle = await fsp.open(filePath, 'r');
  try {
    let position = end ?? (await handle.stat()).size;
    // Bytes after the newest newline seen so far, not yet yielded (they belong to a line whose start is further back).
    let tail = Buffer.alloc(0);
    let first = true;
    while (position > 0) {
      const size = Math.min(CHUNK, position);
      const chunk = Buffer.allocUnsafe(size);
      const { bytesRead } = await handle.read(chunk, 0, size, position - size);
      if (bytesRead !== size) throw new Error(`${filePath} changed while it was being read backwards.`);
      position -= size;
      const data = tail.length > 0 ? Buffer.concat([chunk, tail]) : chunk;
      let stop = data.length;
      for (let nl = data.lastIndexOf(NEWLINE, stop - 1); nl !== -1; nl = stop > 0 ? data.lastIndexOf(NEWLINE, stop - 1) : -1) {
        if (first) {
          first = false;
          if (nl + 1 < data.length) yield { bytes: Buffer.from(data.subarray(nl + 1)), offset: position + nl + 1, complete: false };
        } else {
          yield { bytes: Buffer.from(data.subarray(nl + 1, stop)), offset: position + nl + 1, complete: true };
        }
        stop = nl;
      }
      tail = Buffer.from(data.subarray(0, stop));
    }
    if (tail.length > 0 || !first) yield { bytes: tail, offset: 0, complete: !first };
  } finally {
    await handle.close();
  }
}
