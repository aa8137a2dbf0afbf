import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { serverTransportFactory } from '../../src/core/host/serverTransportFactory';
import type { McpTransport } from '../../src/core/transport/transport';
import type { ServerDefinition } from '../../src/core/host/serverDefinition';
import { LogLines } from './logLines';
import { projectRoot } from './processes';

export const remoteHttpServer = path.join(projectRoot, 'out/test/fixtures/servers/remoteHttp.js');

export interface RemoteFixture {
  readonly child: ChildProcess;
  readonly port: number;
  readonly url: string;
  /** What the fixture reported on stdout, one line each. */
  readonly lines: LogLines;
  /** Resolves with the `count`th line (counting from the start) that matches. */
  waitFor(pattern: RegExp, count?: number): Promise<string>;
  /** Drops every session, as a restarted server would. */
  forgetSessions(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the SDK-based remote fixture and resolves once it listens. */
export function startRemoteFixture(args: string[] = []): Promise<RemoteFixture> {
  const child = spawn(process.execPath, [remoteHttpServer, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = new LogLines();
  const listeners = new Set<() => void>();
  const waitFor = (pattern: RegExp, count = 1): Promise<string> =>
    new Promise((resolve) => {
      const check = (): boolean => {
        const matching = lines.lines.filter((l) => pattern.test(l));
        if (matching.length < count) return false;
        listeners.delete(check);
        resolve(matching[count - 1]!);
        return true;
      };
      if (!check()) listeners.add(check);
    });
  let partial = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      for (const listener of [...listeners]) listener();
    }
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the remote fixture exited with ${code} before listening`)));
    void lines.waitFor(/^listening \d+$/).then((line) => {
      const port = Number(line.split(' ')[1]);
      resolve({
        child,
        port,
        url: `http://127.0.0.1:${port}/mcp`,
        lines,
        waitFor,
        forgetSessions: async () => {
          const count = lines.lines.filter((l) => l === 'forgot').length;
          child.stdin!.write('forget\n');
          await waitFor(/^forgot$/, count + 1);
        },
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
          await exited;
        },
      });
    });
  });
}

/** Transports for tests: remote servers reconnect fast; local ones stop fast. */
export function fastTransports(): (definition: ServerDefinition) => McpTransport {
  return serverTransportFactory({
    stdio: { graceMs: { afterStdinEnd: 200, afterTerm: 200 } },
    http: { reconnect: { baseDelayMs: 10, maxDelayMs: 50, maxFailures: 3 }, closeTimeoutMs: 1_000 },
  });
}
