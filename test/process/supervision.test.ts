import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { randomBytes } from 'node:crypto';
import { AuditLog } from '../../src/core/audit/auditLog';
import { ManagedServer } from '../../src/core/host/managedServer';
import { ServerRegistry } from '../../src/core/host/serverRegistry';
import type { ServerState } from '../../src/core/host/serverState';
import type { ToolCallOutcome } from '../../src/core/router/toolRouter';
import { permissiveRouter } from '../helpers/gate';
import { nextEvent } from '../helpers/events';
import { LogLines } from '../helpers/logLines';
import { isAlive, misbehavingServer, nodeServer, testDeps } from '../helpers/processes';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'warden-supervision-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function running(state: ServerState): state is Extract<ServerState, { kind: 'running' }> {
  return state.kind === 'running';
}

function recordStates(server: ManagedServer): string[] {
  const kinds: string[] = [];
  server.onDidChangeState((s) => kinds.push(s.kind));
  return kinds;
}

function failed(outcome: ToolCallOutcome): Extract<ToolCallOutcome, { kind: 'failed' }> {
  assert.equal(outcome.kind, 'failed', `expected a failure, got ${JSON.stringify(outcome)}`);
  return outcome as Extract<ToolCallOutcome, { kind: 'failed' }>;
}

async function setup(name: string, args: string[] = []) {
  const lines = new LogLines();
  const registry = new ServerRegistry(() => testDeps(lines));
  const audit = await AuditLog.open({ dir: path.join(tmp, name), key: randomBytes(32) });
  const router = permissiveRouter(registry, audit);
  await registry.reconcile([nodeServer('fx', misbehavingServer, args)]);
  const server = registry.get('fx')!;
  // Oldest first.
  const readAudit = async () => [...(await audit.recentCalls({ limit: 50 }))].reverse();
  return { lines, registry, router, server, audit, readAudit };
}

describe('a server that crashes mid-call', () => {
  it('fails the call clearly, restarts, and serves the next call from a new process', async () => {
    const { registry, router, server, audit, readAudit } = await setup('crash');
    const first = server.state;
    assert.ok(running(first));
    const states = recordStates(server);
    const back = nextEvent(server.onDidChangeState, (s) => s.kind === 'running');

    const crash = failed(await router.call({ caller: 'palette', server: 'fx', tool: 'crash', args: { code: 7 } }));
    assert.equal(crash.error.code, 'SERVER_CRASHED');
    assert.match(crash.error.message, /exited with code 7 before answering the tool "crash" call/);

    const again = await back;
    assert.ok(running(again));
    assert.notEqual(again.pid, first.pid);
    assert.equal(isAlive(first.pid!), false);
    assert.deepEqual(states, ['restarting', 'starting', 'running']);

    const echo = await router.call({ caller: 'palette', server: 'fx', tool: 'echo', args: { text: 'alive' } });
    assert.equal(echo.kind, 'ok');
    assert.deepEqual(echo.kind === 'ok' && echo.result.content, [{ type: 'text', text: 'alive' }]);

    const records = await readAudit();
    assert.deepEqual(records.map((r) => [r.tool, r.status, r.errorCode]), [
      ['crash', 'crashed', 'SERVER_CRASHED'],
      ['echo', 'ok', undefined],
    ]);
    assert.equal(records[0]!.id, crash.auditId);
    await registry.dispose();
    await audit.close();
    assert.equal(isAlive(again.pid!), false, 'dispose leaves no process behind');
  });
});

