/** The command line of the filesystem server, parsed without side effects. */

export const DEFAULT_MAX_BYTES = 256 * 1024;
export const HARD_MAX_BYTES = 4 * 1024 * 1024;

export const USAGE = [
  'Usage: node dist/servers/fs.js --root <dir> [--root <dir> ...] [--max-bytes <n>]',
  '  --root <dir>       a workspace folder the tools may read (repeatable; at least one).',
  '                     Relative paths in tool calls resolve against the first one.',
  `  --max-bytes <n>    most bytes of file content one read returns (default ${DEFAULT_MAX_BYTES}, at most ${HARD_MAX_BYTES}).`,
].join('\n');

export interface FsServerArgs {
  readonly roots: readonly string[];
  readonly maxBytes: number;
}

export type ParsedArgs =
  | { kind: 'run'; args: FsServerArgs }
  | { kind: 'help' }
  | { kind: 'error'; message: string };

export function parseFsServerArgs(argv: readonly string[]): ParsedArgs {
  const roots: string[] = [];
  let maxBytes = DEFAULT_MAX_BYTES;
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    if (flag === '--help' || flag === '-h') return { kind: 'help' };
    if (flag !== '--root' && flag !== '--max-bytes') return { kind: 'error', message: `Unknown argument ${JSON.stringify(flag)}.` };
    const value = argv[i + 1];
    if (value === undefined || value === '' || value.startsWith('--')) {
      return { kind: 'error', message: `${flag} needs a value.` };
    }
    i += 1;
    if (flag === '--root') {
      roots.push(value);
      continue;
    }
    const parsed = /^[1-9][0-9]{0,9}$/.test(value) ? Number(value) : NaN;
    if (!(parsed <= HARD_MAX_BYTES)) {
      return { kind: 'error', message: `--max-bytes must be a whole number from 1 to ${HARD_MAX_BYTES}, not ${JSON.stringify(value)}.` };
    }
    maxBytes = parsed;
  }
  if (roots.length === 0) return { kind: 'error', message: 'At least one --root <dir> is required.' };
  return { kind: 'run', args: { roots, maxBytes } };
}
