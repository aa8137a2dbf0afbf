/**
 * Reads a bounded piece of a text file: the head, or a range of lines, never more than `maxBytes`
 * of content in memory and never a partial UTF-8 character. The file is opened once and read
 * through that descriptor, so what was checked (a regular file) is what is read.
 */
import * as fs from 'node:fs';
import { ToolError } from '../shared/toolResult';
import { quote } from './jail';

export interface TextReadRequest {
  /** Canonical path from the jail. */
  readonly real: string;
  /** The path as the caller wrote it, for messages. */
  readonly shown: string;
  readonly maxBytes: number;
  /** 1-based, inclusive. Without either, the file is read from its start. */
  readonly startLine?: number;
  readonly endLine?: number;
}

export interface TextRead {
  readonly text: string;
  /** Bytes of content returned (after any cut to a character boundary). */
  readonly bytes: number;
  readonly truncated: boolean;
  /** The file's size when it was opened. */
  readonly totalBytes: number;
  readonly startLine: number;
  /** The last line returned, possibly cut when `truncated`; 0 when nothing was returned. */
  readonly endLine: number;
}

const CHUNK_BYTES = 256 * 1024;
const LF = 0x0a;

// O_NOFOLLOW: the jail resolved every link, so a link appearing now means the tree changed under
// us. O_NONBLOCK: opening a FIFO must not hang the server. Both are absent on Windows.
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0);

export function readTextFile(request: TextReadRequest): TextRead {
  const { shown } = request;
  if (request.endLine !== undefined && request.startLine !== undefined && request.endLine < request.startLine) {
    throw new ToolError(`endLine (${request.endLine}) is before startLine (${request.startLine}); pass endLine >= startLine.`);
  }
  const fd = openRegularFile(request.real, shown);
  try {
    const totalBytes = fs.fstatSync(fd).size;
    const piece =
      request.startLine === undefined && request.endLine === undefined
        ? readHead(fd, totalBytes, request.maxBytes)
        : readLines(fd, request.startLine ?? 1, request.endLine ?? Infinity, request.maxBytes, shown);
    const bytes = piece.truncated ? piece.content.subarray(0, completeUtf8Length(piece.content)) : piece.content;
    if (bytes.includes(0)) {
      throw new ToolError(`${quote(shown)} looks like a binary file (it contains NUL bytes); read_text reads UTF-8 text only.`);
    }
    const text = new TextDecoder('utf-8').decode(bytes);
    const startLine = request.startLine ?? 1;
    return { text, bytes: bytes.length, truncated: piece.truncated, totalBytes, startLine, endLine: lastLine(startLine, bytes) };
  } finally {
    fs.closeSync(fd);
  }
}

function openRegularFile(real: string, shown: string): number {
  let fd: number;
  try {
    fd = fs.openSync(real, OPEN_FLAGS);
  } catch (error) {
    throw openError(error, shown);
  }
  const stat = fs.fstatSync(fd);
  if (stat.isFile()) return fd;
  fs.closeSync(fd);
  if (stat.isDirectory()) throw new ToolError(`${quote(shown)} is a directory; use list_dir to see its entries.`);
  throw new ToolError(`${quote(shown)} is not a regular file (a device, socket or pipe); read_text reads regular files only.`);
}

function openError(error: unknown, shown: string): ToolError {
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  switch (code) {
    case 'EISDIR':
      return new ToolError(`${quote(shown)} is a directory; use list_dir to see its entries.`);
    case 'ENOENT':
      return new ToolError(`Not found: ${quote(shown)} no longer exists.`);
    case 'ELOOP':
      return new ToolError(`${quote(shown)} changed into a symbolic link while being opened; try again.`);
    case 'EACCES':
    case 'EPERM':
      return new ToolError(`Permission denied: the file system does not allow reading ${quote(shown)}.`);
    default:
      return new ToolError(`Cannot open ${quote(shown)}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

interface Piece {
  readonly content: Buffer;
  readonly truncated: boolean;
}

function readHead(fd: number, totalBytes: number, maxBytes: number): Piece {
  const want = Math.min(totalBytes, maxBytes);
  const buffer = Buffer.alloc(want);
  let filled = 0;
  while (filled < want) {
    const n = fs.readSync(fd, buffer, filled, want - filled, filled);
    if (n === 0) break; // the file shrank since fstat
    filled += n;
  }
  return { content: buffer.subarray(0, filled), truncated: totalBytes > maxBytes };
}

/**
 * Streams the file once, skipping whole lines before `start` without keeping them, and keeps at
 * most `maxBytes` of lines `start..end` (each with its newline).
 */
function readLines(fd: number, start: number, end: number, maxBytes: number, shown: string): Piece {
  const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  const kept: Buffer[] = [];
  let keptBytes = 0;
  let line = 1;
  let position = 0;
  let lastByte = -1;
  for (;;) {
    const n = fs.readSync(fd, chunk, 0, CHUNK_BYTES, position);
    if (n === 0) break;
    position += n;
    lastByte = chunk[n - 1] ?? -1;
    const view = chunk.subarray(0, n);
    for (let i = 0; i < n; ) {
      const newline = view.indexOf(LF, i);
      const stop = newline === -1 ? n : newline + 1;
      if (line >= start) {
        const room = maxBytes - keptBytes;
        if (stop - i > room) {
          kept.push(Buffer.from(view.subarray(i, i + room)));
          return { content: Buffer.concat(kept), truncated: true };
        }
        kept.push(Buffer.from(view.subarray(i, stop)));
        keptBytes += stop - i;
      }
      if (newline === -1) break;
      if (line === end) return { content: Buffer.concat(kept), truncated: false };
      line += 1;
      i = stop;
    }
  }
  if (keptBytes === 0 && start > 1) {
    const lines = line - 1 + (lastByte !== -1 && lastByte !== LF ? 1 : 0);
    throw new ToolError(`startLine ${start} is past the end of ${quote(shown)}, which has ${lines} line${lines === 1 ? '' : 's'}.`);
  }
  return { content: Buffer.concat(kept), truncated: false };
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

/** The number of the last line that `bytes`, starting at line `startLine`, touches. */
function lastLine(startLine: number, bytes: Buffer): number {
  if (bytes.length === 0) return startLine - 1;
  let newlines = 0;
  for (let i = bytes.indexOf(LF); i !== -1; i = bytes.indexOf(LF, i + 1)) newlines += 1;
  const endsWithNewline = bytes[bytes.length - 1] === LF;
  return startLine + newlines - (endsWithNewline ? 1 : 0);
}
