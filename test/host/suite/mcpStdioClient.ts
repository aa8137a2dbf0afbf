import { spawn, type ChildProcessWithoutNullStreams } from 'child_process';
import * as readline from 'readline';

interface Response {
  readonly id: number;
  readonly result?: unknown;
  readonly error?: { readonly code: number; readonly message: string };
}

/**
 * A minimal MCP client over stdio (newline-delimited JSON-RPC), enough to start a server as
 * VS Code's MCP client would, list its tools and call one. `stderr()` holds what it logged.
 */
export class McpStdioClient {
  private nextId = 1;
  private readonly pending = new Map<number, (response: Response) => void>();
  private readonly logged: string[] = [];
  private readonly exited: Promise<number | null>;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      const message = JSON.parse(line) as Partial<Response>;
      if (typeof message.id !== 'number') return;
      this.pending.get(message.id)?.(message as Response);
      this.pending.delete(message.id);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => this.logged.push(chunk));
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    void this.exited.then((code) => {
      for (const settle of this.pending.values()) settle({ id: -1, error: { code: -1, message: `the server exited (code ${code}): ${this.stderr()}` } });
      this.pending.clear();
    });
  }

  static start(command: string, args: readonly string[], env: Record<string, string | number | null>): McpStdioClient {
    const merged: NodeJS.ProcessEnv = { ...process.env };
    for (const [name, value] of Object.entries(env)) {
      if (value === null) delete merged[name];
      else merged[name] = String(value);
    }
    return new McpStdioClient(spawn(command, [...args], { env: merged, stdio: ['pipe', 'pipe', 'pipe'] }));
  }

  async initialize(clientName: string): Promise<unknown> {
    const result = await this.request('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: clientName, version: '1.0.0' } });
    this.child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
    return result;
  }

  /** Resolves with the result; rejects with the JSON-RPC error's message. */
  request(method: string, params: object): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, (response) => (response.error ? reject(new Error(response.error.message)) : resolve(response.result)));
      this.child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    });
  }

  stderr(): string {
    return this.logged.join('');
  }

  /** Closes its input, as a client does, and resolves with the exit code. */
  close(): Promise<number | null> {
    this.child.stdin.end();
    return this.exited;
  }
}
