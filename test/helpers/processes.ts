import path from 'node:path';
import type { ManagedServerDeps } from '../../src/core/host/managedServer';
import { backoffRestartPolicy } from '../../src/core/host/restartPolicy';
import { isHttpDefinition, type StdioServerDefinition } from '../../src/core/host/serverDefinition';
import { allowListedEnvironment } from '../../src/core/transport/environment';
import { StdioProcessTransport } from '../../src/core/transport/stdioProcess';
import type { LogLines } from './logLines';

/** The project root, from out/test/helpers. */
export const projectRoot = path.resolve(__dirname, '../../..');
export const misbehavingServer = path.join(projectRoot, 'out/test/fixtures/servers/misbehaving.js');

export function nodeServer(id: string, script: string, args: string[] = []): StdioServerDefinition {
  return { id, label: id, command: process.execPath, args: [script, ...args], builtin: false };
}

/** Supervision dependencies for tests: fast, deterministic restarts and a log the test can read. */
export function testDeps(log: LogLines, overrides: Partial<ManagedServerDeps> = {}): ManagedServerDeps {
  return {
    createTransport: (d) => {
      if (isHttpDefinition(d)) throw new Error(`testDeps launches stdio servers only; pass createTransport for ${d.url}`);
      return new StdioProcessTransport({
        command: d.command,
        args: d.args,
        env: { ...allowListedEnvironment(), ...d.env },
        graceMs: { afterStdinEnd: 200, afterTerm: 200 },
      });
    },
    clientInfo: { name: 'warden-test', version: '0.0.0' },
    restartPolicy: backoffRestartPolicy({ baseDelayMs: 10, maxDelayMs: 40, maxCrashes: 3, windowMs: 60_000, random: () => 0.5 }),
    timeouts: { initializeMs: 10_000, listToolsMs: 10_000 },
    log: log.push,
    ...overrides,
  };
}

/** True while a process with this pid exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
