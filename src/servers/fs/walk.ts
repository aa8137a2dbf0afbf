/**
 * Walks a directory tree inside the jail for find and search: depth first, each directory's
 * entries in code-unit order (so the same tree always gives the same sequence, which is what makes
 * paging by offset sound), never following a symbolic link, skipping entries a secret-file rule
 * denies and entries an exclusion matches (without descending into them).
 *
 * Directories are listed by path, so a directory swapped for a link in the middle of a walk could
 * show the names of what the link leads to; it never shows their content, because every file is
 * opened through the jail's verified open.
 *
 * Bounded: it stops after `maxDirectories` directories or `maxEntries` entries and says which bound
 * it met, so a huge tree ends with a partial answer rather than a walk that never ends. Every few
 * directories it lets the event loop run, so a cancellation can arrive, and stops when the signal
 * is aborted.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Glob } from './glob';
import type { Jail, JailedPath } from './jail';
import { byCodeUnit, entryType, type EntryType } from './entries';

export interface WalkLimits {
  readonly maxDirectories: number;
  readonly maxEntries: number;
}

export const DEFAULT_WALK_LIMITS: WalkLimits = { maxDirectories: 10_000, maxEntries: 200_000 };

/** Exclusions find and search apply unless told otherwise. */
export const DEFAULT_EXCLUDES: readonly string[] = ['node_modules', '.git', 'dist', 'out'];

export interface WalkEntry {
  /** Relative to the workspace folder, `/`-separated. */
  readonly relative: string;
  readonly real: string;
  readonly type: EntryType;
}

export interface WalkOptions {
  readonly jail: Jail;
  /** A directory the jail resolved. */
  readonly start: JailedPath;
  readonly exclude: readonly Glob[];
  readonly limits: WalkLimits;
  readonly signal: AbortSignal;
}

export type WalkStop = 'directories' | 'entries' | 'cancelled';

/** What the walk saw; `stoppedBy` is set when it ended before the tree did. */
export interface WalkSummary {
  directoriesVisited: number;
  entriesSeen: number;
  skippedSecret: number;
  stoppedBy?: WalkStop;
}

interface Frame {
  readonly real: string;
  readonly relative: string;
  readonly entries: readonly fs.Dirent[];
  index: number;
}

const YIELD_EVERY_DIRECTORIES = 32;

export async function* walk(options: WalkOptions, summary: WalkSummary): AsyncGenerator<WalkEntry, void, undefined> {
  const { jail, limits, exclude } = options;
  const frames: Frame[] = [];
  const open = (real: string, relative: string): boolean => {
    if (summary.directoriesVisited >= limits.maxDirectories) {
      summary.stoppedBy = 'directories';
      return false;
    }
    summary.directoriesVisited += 1;
    const entries = readEntries(real, limits.maxEntries - summary.entriesSeen);
    summary.entriesSeen += entries.length;
    if (summary.entriesSeen >= limits.maxEntries) summary.stoppedBy = 'entries';
    frames.push({ real, relative, entries, index: 0 });
    return true;
  };
  open(options.start.real, options.start.relative);
  while (frames.length > 0 && summary.stoppedBy !== 'directories') {
    const frame = frames[frames.length - 1];
    if (frame === undefined) break;
    const dirent = frame.entries[frame.index];
    if (dirent === undefined) {
      frames.pop();
      continue;
    }
    frame.index += 1;
    const relative = frame.relative === '' ? dirent.name : `${frame.relative}/${dirent.name}`;
    if (jail.secrets.ruleFor(relative) !== undefined) {
      summary.skippedSecret += 1;
      continue;
    }
    if (exclude.some((glob) => glob.matches(relative))) continue;
    const real = path.join(frame.real, dirent.name);
    const type = direntType(dirent, real);
    if (type === undefined) continue; // vanished since it was listed
    yield { relative, real, type };
    if (type !== 'directory' || summary.stoppedBy === 'entries') continue;
    if (summary.directoriesVisited % YIELD_EVERY_DIRECTORIES === 0) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (options.signal.aborted) {
        summary.stoppedBy = 'cancelled';
        return;
      }
    }
    open(real, relative);
  }
}

/** At most `budget` entries of a directory, sorted; none when it cannot be read. */
function readEntries(real: string, budget: number): fs.Dirent[] {
  let dir: fs.Dir;
  try {
    dir = fs.opendirSync(real);
  } catch (error) {
    if (error instanceof Error) return []; // unreadable or gone: nothing to list
    throw error;
  }
  const entries: fs.Dirent[] = [];
  try {
    for (let entry = dir.readSync(); entry !== null && entries.length < budget; entry = dir.readSync()) entries.push(entry);
  } finally {
    dir.closeSync();
  }
  return entries.sort((a, b) => byCodeUnit(a.name, b.name));
}

function direntType(dirent: fs.Dirent, real: string): EntryType | undefined {
  if (dirent.isFile()) return 'file';
  if (dirent.isDirectory()) return 'directory';
  if (dirent.isSymbolicLink()) return 'symlink';
  if (dirent.isFIFO() || dirent.isSocket() || dirent.isBlockDevice() || dirent.isCharacterDevice()) return 'other';
  // The file system did not say (DT_UNKNOWN): ask without following.
  const stat = fs.lstatSync(real, { throwIfNoEntry: false });
  return stat === undefined ? undefined : entryType(stat);
}
