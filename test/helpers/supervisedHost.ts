import type { ManagedServer, ManagedServerDeps } from '../../src/core/host/managedServer';
import type { StdioServerDefinition } from '../../src/core/host/serverDefinition';
import { ServerRegistry } from '../../src/core/host/serverRegistry';
import { stdioTransportFactory, type StdioLaunchOptions } from '../../src/core/host/stdioTransportFactory';
import { LogLines } from './logLines';
import { isAlive, misbehavingServer, nodeServer, testDeps } from './processes';

export interface HostedFixture {
  readonly lines: LogLines;
  readonly registry: ServerRegistry;
  readonly server: ManagedServer;
  /** The server's state kinds in order, from its first start. */
  readonly states: string[];
  /** Every fixture process this host started, from the pid each logs when it starts. */
  pids(): number[];
  /** Disposes the registry; resolves with the pids still alive afterwards (none, if all is well). */
  dispose(): Promise<number[]>;
}

export interface FixtureOptions {
  readonly args?: readonly string[];
  readonly deps?: Partial<ManagedServerDeps>;
  readonly definition?: Partial<StdioServerDefinition>;
  readonly launch?: StdioLaunchOptions;
}

/** Hosts the misbehaving fixture as server "fx" in a registry, with fast stop graces. */
export async function hostFixture(options: FixtureOptions = {}): Promise<HostedFixture> {
  const lines = new LogLines();
  const registry = new ServerRegistry(() =>
    testDeps(lines, {
      createTransport: stdioTransportFactory({ graceMs: { afterStdinEnd: 200, afterTerm: 200 }, ...options.launch }),
      ...options.deps,
    }),
  );
  const states: string[] = [];
  let last: unknown;
  registry.onDidChange((changed) => {
    if (!changed || changed.state === last) return;
    last = changed.state;
    states.push(changed.state.kind);
  });
  await registry.reconcile([{ ...nodeServer('fx', misbehavingServer, [...(options.args ?? [])]), ...options.definition }]);
  const server = registry.get('fx');
  if (!server) throw new Error('the fixture server was not registered');
  const pids = (): number[] => lines.lines.flatMap((line) => /^misbehaving server pid (\d+)$/.exec(line)?.slice(1).map(Number) ?? []);
  return {
    lines,
    registry,
    server,
    states,
    pids,
    dispose: async () => {
      await registry.dispose();
      return pids().filter(isAlive);
    },
  };
}
