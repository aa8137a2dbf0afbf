/**
 * The files of one log directory: numbered JSON Lines files (segments), the checkpoint and the
 * writer's lock. Segments are ordered by their number, never by name or time.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { linesBackward, linesForward } from './lineReaders';

export const HEAD_FILE = 'audit.head';
export const LOCK_FILE = 'audit.lock';
const SEGMENT_NAME = /^audit-(\d{6,})\.jsonl$/;

export interface Segment {
  readonly index: number;
  readonly name: string;
  readonly path: string;
}

export function segmentName(index: number): string {
  return `audit-${String(index).padStart(6, '0')}.jsonl`;
}

export function segmentAt(dir: string, index: number): Segment {
  const name = segmentName(index);
  return { index, name, path: path.join(dir, name) };
}

/** The directory's segments, oldest first; none when the directory does not exist. */
export async function listSegments(dir: string): Promise<Segment[]> {
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
  const segments: Segment[] = [];
  for (const name of names) {
    const match = SEGMENT_NAME.exec(name);
    if (match) segments.push({ index: Number(match[1]), name, path: path.join(dir, name) });
  }
  return segments.sort((a, b) => a.index - b.index);
}

/** The first complete line of a file, or undefined when it has none. */
export async function firstLine(filePath: string): Promise<Buffer | undefined> {
  for await (const line of linesForward(filePath)) return line.complete ? line.bytes : undefined;
  return undefined;
}

/** The last complete line of a file, or undefined when it has none. */
export async function lastLine(filePath: string): Promise<Buffer | undefined> {
  for await (const line of linesBackward(filePath)) if (line.complete) return line.bytes;
  return undefined;
}

export function isNotFound(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}

/** Makes a directory entry (a created, renamed or deleted file) durable. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await fsp.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
