/**
 * A tool server as a child process speaking MCP over its stdin and stdout. Spawned with an argv
 * array and `shell: false`; stderr is split into lines for the log, each cut at a readable length,
 * and what the process writes (stderr and non-JSON stdout) is rate-limited. Stopping escalates:
 * end stdin, then SIGTERM, then SIGKILL, each after a grace period, and a second `close()` kills at
 * once.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { Emitter } from 'vscode-jsonrpc/node';
import { NdjsonMessageReader } from './ndjsonReader';
import { NdjsonMessageWriter } from './ndjsonWriter';
import type { Clock } from '../util/clock';
import { LineRateLimiter } from './lineRateLimiter';
import type { McpTransport, TransportExit } from './transport';

export interface StdioProcessOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  readonly env: Readonly<Record<string, string>>;
  readonly maxMessageBytes?: number;
  /** Grace after closing stdin before SIGTERM, and after SIGTERM before SIGKILL. */
  readonly graceMs?: { afterStdinEnd: number; afterTerm: number };
  /** Most lines of process output (stderr, non-JSON stdout) logged per second; the rest are counted. */
  readonly outputLinesPerSecond?: number;
  /** For the output rate limit. */
  readonly clock?: Clock;
}

const DEFAULT_GRACE = { afterStdinEnd: 1500, afterTerm: 1500 };
export const DEFAULT_OUTPUT_LINES_PER_SECOND = 200;
export const MAX_STDERR_LINE = 4000;

export class StdioProcessTransport implements McpTransport {
  readonly reader: NdjsonMessageReader;
  readonly writer: NdjsonMessageWriter;
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly exitEmitter = new Emitter<TransportExit>();
  private readonly logEmitter = new Emitter<string>();
  private exit: TransportExit | undefined;
  private readonly exited: Promise<TransportExit>;
  private closing: Promise<void> | undefined;
  private stderrPartial = '';
  /** The rest of an over-long stderr line is being skipped, up to its newline. */
  private stderrSkipping = false;
  private readonly output: LineRateLimiter;

  readonly onDidExit = this.exitEmitter.event;
  readonly onDidLog = this.logEmitter.event;

  constructor(private readonly options: StdioProcessOptions) {
    this.output = new LineRateLimiter((line) => this.logEmitter.fire(line), {
      linesPerSecond: options.outputLinesPerSecond ?? DEFAULT_OUTPUT_LINES_PER_SECOND,
      ...(options.clock && { clock: options.clock }),
    });
    this.child = spawn(options.command, [...options.args], {
      cwd: options.cwd,
      env: { ...options.env },
      shell: false,
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    this.reader = new NdjsonMessageReader(this.child.stdout, { maxMessageBytes: options.maxMessageBytes });
    this.writer = new NdjsonMessageWriter(this.child.stdin);
    this.reader.onNoise(({ line }) => this.output.push(`[stdout, not JSON] ${line}`));
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (chunk: string) => this.onStderr(chunk));
    // A server that exits while we write gets EPIPE on stdin; the exit event reports it.
    this.child.stdin.on('error', (error) => this.logEmitter.fire(`[stdin] ${error.message}`));
    this.exited = new Promise<TransportExit>((resolve) => {
      this.child.once('error', (error) => {
        if (this.child.pid === undefined) this.finish({ code: null, signal: null, spawnError: spawnErrorMessage(options.command, error) }, resolve);
        else this.logEmitter.fire(`[process] ${error.message}`);
      });
      this.child.once('close', (code, signal) => this.finish({ code, signal }, resolve));
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get exitStatus(): TransportExit | undefined {
    return this.exit;
  }

  close(): Promise<void> {
    if (this.exit) return Promise.resolve();
    if (this.closing) {
      // A second stop does not wait politely.
      this.child.kill('SIGKILL');
      return this.closing;
    }
    this.closing = this.escalate();
    return this.closing;
  }

  private async escalate(): Promise<void> {
    const grace = this.options.graceMs ?? DEFAULT_GRACE;
    this.child.stdin.end();
    if (await this.exitsWithin(grace.afterStdinEnd)) return;
    this.child.kill('SIGTERM');
    if (await this.exitsWithin(grace.afterTerm)) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  private exitsWithin(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      void this.exited.then(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  private onStderr(chunk: string): void {
    let text = chunk;
    if (this.stderrSkipping) {
      const newline = text.indexOf('\n');
      if (newline === -1) return;
      this.stderrSkipping = false;
      text = text.slice(newline + 1);
    }
    const lines = (this.stderrPartial + text).split(/\r?\n/);
    this.stderrPartial = lines.pop() ?? '';
    if (this.stderrPartial.length > MAX_STDERR_LINE) {
      lines.push(this.stderrPartial);
      this.stderrPartial = '';
      this.stderrSkipping = true;
    }
    for (const line of lines) {
      if (line.length > 0) this.output.push(cutLine(line));
    }
  }

  private finish(exit: TransportExit, resolve: (exit: TransportExit) => void): void {
    if (this.exit) return;
    if (this.stderrPartial.length > 0) this.output.push(cutLine(this.stderrPartial));
    this.stderrPartial = '';
    this.output.dispose();
    this.exit = exit;
    resolve(exit);
    this.exitEmitter.fire(exit);
    this.exitEmitter.dispose();
    this.logEmitter.dispose();
  }
}

function cutLine(line: string): string {
  return line.length > MAX_STDERR_LINE ? `${line.slice(0, MAX_STDERR_LINE)}… [line cut at ${MAX_STDERR_LINE} characters]` : line;
}

function spawnErrorMessage(command: string, error: NodeJS.ErrnoException): string {
  if (error.code === 'ENOENT') return `could not start "${command}": the command was not found. Check that it is installed and on PATH.`;
  if (error.code === 'EACCES') return `could not start "${command}": permission denied. Check that the file is executable.`;
  return `could not start "${command}": ${error.message}`;
}
