/**
 * Runs an `McpServer` over this process's stdin and stdout. stdout carries only MCP messages, so
 * console output is sent to stderr; the process exits once stdin has closed and every reply is out.
 */
import { createMessageConnection, type Logger } from 'vscode-jsonrpc/node';
import { NdjsonMessageReader } from '../../core/transport/ndjsonReader';
import { NdjsonMessageWriter } from '../../core/transport/ndjsonWriter';
import { McpCancellation, type McpServer } from './mcpServer';
import { RequestWindow } from './requestWindow';

export interface StdioServerOptions {
  /**
   * Requests worked on at once; more wait, unread, until a reply is out. This bounds memory by
   * replies rather than by whatever burst a client sends.
   */
  readonly maxRequestsInFlight: number;
}

export function stderrLog(line: string): void {
  process.stderr.write(`${line}\n`);
}

export function runStdioServer(server: McpServer, name: string, options: StdioServerOptions): void {
  // Nothing but protocol messages may reach stdout.
  console.log = console.error;
  console.info = console.error;
  console.debug = console.error;

  const framing = { reader: new NdjsonMessageReader(process.stdin), writer: new NdjsonMessageWriter(process.stdout) };
  const window = new RequestWindow(framing, options.maxRequestsInFlight, {
    pause: () => process.stdin.pause(),
    resume: () => process.stdin.resume(),
  });
  const logger: Logger = {
    error: (m) => stderrLog(`[${name}] error: ${m}`),
    warn: (m) => stderrLog(`[${name}] warn: ${m}`),
    info: (m) => stderrLog(`[${name}] ${m}`),
    log: (m) => stderrLog(`[${name}] ${m}`),
  };
  const cancellation = new McpCancellation();
  const connection = createMessageConnection(window.reader, window.writer, logger, { cancellationStrategy: cancellation });
  framing.reader.onNoise(({ line }) => stderrLog(`[${name}] ignored a line that is not JSON: ${line}`));
  framing.reader.onError((error) => stderrLog(`[${name}] ${error.message}`));
  server.attach(connection, cancellation);
  // When stdin ends, the process is left to exit by itself once the calls still running have
  // answered: exiting at once would drop their replies. A call that never ends is the host's to
  // stop with SIGTERM.
  process.on('SIGTERM', () => process.exit(0));
  connection.listen();
}
