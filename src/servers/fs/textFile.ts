/**
 * Reads a bounded piece of a text file, never more than `maxBytes` of content in memory and never a
 * partial UTF-8 character: the head (default), a range of lines (`startLine`/`endLine`, or `head`),
 * the last lines (`tail`, read backwards from the end, so a 2 GB log costs what the answer costs),
 * or a byte range (`offset`/`length`). The file is opened once and read through that descriptor, so
 * what was checked (a regular file, and with a jail's opener the very file the jail approved) is
 * what is read. A file with a NUL byte in its first 8 KiB, or in the piece read, is binary and
 * refused.
 */
import * as fs from 'node:fs';
import { ToolError } from '../shared/toolResult';
import { quote } from './quote';
import { completeUtf8Length, readAt, readByteRange, readTail, type Piece } from './textRanges';
import { openUnverified, type OpenedFile } from './verifiedOpen';

export { completeUtf8Length } from './textRanges';

export interface TextReadRequest {
  /** Canonical path from the jail. */
  readonly real: string;
  /** The path as the caller wrote it, for messages. */
  readonly shown: string;
  readonly maxBytes: number;
  /** 1-based, inclusive. Without either, the file is read from its start. */
  readonly startLine?: number;
  readonly endLine?: number;
  /** The first n lines (startLine 1, endLine n). */
  readonly head?: number;
  /** The last n lines. */
  readonly tail?: number;
  /** A byte range: from `offset` (default 0), `length` bytes (default: up to maxBytes). */
  readonly offset?: number;
  readonly length?: number;
}

export interface TextRead {
  readonly text: string;
  /** Bytes of content returned (after any cut to a character boundary). */
  readonly bytes: number;
  readonly truncated: boolean;
  /** The file's size when it was opened. */
  readonly totalBytes: number;
  /** Line reads: the first line returned. */
  readonly startLine?: number;
  /** Line reads: the last line returned, possibly cut when `truncated`; 0 when nothing was returned. */
  readonly endLine?: number;
  /** Tail and byte reads: the byte offset of the first byte returned. */
  readonly offset?: number;
  /** Tail and byte reads: where the next byte read would start, when the file goes on. */
  readonly nextOffset?: number;
}

/** Opens a checked path for reading: a jail's verified open, or a plain one. */
export type FileOpener = (real: string, shown: string) => OpenedFile;

type ReadMode =
  | { readonly kind: 'head-bytes' }
  | { readonly kind: 'lines'; readonly start: number; readonly end: number }
  | { readonly kind: 'tail'; readonly lines: number }
  | { readonly kind: 'bytes'; readonly offset: number; readonly length: number | undefined };

const CHUNK_BYTES = 256 * 1024;
const SNIFF_BYTES = 8 * 1024;
const LF = 0x0a;

/**
 * How the options combine: line options (startLine/endLine, or head, or tail) and byte options
 * (offset/length) are separate ways to choose a piece, and at most one way may be used; head and
 * tail exclude each other and startLine/endLine. maxBytes caps every way.
 */
export function readModeOf(request: TextReadRequest): ReadMode {
  const { startLine, endLine, head, tail, offset, length } = request;
  const range = startLine !== undefined || endLine !== undefined;
  const bytes = offset !== undefined || length !== undefined;
  if (head !== undefined && tail !== undefined) {
    throw new ToolError('head and tail cannot be combined: pass one of them (head: n for the first n lines, tail: n for the last n).');
  }
  if ((head !== undefined || tail !== undefined) && range) {
    throw new ToolError(`${head !== undefined ? 'head' : 'tail'} cannot be combined with startLine/endLine: use either a line range or ${head !== undefined ? 'head' : 'tail'} alone.`);
  }
  if (bytes && (range || head !== undefined || tail !== undefined)) {
    throw new ToolError('offset/length select bytes and cannot be combined with startLine, endLine, head or tail: pass either byte options or line options.');
  }
  if (startLine !== undefined && endLine !== undefined && endLine < startLine) {
    throw new ToolError(`endLine (${endLine}) is before startLine (${startLine}); pass endLine >= startLine.`);
  }
  if (bytes) return { kind: 'bytes', offset: offset ?? 0, length };
  if (tail !== undefined) return { kind: 'tail', lines: tail };
  if (head !== undefined) return { kind: 'lines', start: 1, end: head };
  if (range) return { kind: 'lines', start: startLine ?? 1, end: endLine ?? Infinity };
  return { kind: 'head-bytes' };
}

