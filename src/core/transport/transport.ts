import type { Event, MessageReader, MessageWriter } from 'vscode-jsonrpc/node';

/** How a transport ended: the process exit status, or why it could not run at all. */
export interface TransportExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Set when the process never started (for example the command was not found). */
  readonly spawnError?: string;
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
  if (exit.signal) return `was killed by ${exit.signal}`;
  return `exited with code ${exit.code ?? 'unknown'}`;
}
