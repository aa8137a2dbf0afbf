/**
 * The databases the server offers: files named with --db, and files ending in .sqlite, .sqlite3
 * or .db found under each --root. Roots are walked to a bounded depth and entry count, skipping
 * .git and node_modules and never following a symbolic link. A --db path that lies inside a root
 * must stay inside it by real path, then and every time it is read.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isInside } from '../fs/jail';
import { ToolError } from '../shared/toolResult';
import type { DatabaseRef } from './protocol';

export const DATABASE_EXTENSIONS: readonly string[] = ['.sqlite', '.sqlite3', '.db'];
export const WALK_LIMITS = { maxDepth: 8, maxEntries: 20_000, maxDatabases: 200 } as const;
const SKIPPED_FOLDERS = new Set(['.git', 'node_modules']);

/** Thrown at start-up when a --db or --root cannot be used. */
export class CatalogSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CatalogSetupError';
  }
}

interface Root {
  readonly real: string;
  readonly given: string;
}

export interface CatalogListing {
  readonly databases: readonly DatabaseRef[];
  /** True when a walk stopped at its depth, entry or database limit. */
  readonly walkTruncated: boolean;
}

export class Catalog {
  private constructor(
    private readonly files: readonly DatabaseRef[],
    /** The real paths of `files`, so a root's walk does not list one of them twice. */
    private readonly fileRealPaths: ReadonlySet<string>,
    private readonly roots: readonly Root[],
  ) {}

  /** Checks the command line's files and folders (relative ones against `cwd`). */
  static create(dbs: readonly string[], rootFolders: readonly string[], cwd = process.cwd()): Catalog {
    const roots: Root[] = rootFolders.map((folder) => {
      const given = path.resolve(cwd, folder);
      const real = realpathOrFail(given, `--root ${JSON.stringify(folder)}`);
      if (!fs.statSync(real).isDirectory()) throw new CatalogSetupError(`--root ${JSON.stringify(folder)} is not a directory.`);
      return { real, given };
    });
    const realPaths = new Set<string>();
    const files: DatabaseRef[] = [];
    for (const db of dbs) {
      const given = path.resolve(cwd, db);
      const real = realpathOrFail(given, `--db ${JSON.stringify(db)}`);
      if (!fs.statSync(real).isFile()) throw new CatalogSetupError(`--db ${JSON.stringify(db)} is not a file.`);
      const root = roots.find((r) => isInside(given, r.real) || isInside(given, r.given));
      if (root !== undefined && !isInside(real, root.real)) {
        throw new CatalogSetupError(`--db ${JSON.stringify(db)} lies inside --root ${root.given} but leads outside it through a symbolic link (to ${real}).`);
      }
      if (realPaths.has(real)) continue;
      realPaths.add(real);
      files.push(root === undefined ? { id: '', path: given } : { id: '', path: given, root: root.real });
    }
    return new Catalog(files, realPaths, roots);
  }

  /** The databases given with --db, named as `list` names them, without walking the roots. */
  named(): DatabaseRef[] {
    const ids = new Set<string>();
    return this.files.map((file) => ({ ...file, id: uniqueId(ids, path.basename(file.path)) }));
  }

  /** Every database, roots walked afresh. Ids are stable: a --db's file name, or a root-relative path. */
  list(): CatalogListing {
    const found = this.named();
    const ids = new Set(found.map((ref) => ref.id));
    const add = (ref: DatabaseRef, id: string): void => {
      found.push({ ...ref, id: uniqueId(ids, id) });
    };
    const seen = new Set(this.fileRealPaths);
    let walkTruncated = false;
    for (const root of this.roots) {
      const walk = walkRoot(root.real);
      walkTruncated ||= walk.truncated;
      const prefix = this.roots.length > 1 ? `${path.basename(root.real)}/` : '';
      for (const file of walk.files) {
        if (seen.has(file)) continue;
        seen.add(file);
        add({ id: '', path: file, root: root.real }, prefix + path.relative(root.real, file).split(path.sep).join('/'));
      }
    }
    return { databases: found, walkTruncated };
  }

  /** The database a tool names; with one database, the name may be left out. */
  find(id: string | undefined): DatabaseRef {
    const { databases } = this.list();
    if (id === undefined) {
      if (databases.length === 1 && databases[0] !== undefined) return databases[0];
      throw new ToolError(`Name the database: this server has ${databases.length === 0 ? 'none' : `several (${describeIds(databases)})`}.`);
    }
    const exact = databases.find((d) => d.id === id);
    if (exact !== undefined) return exact;
    const loose = databases.filter((d) => stripExtension(d.id) === id);
    if (loose.length === 1 && loose[0] !== undefined) return loose[0];
    const available = databases.length === 0 ? 'This server has no databases.' : `Databases: ${describeIds(databases)}.`;
    throw new ToolError(`Unknown database ${JSON.stringify(id)}. ${available} Call list_databases for their paths and sizes.`);
  }
}

function describeIds(databases: readonly DatabaseRef[]): string {
  const ids = databases.map((d) => d.id);
  return ids.length > 30 ? `${ids.slice(0, 30).join(', ')}, …` : ids.join(', ');
}

function stripExtension(id: string): string {
  const extension = DATABASE_EXTENSIONS.find((e) => id.toLowerCase().endsWith(e));
  return extension === undefined ? id : id.slice(0, -extension.length);
}

function realpathOrFail(given: string, shown: string): string {
  try {
    return fs.realpathSync.native(given);
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : String(error);
    throw new CatalogSetupError(`${shown} does not exist or cannot be read (${code}).`);
  }
}

/** Database files under `root`, sorted, depth-first; symbolic links are never followed. */
function walkRoot(root: string): { files: string[]; truncated: boolean } {
  const files: string[] = [];
  let entries = 0;
  let truncated = false;
  const visit = (dir: string, depth: number): void => {
    let listing: fs.Dirent[];
    try {
      listing = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      truncated = true; // an unreadable folder is reported as an incomplete walk
      return;
    }
    listing.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of listing) {
      entries += 1;
      if (entries > WALK_LIMITS.maxEntries || files.length >= WALK_LIMITS.maxDatabases) {
        truncated = true;
        return;
      }
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && !SKIPPED_FOLDERS.has(entry.name)) {
        if (depth >= WALK_LIMITS.maxDepth) truncated = true;
        else visit(full, depth + 1);
      } else if (entry.isFile() && DATABASE_EXTENSIONS.some((e) => entry.name.toLowerCase().endsWith(e))) {
        files.push(full);
      }
    }
  };
  visit(root, 0);
  return { files, truncated };
}

/** `id`, or `id (2)`, `id (3)`… when taken; the result is added to `ids`. */
function uniqueId(ids: Set<string>, id: string): string {
  let unique = id;
  for (let n = 2; ids.has(unique); n += 1) unique = `${id} (${n})`;
  ids.add(unique);
  return unique;
}
