import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AuditDurability } from '../../src/core/audit/auditLog';
import type { Rule } from '../../src/core/policy/types';
import { misbehavingServer, projectRoot } from './processes';

export const gatewayJs = path.join(projectRoot, 'dist/gateway.js');

/**
 * The part of the gateway's configuration file (schema in src/gateway/config.ts) these tests write.
 * That module exports only the parsed form, whose shape differs from the file's.
 */
export interface GatewayConfigFile {
  readonly servers: Readonly<Record<string, { readonly command: string; readonly args: readonly string[] }>>;
  readonly policy?: { readonly rules: readonly Rule[] };
  readonly approvals?: readonly string[];
  /** Relative paths resolve from the file's folder. */
  readonly audit?: { readonly dir: string; readonly keyFile: string; readonly durability?: AuditDurability };
  readonly http?: { readonly sessionIdleSeconds?: number; readonly maxSessions?: number };
}

/** Lets the gateway's own callers reach the fixture server; the policy denies gateway callers by default. */
export const gatewayFxRule: Rule = { id: 'gateway-fx', server: 'fx', caller: 'gateway:*', effect: 'allow' };

/**
 * Writes `<dir>/warden.json` hosting the misbehaving fixture server as `fx`, allowed and approved in
 * advance (a headless gateway has nobody to ask), auditing to `<dir>/audit` with the key in
 * `<dir>/keys/audit.key`, and returns its path. `overrides` replace whole top-level sections.
 */
export function writeFixtureGatewayConfig(dir: string, overrides: Partial<GatewayConfigFile> = {}): string {
  const config: GatewayConfigFile = {
    servers: { fx: { command: process.execPath, args: [misbehavingServer] } },
    policy: { rules: [gatewayFxRule] },
    approvals: ['fx/*'],
    audit: { dir: 'audit', keyFile: 'keys/audit.key' },
    ...overrides,
  };
  const file = path.join(dir, 'warden.json');
  writeFileSync(file, JSON.stringify(config));
  return file;
}

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
