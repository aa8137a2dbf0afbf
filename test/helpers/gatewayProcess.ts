import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from './processes';

export const gatewayJs = path.join(projectRoot, 'dist/gateway.js');

/** A gateway process serving HTTP, and what it wrote to stderr. */
export class RunningGateway {
  private text = '';
  private readonly waiters = new Set<() => void>();

  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
  ) {}

  /** Starts `node dist/gateway.js <args>` and resolves once it says where it listens. */
  static start(args: string[]): Promise<RunningGateway> {
    const child = spawn(process.execPath, [gatewayJs, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let early = '';
    return new Promise((resolve, reject) => {
      const onData = (chunk: Buffer): void => {
        early += chunk.toString('utf8');
        const match = /listening on http:\/\/127\.0\.0\.1:(\d+)\/mcp/.exec(early);
        if (!match) return;
        child.stderr!.off('data', onData);
        child.off('exit', onExit);
        const gateway = new RunningGateway(child, Number(match[1]));
        gateway.text = early;
        child.stderr!.on('data', (more: Buffer) => gateway.append(more.toString('utf8')));
        resolve(gateway);
      };
      const onExit = (code: number | null): void => reject(new Error(`the gateway exited with ${code} before listening: ${early}`));
      child.stderr!.on('data', onData);
      child.on('exit', onExit);
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/mcp`;
  }

  get stderr(): string {
    return this.text;
  }

  /** Resolves with the first match of `pattern` in stderr, now or once it is written. */
  waitForStderr(pattern: RegExp): Promise<RegExpExecArray> {
    return new Promise((resolve) => {
      const check = (): boolean => {
        const match = pattern.exec(this.text);
        if (match) resolve(match);
        return match !== null;
      };
      if (check()) return;
      const waiter = (): void => {
        if (check()) this.waiters.delete(waiter);
      };
      this.waiters.add(waiter);
    });
  }

  stop(): Promise<void> {
    const child = this.child;
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }

  private append(chunk: string): void {
    this.text += chunk;
    for (const waiter of [...this.waiters]) waiter();
  }
}
