// A bare newline-delimited JSON-RPC client over a child's pipes: stringify, write, split lines,
// parse, match the id. It drives the floor (an echo child, where the request comes back as its
// own answer) and measures cold starts.
import { spawn } from 'node:child_process';
import { childEnv, exited } from './common.mjs';

export class LineClient {
  constructor(command, args) {
    this.child = spawn(command, args, { env: childEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    // Servers log to stderr; keep the end of it for the error when one dies.
    this.stderr = '';
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (chunk) => {
      this.stderr = (this.stderr + chunk).slice(-2000);
    });
    this.pending = new Map();
    this.nextId = 1;
    this.partial = [];
    this.child.stdout.on('data', (chunk) => this.onData(chunk));
    this.child.on('exit', (code, signal) => {
      for (const { reject } of this.pending.values()) reject(new Error(`${args[0]} exited (${signal ?? code}) before answering: ${this.stderr}`));
      this.pending.clear();
    });
  }

  get pid() {
    return this.child.pid;
  }

  /** Sends `{jsonrpc, id, method, params}` and resolves with the parsed line that carries the id back. */
  request(method, params) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    });
  }

  notify(method, params) {
    this.child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method, ...(params && { params }) })}\n`);
  }

  /** The MCP handshake, for driving a real server with this bare client. */
  async initialize() {
    const answer = await this.request('initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'warden-bench', version: '0' } });
    if (!answer.result) throw new Error(`initialize failed: ${JSON.stringify(answer).slice(0, 300)}`);
    this.notify('notifications/initialized');
    return answer.result;
  }

  onData(chunk) {
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, nl);
      const line = this.partial.length === 0 ? piece : Buffer.concat([...this.partial, piece]);
      this.partial = [];
      start = nl + 1;
      const message = JSON.parse(line.toString('utf8'));
      const waiter = this.pending.get(message.id);
      if (waiter) {
        this.pending.delete(message.id);
        waiter.resolve(message);
      }
    }
    if (start < chunk.length) this.partial.push(chunk.subarray(start));
  }

  async close() {
    this.child.stdin.end();
    this.child.kill('SIGTERM');
    await exited(this.child);
  }
}
