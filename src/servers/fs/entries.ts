/** How the tools name what a directory entry is, and the one order they list entries in. */
import type * as fs from 'node:fs';

export type EntryType = 'file' | 'directory' | 'symlink' | 'other';

/** The type of an entry as `lstat` saw it (a link is a link, not what it leads to). */
export function entryType(stat: fs.Stats): EntryType {
  if (stat.isFile()) return 'file';
  if (stat.isDirectory()) return 'directory';
  if (stat.isSymbolicLink()) return 'symlink';
  return 'other';
}

/** Locale-independent, so the order is the same on every machine. */
export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
