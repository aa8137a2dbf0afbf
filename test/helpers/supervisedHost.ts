import assert from 'node:assert/strict';
import { afterEach } from 'node:test';
import type { ManagedServer, ManagedServerDeps } from '../../src/core/host/managedServer';
import type { StdioServerDefinition } from '../../src/core/host/serverDefinition';
import { ServerRegistry } from '../../src/core/host/serverRegistry';
import { stdioTransportFactory, type StdioLaunchOptions } from '../../src/core/host/stdioTransportFactory';
import type { CallToolResult } from '../../src/core/protocol/types';
import { WardenError } from '../../src/core/util/errors';
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

/** `hostFixture` for a test file: every fixture it starts is disposed after each test. */
export function hostPerTest(): (options?: FixtureOptions) => Promise<HostedFixture> {
  const hosted = new Set<HostedFixture>();
  afterEach(async () => {
    for (const fixture of hosted) await fixture.dispose();
    hosted.clear();
  });
  return async (options = {}) => {
    const fixture = await hostFixture(options);
    hosted.add(fixture);
    return fixture;
  };
}

/** The WardenError a call fails with, checked to carry `code`; fails the test if the call succeeds. */
export async function wardenFailure(call: Promise<unknown>, code: string): Promise<WardenError> {
  try {
    await call;
  } catch (error) {
    assert.ok(error instanceof WardenError, `expected a WardenError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    return error;
  }
  assert.fail(`expected ${code}, the call succeeded`);
}

/** The text of a result's first block ('' when it is not text). */
export function firstText(result: CallToolResult): string {
  const first = result.content[0];
  return first?.type === 'text' ? first.text : '';
}
