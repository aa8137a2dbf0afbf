/**
 * The two reads that do not start at the head of a file: the last lines (read backwards in chunks
 * from the end, never more than `maxBytes` plus one chunk, whatever the file's size) and a byte
 * range. Both start on a UTF-8 character boundary and report the byte offset they start at.
 */
import * as fs from 'node:fs';
import { ToolError } from '../shared/toolResult';
import { quote } from './quote';

export interface Piece {
  readonly content: Buffer;
  readonly truncated: boolean;
}

export interface OffsetPiece extends Piece {
  /** Byte offset of `content[0]` in the file. */
  readonly offset: number;
}

const TAIL_CHUNK_BYTES = 64 * 1024;
const LF = 0x0a;

/** Up to `length` bytes from `position`; fewer when the file ends (or shrank) first. */
export function readAt(fd: number, length: number, position: number): Buffer {
  const buffer = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const n = fs.readSync(fd, buffer, filled, length - filled, position + filled);
    if (n === 0) break;
    filled += n;
  }
  return buffer.subarray(0, filled);
}

/**
 * The last `lines` lines. A newline that ends the file ends the last line; it does not start an
 * empty one. When those lines are longer than `maxBytes`, as many whole lines as fit are returned
 * (or, when even the last line does not fit, its last bytes) and `truncated` is true.
 */
export function readTail(fd: number, totalBytes: number, lines: number, maxBytes: number): OffsetPiece {
  const floor = Math.max(0, totalBytes - maxBytes);
  const finalNewline = totalBytes - 1;
  const chunks: Buffer[] = [];
  let position = totalBytes;
  let newlines = 0;
  let start: number | undefined;
  while (position > floor && start === undefined) {
    const size = Math.min(TAIL_CHUNK_BYTES, position - floor);
    position -= size;
    const chunk = readAt(fd, size, position);
    chunks.unshift(chunk);
    for (let i = chunk.lastIndexOf(LF); i !== -1; i = i === 0 ? -1 : chunk.lastIndexOf(LF, i - 1)) {
      if (position + i === finalNewline) continue;
      newlines += 1;
      if (newlines === lines) {
        start = position + i + 1;
        break;
      }
    }
  }
  const window = Buffer.concat(chunks); // bytes [position, totalBytes)
  if (start !== undefined) return { content: window.subarray(start - position), offset: start, truncated: false };
  if (floor === 0) return { content: window, offset: 0, truncated: false };
  const firstBreak = window.indexOf(LF);
  const cut = firstBreak !== -1 && floor + firstBreak !== finalNewline ? firstBreak + 1 : leadingContinuationBytes(window);
  return { content: window.subarray(cut), offset: floor + cut, truncated: true };
}

/**
 * Bytes from `offset`, `length` of them (default and cap: `maxBytes`). A start inside a character
 * moves forward to the next character; an end inside one moves back. `truncated` is true when the
 * text returned ends before the range asked for.
 */
export function readByteRange(fd: number, totalBytes: number, offset: number, length: number | undefined, maxBytes: number, shown: string): OffsetPiece {
  if (offset > totalBytes) {
    throw new ToolError(`offset ${offset} is past the end of ${quote(shown)}, which has ${totalBytes} bytes.`);
  }
  const rangeEnd = length === undefined ? totalBytes : Math.min(totalBytes, offset + length);
  const raw = readAt(fd, Math.min(rangeEnd - offset, maxBytes), offset);
  const skip = leadingContinuationBytes(raw);
  let content = raw.subarray(skip);
  if (offset + raw.length < totalBytes) content = content.subarray(0, completeUtf8Length(content));
  const end = offset + skip + content.length;
  return { content, offset: offset + skip, truncated: end < rangeEnd };
}

/** Continuation bytes (10xxxxxx) at the start, at most three: the tail of a cut character. */
function leadingContinuationBytes(bytes: Buffer): number {
  let n = 0;
  while (n < 3 && n < bytes.length && ((bytes[n] ?? 0) & 0xc0) === 0x80) n += 1;
  return n;
}

/** The length of the longest prefix of `bytes` that does not end inside a UTF-8 character. */
export function completeUtf8Length(bytes: Uint8Array): number {
  const length = bytes.length;
  let lead = length - 1;
  // Step back over at most three continuation bytes (10xxxxxx) to the character's first byte.
  while (lead >= 0 && length - lead <= 3 && ((bytes[lead] ?? 0) & 0xc0) === 0x80) lead -= 1;
  if (lead < 0) return length;
  const first = bytes[lead] ?? 0;
  // 0xf8-0xff never start a character; the decoder turns them into U+FFFD like any stray byte.
  const needed = first >= 0xf8 ? 1 : first >= 0xf0 ? 4 : first >= 0xe0 ? 3 : first >= 0xc0 ? 2 : 1;
  return lead + needed > length ? lead : length;
}
