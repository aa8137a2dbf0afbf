import type { Event, MessageReader, MessageWriter } from 'vscode-jsonrpc/node';

/**
 * How a transport ended: the process exit status, or why it could not run at all. A transport with
 * no process (Streamable HTTP) has null code and signal and says why in `reason`.
 */
export interface TransportExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Set when the server could never be reached (the command was not found, the URL is invalid). */
  readonly spawnError?: string;
  /** Why a connection without a process ended, as a clause after "the server": "ended the session (HTTP 404)". */
  readonly reason?: string;
  /**
   * The server ended the session while it was healthy (it no longer knows the session id): a new
   * connection is expected to work, and the end is not a failure of the server.
   */
  readonly sessionEnded?: boolean;
}

/**
 * What the MCP client needs from a connection to a server, whatever carries it: a reader, a writer,
 * an exit event and a way to stop. The client never sees a process.
 */
export interface McpTransport {
  readonly reader: MessageReader;
  readonly writer: MessageWriter;
  /** Fires once, when the peer is gone. */
  readonly onDidExit: Event<TransportExit>;
  /** Lines that were neither protocol messages nor framing errors (stdout noise, stderr output). */
  readonly onDidLog: Event<string>;
  /** The peer's process id, where there is a local process. */
  readonly pid?: number | undefined;
  /** Ends the connection; resolves when the peer is gone. Idempotent; a second call forces. */
  close(): Promise<void>;
}

export function describeExit(exit: TransportExit): string {
  if (exit.spawnError !== undefined) return exit.spawnError;
  if (exit.reason !== undefined) return exit.reason;
  if (exit.signal) return `was killed by ${exit.signal}`;
  return `exited with code ${exit.code ?? 'unknown'}`;
}
