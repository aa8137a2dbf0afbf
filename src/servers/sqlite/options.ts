/** The command line of the SQLite server, parsed without side effects. */

export const DEFAULT_MAX_DB_BYTES = 256 * 1024 * 1024;
export const DEFAULT_MAX_ROWS = 500;
export const DEFAULT_MAX_RESULT_BYTES = 256 * 1024;
export const DEFAULT_TIMEOUT_MS = 10_000;

interface NumberFlag {
  readonly key: keyof Omit<SqliteServerArgs, 'dbs' | 'roots'>;
  readonly min: number;
  readonly max: number;
}

const NUMBER_FLAGS: { readonly [flag: string]: NumberFlag } = {
  '--max-db-bytes': { key: 'maxDatabaseBytes', min: 1, max: 2 * 1024 * 1024 * 1024 },
  '--max-rows': { key: 'maxRows', min: 1, max: 100_000 },
  '--max-result-bytes': { key: 'maxResultBytes', min: 1024, max: 16 * 1024 * 1024 },
  '--timeout-ms': { key: 'timeoutMs', min: 1, max: 3_600_000 },
};

export const USAGE = [
  'Usage: node dist/servers/sqlite.js (--db <file> | --root <dir>)... [options]',
  '  --db <file>               an SQLite database file the tools may read (repeatable).',
  '  --root <dir>              a folder whose *.sqlite, *.sqlite3 and *.db files the tools may read (repeatable);',
  '                            symbolic links are not followed. At least one --db or --root is required.',
  `  --max-db-bytes <n>        largest database file to load; each is held in memory whole (default ${DEFAULT_MAX_DB_BYTES}).`,
  `  --max-rows <n>            most rows one query returns (default ${DEFAULT_MAX_ROWS}).`,
  `  --max-result-bytes <n>    most bytes of rows, as JSON, one query returns (default ${DEFAULT_MAX_RESULT_BYTES}).`,
  `  --timeout-ms <n>          how long one call may run before it is stopped (default ${DEFAULT_TIMEOUT_MS}).`,
  'The database files are read, never written.',
].join('\n');

export interface SqliteServerArgs {
  readonly dbs: readonly string[];
  readonly roots: readonly string[];
  readonly maxDatabaseBytes: number;
  readonly maxRows: number;
  readonly maxResultBytes: number;
  readonly timeoutMs: number;
}

export type ParsedArgs = { kind: 'run'; args: SqliteServerArgs } | { kind: 'help' } | { kind: 'error'; message: string };

export function parseSqliteServerArgs(argv: readonly string[]): ParsedArgs {
  const dbs: string[] = [];
  const roots: string[] = [];
  const numbers = { maxDatabaseBytes: DEFAULT_MAX_DB_BYTES, maxRows: DEFAULT_MAX_ROWS, maxResultBytes: DEFAULT_MAX_RESULT_BYTES, timeoutMs: DEFAULT_TIMEOUT_MS };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i] ?? '';
    if (flag === '--help' || flag === '-h') return { kind: 'help' };
    const numeric = NUMBER_FLAGS[flag];
    if (flag !== '--db' && flag !== '--root' && numeric === undefined) return { kind: 'error', message: `Unknown argument ${JSON.stringify(flag)}.` };
    const value = argv[i + 1];
    if (value === undefined || value === '' || value.startsWith('--')) return { kind: 'error', message: `${flag} needs a value.` };
    i += 1;
    if (flag === '--db') dbs.push(value);
    else if (flag === '--root') roots.push(value);
    else if (numeric !== undefined) {
      const parsed = /^[1-9][0-9]{0,12}$/.test(value) ? Number(value) : NaN;
      if (!(parsed >= numeric.min && parsed <= numeric.max)) {
        return { kind: 'error', message: `${flag} must be a whole number from ${numeric.min} to ${numeric.max}, not ${JSON.stringify(value)}.` };
      }
      numbers[numeric.key] = parsed;
    }
  }
  if (dbs.length === 0 && roots.length === 0) return { kind: 'error', message: 'At least one --db <file> or --root <dir> is required.' };
  return { kind: 'run', args: { dbs, roots, ...numbers } };
}
