// The SQLite databases the benchmarks read, generated once with the sqlite3 CLI and cached in
// bench/.cache/ (git-ignored). Rows are deterministic, about 105 bytes of file each.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { cacheDir } from './common.mjs';

const VERSION = 1;
const BYTES_PER_ROW = 105;

/** Whether the sqlite3 CLI runs; a line saying how to get it when it does not. */
export function sqliteCli() {
  const probe = spawnSync('sqlite3', ['-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    return { ok: false, message: 'The sqlite3 command-line tool is not installed. Install it with: sudo apt-get install -y sqlite3' };
  }
  return { ok: true, version: probe.stdout.trim().split(' ')[0] };
}

/** A database of about `megabytes` MB with a table `items` of `rows` rows; built when missing. */
export function benchDatabase(megabytes, log) {
  const rows = Math.round((megabytes * 1024 * 1024) / BYTES_PER_ROW);
  const file = path.join(cacheDir, `items-${megabytes}mb-v${VERSION}.db`);
  if (existsSync(file)) return { file, rows, bytes: statSync(file).size };
  mkdirSync(cacheDir, { recursive: true });
  log(`  generating ${path.relative(process.cwd(), file)} (${rows} rows; once, then cached)`);
  const partial = `${file}.partial`;
  rmSync(partial, { force: true });
  const sql = [
    'PRAGMA journal_mode=OFF;',
    'PRAGMA synchronous=OFF;',
    'CREATE TABLE items(id INTEGER PRIMARY KEY, category INTEGER NOT NULL, value REAL NOT NULL, name TEXT NOT NULL, note TEXT NOT NULL);',
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${rows})`,
    "INSERT INTO items SELECT i, i % 100, (i * 7919 % 100000) / 100.0, 'item-' || i,",
    "  printf('note %08d: the quick brown fox jumps over the lazy dog %d', i, i * 31 % 1000) FROM n;",
    'CREATE INDEX items_category ON items(category);',
  ].join('\n');
  const made = spawnSync('sqlite3', [partial], { input: sql, encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`sqlite3 could not build ${partial}: ${made.stderr}`);
  renameSync(partial, file);
  return { file, rows, bytes: statSync(file).size };
}
