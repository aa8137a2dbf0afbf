/**
 * How to reach one hosted MCP server: a local process spoken to over stdio (commands are an argv
 * array; no shell ever sees them), or a remote endpoint spoken to over Streamable HTTP. Everything
 * above the transport (timeouts, circuit breaker, policy, audit) treats both alike.
 */
interface CommonDefinition {
  /** Stable id, used in tool names, settings and logs: `[a-z0-9_-]+`. */
  readonly id: string;
  readonly label: string;
  /** Shipped with Warden; its tool annotations are trusted. */
  readonly builtin: boolean;
  /**
   * Its tools need no approval (unless they hold hidden characters): a changed definition is not
   * held back. Default: `builtin`.
   */
  readonly approveToolsImplicitly?: boolean;
  /** The longest message accepted from it, in bytes; a longer one stops the server. Default 16 MiB. */
  readonly maxMessageBytes?: number;
}

/** A local process. `kind` may be left out: a definition without one is a stdio server. */
export interface StdioServerDefinition extends CommonDefinition {
  readonly kind?: 'stdio';
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  /** Added to the allow-listed environment. */
  readonly env?: Readonly<Record<string, string>>;
}

/** A remote server's Streamable HTTP endpoint. */
export interface HttpServerDefinition extends CommonDefinition {
  readonly kind: 'http';
  /** The MCP endpoint, http(s) only (see `checkRemoteUrl`). */
  readonly url: string;
  /** Sent with every request; values may be secrets, so they are never logged or shown. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as `Authorization: Bearer <token>`. */
  readonly bearerToken?: string;
  /** Plain http to a host other than this machine was allowed explicitly. */
  readonly allowInsecureHttp?: boolean;
}

export type ServerDefinition = StdioServerDefinition | HttpServerDefinition;

export function isHttpDefinition(definition: ServerDefinition): definition is HttpServerDefinition {
  return definition.kind === 'http';
}

/** True when both definitions reach the same server the same way: no restart is needed. */
export function sameLaunch(a: ServerDefinition, b: ServerDefinition): boolean {
  if (a.maxMessageBytes !== b.maxMessageBytes) return false;
  if (isHttpDefinition(a) || isHttpDefinition(b)) {
    return (
      isHttpDefinition(a) &&
      isHttpDefinition(b) &&
      a.url === b.url &&
      a.bearerToken === b.bearerToken &&
      a.allowInsecureHttp === b.allowInsecureHttp &&
      sameEntries(a.headers, b.headers)
    );
  }
  return (
    a.command === b.command &&
    a.cwd === b.cwd &&
    a.args.length === b.args.length &&
    a.args.every((arg, i) => arg === b.args[i]) &&
    sameEntries(a.env, b.env)
  );
}

/** One line for the server's log: the command line, or the URL (never header values). */
export function describeTarget(definition: ServerDefinition): string {
  if (isHttpDefinition(definition)) {
    const names = Object.keys(definition.headers ?? {});
    const auth = definition.bearerToken !== undefined ? ' with a bearer token' : '';
    return `${definition.url} (Streamable HTTP${auth}${names.length > 0 ? `; headers ${names.join(', ')}` : ''})`;
  }
  return [definition.command, ...definition.args].map(quoteArg).join(' ');
}

/** Values that must never reach a log or the audit trail: environment values, header values, the token. */
export function secretValues(definition: ServerDefinition): string[] {
  if (!isHttpDefinition(definition)) return Object.values(definition.env ?? {});
  return [...Object.values(definition.headers ?? {}), ...(definition.bearerToken !== undefined ? [definition.bearerToken] : [])];
}

function sameEntries(a: Readonly<Record<string, string>> | undefined, b: Readonly<Record<string, string>> | undefined): boolean {
  return JSON.stringify(sortedEntries(a)) === JSON.stringify(sortedEntries(b));
}

function sortedEntries(env: Readonly<Record<string, string>> | undefined): [string, string][] {
  return Object.entries(env ?? {}).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
}

function quoteArg(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
