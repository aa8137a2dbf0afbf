/**
 * The gateway's command line. Either it serves (`--config <file>` with `--stdio` or
 * `--http 127.0.0.1:PORT`), or it checks an audit log (`--verify-audit <dir> --key-file <file>`).
 * A mistake is reported with the usage text, and the process exits with code 2.
 */
export const USAGE = `Usage:
  node gateway.js --config <warden.json> [--stdio]
  node gateway.js --config <warden.json> --http 127.0.0.1:<port> [--token <token>]
  node gateway.js --verify-audit <dir> --key-file <file>

  --config        the gateway's configuration (servers, builtin, policy, audit)
  --stdio         serve MCP over stdin and stdout (the default)
  --http          serve MCP over Streamable HTTP at http://<host>:<port>/mcp
  --token         the bearer token HTTP clients must send; default: generated once and kept
                  next to the audit key
  --verify-audit  check an audit log's chain and print the report (exit 0 intact, 1 broken)
  --key-file      the audit key the log was written with`;

export type GatewayOptions =
  | { readonly kind: 'serve'; readonly config: string; readonly transport: { readonly kind: 'stdio' } | { readonly kind: 'http'; readonly host: string; readonly port: number }; readonly token?: string }
  | { readonly kind: 'verify'; readonly dir: string; readonly keyFile: string };

export class UsageError extends Error {}

const VALUED = new Set(['--config', '--http', '--token', '--verify-audit', '--key-file']);
const FLAGS = new Set(['--stdio']);

export function parseOptions(argv: readonly string[]): GatewayOptions {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (FLAGS.has(arg)) {
      flags.add(arg);
    } else if (VALUED.has(arg)) {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`${arg} needs a value.`);
      if (values.has(arg)) throw new UsageError(`${arg} was given twice.`);
      values.set(arg, value);
      i++;
    } else {
      throw new UsageError(`Unknown argument "${arg}".`);
    }
  }
  const verify = values.get('--verify-audit');
  if (verify !== undefined) {
    const keyFile = values.get('--key-file');
    if (keyFile === undefined) throw new UsageError('--verify-audit needs --key-file: the key the log was written with.');
    if (values.has('--config') || values.has('--http') || flags.has('--stdio')) throw new UsageError('--verify-audit cannot be combined with serving options.');
    return { kind: 'verify', dir: verify, keyFile };
  }
  const config = values.get('--config');
  if (config === undefined) throw new UsageError('--config is required: the gateway needs to know which servers to host.');
  if (values.has('--key-file')) throw new UsageError('--key-file belongs with --verify-audit; when serving, the key file is named in the configuration.');
  const http = values.get('--http');
  const token = values.get('--token');
  if (http !== undefined && flags.has('--stdio')) throw new UsageError('Choose one of --stdio and --http.');
  if (http === undefined) {
    if (token !== undefined) throw new UsageError('--token applies only to --http.');
    return { kind: 'serve', config, transport: { kind: 'stdio' } };
  }
  if (token !== undefined && token.length < 16) throw new UsageError('--token must be at least 16 characters long.');
  return { kind: 'serve', config, transport: { kind: 'http', ...parseAddress(http) }, ...(token !== undefined && { token }) };
}

function parseAddress(value: string): { host: string; port: number } {
  const match = /^(127\.0\.0\.1|localhost|\[::1\]):(\d{1,5})$/.exec(value);
  if (!match) {
    throw new UsageError(`--http "${value}" must be 127.0.0.1:<port>, localhost:<port> or [::1]:<port>: the gateway listens only on this machine.`);
  }
  const port = Number(match[2]);
  if (port > 65535) throw new UsageError(`--http port ${port} is out of range (0-65535).`);
  const host = match[1] === '[::1]' ? '::1' : match[1] === 'localhost' ? '127.0.0.1' : match[1]!;
  return { host, port };
}
