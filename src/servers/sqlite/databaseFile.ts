/**
 * Reading a database file whole, the only way sql.js can open one. The file is opened read-only
 * and never written; its identity (device, inode, size, modification and change times) is kept
 * so a change on disk can be noticed before the next call.
 */
import * as fs from 'node:fs';
import { isInside } from '../fs/jail';
import { ToolError } from '../shared/toolResult';
import { formatBytes } from './format';
import type { DatabaseRef } from './protocol';

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

export interface DatabaseSnapshot {
  readonly bytes: Buffer;
  /** Identifies this version of the file; compare with `fileSignature`. */
  readonly signature: string;
}

export function oversizeMessage(name: string, size: number, limit: number): string {
  return (
    `${name} is ${formatBytes(size)}; Warden's SQLite server loads whole databases into memory and refuses files over ${formatBytes(limit)}. ` +
    'Raise --max-db-bytes (setting warden.sqlite.maxDatabaseBytes) if you have the memory.'
  );
}

/** The file's current identity, or undefined when it cannot be reached. */
export function fileSignature(file: string): string | undefined {
  const stat = fs.statSync(file, { bigint: true, throwIfNoEntry: false });
  return stat === undefined ? undefined : signatureOf(stat);
}

function signatureOf(stat: fs.BigIntStats): string {
  return `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`;
}

export function readDatabaseFile(ref: DatabaseRef, maxBytes: number): DatabaseSnapshot {
  const real = realPathOf(ref);
  let fd: number;
  try {
    fd = fs.openSync(real, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  } catch (error) {
    throw new ToolError(`Cannot open the database ${ref.id} (${ref.path}): ${codeOf(error)}.`);
  }
  try {
    const stat = fs.fstatSync(fd, { bigint: true });
    const size = checkedSize(ref, stat, maxBytes);
    return { bytes: checkedHeader(ref, readAll(fd, size)), signature: signatureOf(stat) };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The same read, through the thread pool, into memory of its own (never Node's shared buffer
 * pool), so the bytes can be handed to the worker thread without a copy. Nothing waits on the
 * event loop meanwhile.
 */
export async function readDatabaseFileAsync(ref: DatabaseRef, maxBytes: number): Promise<DatabaseSnapshot> {
  const real = realPathOf(ref);
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(real, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  } catch (error) {
    throw new ToolError(`Cannot open the database ${ref.id} (${ref.path}): ${codeOf(error)}.`);
  }
  try {
    const stat = await handle.stat({ bigint: true });
    const size = checkedSize(ref, stat, maxBytes);
    const buffer = Buffer.allocUnsafeSlow(size);
    let filled = 0;
    while (filled < size) {
      const { bytesRead } = await handle.read(buffer, filled, size - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return { bytes: checkedHeader(ref, buffer.subarray(0, filled)), signature: signatureOf(stat) };
  } finally {
    await handle.close();
  }
}

function checkedSize(ref: DatabaseRef, stat: fs.BigIntStats, maxBytes: number): number {
  if (!stat.isFile()) throw new ToolError(`The database ${ref.id} (${ref.path}) is not a regular file.`);
  const size = Number(stat.size);
  if (size > maxBytes) throw new ToolError(oversizeMessage(ref.id, size, maxBytes));
  return size;
}

function checkedHeader(ref: DatabaseRef, bytes: Buffer): Buffer {
  if (bytes.length > 0 && !bytes.subarray(0, SQLITE_HEADER.length).equals(SQLITE_HEADER)) {
    throw new ToolError(`${ref.id} (${ref.path}) is not an SQLite database: it does not start with "SQLite format 3".`);
  }
  return bytes;
}

function realPathOf(ref: DatabaseRef): string {
  let real: string;
  try {
    real = fs.realpathSync.native(ref.path);
  } catch (error) {
    throw new ToolError(`The database file ${ref.path} cannot be reached (${codeOf(error)}); it may have been moved or deleted. Call list_databases.`);
  }
  if (ref.root !== undefined && !isInside(real, ref.root)) {
    throw new ToolError(`The database ${ref.id} now resolves outside its folder ${ref.root} (through a symbolic link), so it is not read.`);
  }
  return real;
}

function readAll(fd: number, size: number): Buffer {
  const buffer = Buffer.allocUnsafe(size);
  let filled = 0;
  while (filled < size) {
    const n = fs.readSync(fd, buffer, filled, size - filled, filled);
    if (n === 0) break; // the file shrank while being read; the next call sees the new signature
    filled += n;
  }
  return buffer.subarray(0, filled);
}

function codeOf(error: unknown): string {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') return error.code;
  return error instanceof Error ? error.message : String(error);
}
