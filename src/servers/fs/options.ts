/** The command line of the filesystem server, parsed without side effects. */
import { DEFAULT_SECRET_RULES } from './secretFiles';

export const DEFAULT_MAX_BYTES = 256 * 1024;
export const HARD_MAX_BYTES = 4 * 1024 * 1024;

export const USAGE = [
  'Usage: node dist/servers/fs.js --root <dir> [--root <dir> ...] [--max-bytes <n>]',
  '                               [--deny <glob> ...] [--allow-secret <glob> ...] [--no-default-deny]',
  '  --root <dir>           a workspace folder the tools may read (repeatable; at least one).',
  '                         Relative paths in tool calls resolve against the first one.',
  `  --max-bytes <n>        most bytes of file content one read returns (default ${DEFAULT_MAX_BYTES}, at most ${HARD_MAX_BYTES}).`,
  '  --deny <glob>          also deny files matching this secret-file rule (repeatable).',
  '  --allow-secret <glob>  exempt files matching this glob from the secret-file rules (repeatable).',
  '  --no-default-deny      drop the built-in secret-file rules:',
  `                         ${DEFAULT_SECRET_RULES.join(' ')}`,
  '  A rule matches any run of whole names in a path relative to its folder, case-insensitively,',
  '  and covers everything beneath it: ".git" denies every file under any .git directory.',
].join('\n');

export interface FsServerArgs {
  readonly roots: readonly string[];
  readonly maxBytes: number;
  readonly deny: readonly string[];
  readonly allowSecret: readonly string[];
  readonly defaultDeny: boolean;
}

export type ParsedArgs =
  | { kind: 'run'; args: FsServerArgs }
  | { kind: 'help' }
  | { kind: 'error'; message: string };

const VALUE_FLAGS = new Set(['--root', '--max-bytes', '--deny', '--allow-secret']);

export function parseFsServerArgs(argv: readonly string[]): ParsedArgs {
  const roots: string[] = [];
  const deny: string[] = [];
  const allowSecret: string[] = [];
  let maxBytes = DEFAULT_MAX_BYTES;
  let defaultDeny = true;
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i] ?? '';
    if (flag === '--help' || flag === '-h') return { kind: 'help' };
    if (flag === '--no-default-deny') {
      defaultDeny = false;
      continue;
    }
    if (!VALUE_FLAGS.has(flag)) return { kind: 'error', message: `Unknown argument ${JSON.stringify(flag)}.` };
    const value = argv[i + 1];
    if (value === undefined || value === '' || value.startsWith('--')) {
      return { kind: 'error', message: `${flag} needs a value.` };
    }
    i += 1;
    if (flag === '--root') roots.push(value);
    else if (flag === '--deny') deny.push(value);
    else if (flag === '--allow-secret') allowSecret.push(value);
    else {
      const parsed = /^[1-9][0-9]{0,9}$/.test(value) ? Number(value) : NaN;
      if (!(parsed <= HARD_MAX_BYTES)) {
        return { kind: 'error', message: `--max-bytes must be a whole number from 1 to ${HARD_MAX_BYTES}, not ${JSON.stringify(value)}.` };
      }
      maxBytes = parsed;
    }
  }
  if (roots.length === 0) return { kind: 'error', message: 'At least one --root <dir> is required.' };
  return { kind: 'run', args: { roots, maxBytes, deny, allowSecret, defaultDeny } };
}