describe('a server that hangs on a tool', () => {
  it('times the call out, tells the server why, and answers the next call', async () => {
    const { lines, registry, router, audit, readAudit } = await setup('hang');
    const hung = failed(await router.call({ caller: 'copilot', server: 'fx', tool: 'hang', args: {}, timeoutMs: 150 }));
    assert.equal(hung.error.code, 'TIMEOUT');
    assert.match(hung.error.message, /tool "hang" call timed out after 150 ms/);

    const echo = await router.call({ caller: 'copilot', server: 'fx', tool: 'echo', args: { text: 'next' } });
    assert.equal(echo.kind, 'ok');
    await lines.waitFor(/^cancelled \d+: timed out after 150 ms$/);
    assert.deepEqual((await readAudit()).map((r) => r.status), ['timeout', 'ok']);
    await registry.dispose();
    await audit.close();
  });

  it('passes the caller\'s cancellation on to the server', async () => {
    const { lines, registry, router, audit } = await setup('abort');
    const controller = new AbortController();
    const call = router.call({ caller: 'palette', server: 'fx', tool: 'hang', args: {}, signal: controller.signal });
    await lines.waitFor(/^hanging on request$/);
    controller.abort();
    assert.equal(failed(await call).error.code, 'CANCELLED');
    await lines.waitFor(/^cancelled \d+: cancelled by the caller$/);
    await registry.dispose();
    await audit.close();
  });
});

describe('servers that cannot run', () => {
  it('stops a server whose protocol version Warden cannot use, naming both versions, without retrying', async () => {
    const { registry, server, router, audit } = await setup('version', ['--protocol-version', '2023-01-01']);
    const state = server.state;
    assert.equal(state.kind, 'error');
    assert.match(state.kind === 'error' ? state.message : '', /speaks MCP 2023-01-01; Warden speaks 2025-11-25/);
    const call = failed(await router.call({ caller: 'palette', server: 'fx', tool: 'echo', args: { text: 'x' } }));
    assert.equal(call.error.code, 'SERVER_NOT_RUNNING');
    assert.match(call.error.message, /Server "fx"/);
    await assert.rejects(server.callTool('echo', { text: 'x' }, { timeoutMs: 1000 }), /Server "fx" is not running \(Error: .*speaks MCP 2023-01-01/);
    await registry.dispose();
    await audit.close();
  });

  it('reports a command that does not exist without retrying', async () => {
    const lines = new LogLines();
    const registry = new ServerRegistry(() => testDeps(lines));
    await registry.reconcile([{ id: 'ghost', label: 'ghost', command: path.join(tmp, 'no-such-command'), args: [], builtin: false }]);
    const state = registry.get('ghost')!.state;
    assert.equal(state.kind, 'error');
    assert.match(state.kind === 'error' ? state.message : '', /command was not found/);
    await registry.dispose();
  });

  it('gives up on a server that keeps crashing, and says why', async () => {
    const lines = new LogLines();
    const registry = new ServerRegistry(() => testDeps(lines));
    const reconciled = registry.reconcile([nodeServer('loop', misbehavingServer, ['--exit-on-start', '3'])]);
    const server = registry.get('loop')!;
    const states = recordStates(server);
    await reconciled;
    const gaveUp = server.state.kind === 'error' ? server.state : await nextEvent(server.onDidChangeState, (s) => s.kind === 'error');
    assert.equal(gaveUp.kind, 'error');
    assert.match(gaveUp.kind === 'error' ? gaveUp.message : '', /crashed 3 times/);
    assert.equal(states.filter((s) => s === 'starting').length, 2, 'two restarts after the first start, then it gives up');
    assert.ok(lines.some(/exiting on start with code 3/), 'stderr reaches the log');
    await registry.dispose();
  });
});

describe('stopping', () => {
  it('escalates to SIGKILL for a server that ignores stdin closing and SIGTERM', async () => {
    const { lines, registry, server, audit } = await setup('stubborn', ['--stubborn']);
    const state = server.state;
    assert.ok(running(state));
    const states = recordStates(server);
    await server.stop();
    assert.deepEqual(states, ['stopping', 'stopped']);
    assert.equal(isAlive(state.pid!), false);
    assert.ok(lines.some(/^ignoring SIGTERM$/), 'it was asked politely first');
    await registry.dispose();
    await audit.close();
  });

  it('restarts on command into a new process, and a second stop is harmless', async () => {
    const { registry, server, audit } = await setup('restart');
    const before = server.state;
    assert.ok(running(before));
    await server.restart();
    const afterRestart = server.state;
    assert.ok(running(afterRestart));
    assert.notEqual(afterRestart.pid, before.pid);
    await Promise.all([server.stop(), server.stop()]);
    assert.equal(server.state.kind, 'stopped');
    assert.equal(isAlive(afterRestart.pid!), false);
    await registry.dispose();
    await audit.close();
  });
});