export function readTextFile(request: TextReadRequest, open: FileOpener = openUnverified): TextRead {
  const { shown, maxBytes } = request;
  const mode = readModeOf(request);
  const { fd, size } = openRegularFile(request.real, shown, open);
  try {
    const totalBytes = size;
    // The common case, a whole file within the cap: one read, which is also the binary sniff.
    if (mode.kind === 'head-bytes' && totalBytes <= maxBytes) return lineResult(readHead(fd, totalBytes, maxBytes), totalBytes, 1, shown);
    if (readAt(fd, Math.min(SNIFF_BYTES, totalBytes), 0).includes(0)) throw binary(shown);
    switch (mode.kind) {
      case 'head-bytes':
        return lineResult(readHead(fd, totalBytes, maxBytes), totalBytes, 1, shown);
      case 'lines':
        return lineResult(readLines(fd, mode.start, mode.end, maxBytes, shown), totalBytes, mode.start, shown);
      case 'tail':
        return byteResult(readTail(fd, totalBytes, mode.lines, maxBytes), totalBytes, shown);
      case 'bytes':
        return byteResult(readByteRange(fd, totalBytes, mode.offset, mode.length, maxBytes, shown), totalBytes, shown);
    }
  } finally {
    fs.closeSync(fd);
  }
}

function lineResult(piece: Piece, totalBytes: number, startLine: number, shown: string): TextRead {
  const bytes = piece.truncated ? piece.content.subarray(0, completeUtf8Length(piece.content)) : piece.content;
  const text = decode(bytes, shown);
  return { text, bytes: bytes.length, truncated: piece.truncated, totalBytes, startLine, endLine: lastLine(startLine, bytes) };
}

function byteResult(piece: Piece & { readonly offset: number }, totalBytes: number, shown: string): TextRead {
  const text = decode(piece.content, shown);
  const next = piece.offset + piece.content.length;
  const result = { text, bytes: piece.content.length, truncated: piece.truncated, totalBytes, offset: piece.offset };
  return next < totalBytes ? { ...result, nextOffset: next } : result;
}

const UTF8 = new TextDecoder('utf-8');

function decode(bytes: Buffer, shown: string): string {
  if (bytes.includes(0)) throw binary(shown);
  return UTF8.decode(bytes);
}

function binary(shown: string): ToolError {
  return new ToolError(`${quote(shown)} looks like a binary file (it contains NUL bytes); read_text reads UTF-8 text only.`);
}

/** The descriptor and the size the opener's own fstat found (no second fstat). */
function openRegularFile(real: string, shown: string, open: FileOpener): { fd: number; size: number } {
  const { fd, stat } = open(real, shown);
  if (stat.isFile()) return { fd, size: Number(stat.size) };
  fs.closeSync(fd);
  if (stat.isDirectory()) throw new ToolError(`${quote(shown)} is a directory; use list_dir to see its entries.`);
  throw new ToolError(`${quote(shown)} is not a regular file (a device, socket or pipe); read_text reads regular files only.`);
}

function readHead(fd: number, totalBytes: number, maxBytes: number): Piece {
  return { content: readAt(fd, Math.min(totalBytes, maxBytes), 0), truncated: totalBytes > maxBytes };
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

/** The number of the last line that `bytes`, starting at line `startLine`, touches. */
function lastLine(startLine: number, bytes: Buffer): number {
  if (bytes.length === 0) return startLine - 1;
  let newlines = 0;
  for (let i = bytes.indexOf(LF); i !== -1; i = bytes.indexOf(LF, i + 1)) newlines += 1;
  const endsWithNewline = bytes[bytes.length - 1] === LF;
  return startLine + newlines - (endsWithNewline ? 1 : 0);
}
