/** How to launch one stdio MCP server. Commands are an argv array; no shell ever sees them. */
export interface ServerDefinition {
  /** Stable id, used in tool names, settings and logs: `[a-z0-9_-]+`. */
  readonly id: string;
  readonly label: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  /** Added to the allow-listed environment. */
  readonly env?: Readonly<Record<string, string>>;
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

export function sameLaunch(a: ServerDefinition, b: ServerDefinition): boolean {
  return (
    a.command === b.command &&
    a.cwd === b.cwd &&
    a.maxMessageBytes === b.maxMessageBytes &&
    a.args.length === b.args.length &&
    a.args.every((arg, i) => arg === b.args[i]) &&
    JSON.stringify(sortedEntries(a.env)) === JSON.stringify(sortedEntries(b.env))
  );
}

function sortedEntries(env: Readonly<Record<string, string>> | undefined): [string, string][] {
  return Object.entries(env ?? {}).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
}
