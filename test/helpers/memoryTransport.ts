/**
 * An MCP client transport linked in memory to an `McpServer`: the same framing code and protocol
 * handlers as a real process, without one. Closing either end ends both.
 */
import { PassThrough } from 'node:stream';
import { Emitter, createMessageConnection, type MessageConnection } from 'vscode-jsonrpc/node';
import type { McpTransport, TransportExit } from '../../src/core/transport/transport';
import { NdjsonMessageReader } from '../../src/core/transport/ndjsonReader';
import { NdjsonMessageWriter } from '../../src/core/transport/ndjsonWriter';
import { McpCancellation, type McpServer } from '../../src/servers/shared/mcpServer';

export interface MemoryLink {
  readonly transport: McpTransport;
  readonly serverConnection: MessageConnection;
  /** Raw bytes the client sent, for tests that inspect the wire. */
  readonly clientToServer: PassThrough;
  /** Ends the link as a crashing server would. */
  crash(code?: number): void;
  /** Ends the link with the given exit, as a transport without a process reports one. */
  endWith(exit: TransportExit): void;
}

export function linkInMemory(server: McpServer, log: (line: string) => void = () => undefined): MemoryLink {
  const clientToServer = new PassThrough();
  const serverToClient = new PassThrough();
  const cancellation = new McpCancellation();
  const serverConnection = createMessageConnection(
    new NdjsonMessageReader(clientToServer),
    new NdjsonMessageWriter(serverToClient),
    { error: log, warn: log, info: log, log },
    { cancellationStrategy: cancellation },
  );
  server.attach(serverConnection, cancellation);
  serverConnection.listen();

  const exitEmitter = new Emitter<TransportExit>();
  const logEmitter = new Emitter<string>();
  let exited = false;
  const end = (exit: TransportExit): void => {
    if (exited) return;
    exited = true;
    serverConnection.dispose();
    clientToServer.end();
    serverToClient.end();
    exitEmitter.fire(exit);
  };
  const transport: McpTransport = {
    reader: new NdjsonMessageReader(serverToClient),
    writer: new NdjsonMessageWriter(clientToServer),
    onDidExit: exitEmitter.event,
    onDidLog: logEmitter.event,
    close: async () => end({ code: 0, signal: null }),
  };
  return { transport, serverConnection, clientToServer, crash: (code = 1) => end({ code, signal: null }), endWith: end };
}
