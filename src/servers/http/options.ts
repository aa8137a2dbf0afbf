/** The command line of the HTTP fetch server, parsed without side effects. */
import { parseHostPattern, type HostPattern } from './hostPattern';

export const DEFAULT_MAX_BYTES = 64 * 1024;
export const HARD_MAX_BYTES = 4 * 1024 * 1024;
export const DEFAULT_TIMEOUT_MS = 15_000;
export const MAX_TIMEOUT_MS = 600_000;
export const DEFAULT_DOWNLOAD_LIMIT = 8 * 1024 * 1024;
export const HARD_DOWNLOAD_LIMIT = 256 * 1024 * 1024;
const MIN_BYTES = 64;

export const USAGE = [
  'Usage: node dist/servers/http.js --allow <host> [--allow <host> ...] [--allow-private] [--allow-port <n> ...]',
  '                                 [--max-bytes <n>] [--max-download-bytes <n>] [--timeout-ms <n>]',
  '  --allow <host>            a host the fetch tool may reach (repeatable): api.example.com, *.example.com',
  '                            (its subdomains, not example.com itself), or an IP address. Without any,',
  '                            every fetch is refused.',
  '  --allow-private           also reach loopback and private addresses (never cloud metadata addresses).',
  '  --allow-port <n>          a port besides 80 and 443 (repeatable).',
  `  --max-bytes <n>           most bytes of text one call returns (default ${DEFAULT_MAX_BYTES}, ${MIN_BYTES} to ${HARD_MAX_BYTES}).`,
  `  --max-download-bytes <n>  most bytes of body read per call (default ${DEFAULT_DOWNLOAD_LIMIT}, at most ${HARD_DOWNLOAD_LIMIT}).`,
  `  --timeout-ms <n>          deadline for a whole fetch, redirects included (default ${DEFAULT_TIMEOUT_MS}, at most ${MAX_TIMEOUT_MS}).`,
].join('\n');

export interface HttpServerArgs {
  readonly patterns: readonly HostPattern[];
  readonly allowPrivate: boolean;
  readonly extraPorts: readonly number[];
  readonly maxBytes: number;
  readonly downloadLimit: number;
  readonly timeoutMs: number;
}

export type ParsedArgs = { kind: 'run'; args: HttpServerArgs } | { kind: 'help' } | { kind: 'error'; message: string };

const VALUE_FLAGS = new Set(['--allow', '--allow-port', '--max-bytes', '--max-download-bytes', '--timeout-ms']);

export function parseHttpServerArgs(argv: readonly string[]): ParsedArgs {
  const patterns: HostPattern[] = [];
  const extraPorts: number[] = [];
  let allowPrivate = false;
  let maxBytes = DEFAULT_MAX_BYTES;
  let downloadLimit = DEFAULT_DOWNLOAD_LIMIT;
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i] ?? '';
    if (flag === '--help' || flag === '-h') return { kind: 'help' };
    if (flag === '--allow-private') {
      allowPrivate = true;
      continue;
    }
    if (!VALUE_FLAGS.has(flag)) return { kind: 'error', message: `Unknown argument ${JSON.stringify(flag)}.` };
    const value = argv[i + 1];
    if (value === undefined || value === '' || value.startsWith('--')) return { kind: 'error', message: `${flag} needs a value.` };
    i += 1;
    switch (flag) {
      case '--allow': {
        const parsed = parseHostPattern(value);
        if (!parsed.ok) return { kind: 'error', message: `--allow: ${parsed.message}` };
        if (!patterns.some((p) => p.kind === parsed.pattern.kind && p.host === parsed.pattern.host)) patterns.push(parsed.pattern);
        break;
      }
      case '--allow-port': {
        const port = wholeNumber(value, 1, 65535);
        if (port === undefined) return { kind: 'error', message: `--allow-port must be a port number from 1 to 65535, not ${JSON.stringify(value)}.` };
        if (!extraPorts.includes(port) && port !== 80 && port !== 443) extraPorts.push(port);
        break;
      }
      case '--max-bytes': {
        const n = wholeNumber(value, MIN_BYTES, HARD_MAX_BYTES);
        if (n === undefined) return { kind: 'error', message: `--max-bytes must be a whole number from ${MIN_BYTES} to ${HARD_MAX_BYTES}, not ${JSON.stringify(value)}.` };
        maxBytes = n;
        break;
      }
      case '--max-download-bytes': {
        const n = wholeNumber(value, MIN_BYTES, HARD_DOWNLOAD_LIMIT);
        if (n === undefined) {
          return { kind: 'error', message: `--max-download-bytes must be a whole number from ${MIN_BYTES} to ${HARD_DOWNLOAD_LIMIT}, not ${JSON.stringify(value)}.` };
        }
        downloadLimit = n;
        break;
      }
      default: {
        const n = wholeNumber(value, 1, MAX_TIMEOUT_MS);
        if (n === undefined) return { kind: 'error', message: `--timeout-ms must be a whole number from 1 to ${MAX_TIMEOUT_MS}, not ${JSON.stringify(value)}.` };
        timeoutMs = n;
      }
    }
  }
  return { kind: 'run', args: { patterns, allowPrivate, extraPorts, maxBytes, downloadLimit, timeoutMs } };
}

function wholeNumber(text: string, min: number, max: number): number | undefined {
  if (!/^[1-9][0-9]{0,9}$/.test(text)) return undefined;
  const n = Number(text);
  return n >= min && n <= max ? n : undefined;
}
