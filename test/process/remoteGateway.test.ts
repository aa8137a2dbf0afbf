import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AuditLog } from '../../src/core/audit/auditLog';
import { backoffRestartPolicy } from '../../src/core/host/restartPolicy';
import type { HttpServerDefinition } from '../../src/core/host/serverDefinition';
import { ServerRegistry } from '../../src/core/host/serverRegistry';
import type { JsonObject } from '../../src/core/protocol/types';
import type { ToolCallOutcome } from '../../src/core/router/toolRouter';
import { nextEvent } from '../helpers/events';
import { permissiveRouter } from '../helpers/gate';
import { gatewayJs, writeFixtureGatewayConfig } from '../helpers/gatewayProcess';
import { LogLines } from '../helpers/logLines';
import { testDeps } from '../helpers/processes';
import { fastTransports } from '../helpers/remoteFixture';

const TOKEN = 'remote-test-token-0123456789abcdef';

interface Gateway {
  readonly child: ChildProcess;
  readonly port: number;
  /** Its log, one line each. */
  readonly lines: LogLines;
  stop(): Promise<void>;
}

function startGateway(config: string, port: number): Promise<Gateway> {
  const child = spawn(process.execPath, [gatewayJs, '--config', config, '--http', `127.0.0.1:${port}`, '--token', TOKEN], { stdio: ['ignore', 'ignore', 'pipe'] });
  const lines = new LogLines();
  let partial = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) lines.push(line);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the gateway exited with ${code} before listening: ${lines.lines.join('\n')}`)));
    void lines.waitFor(/listening on http:\/\/127\.0\.0\.1:\d+\/mcp/).then((line) => {
      resolve({
        child,
        port: Number(/127\.0\.0\.1:(\d+)\/mcp/.exec(line)![1]),
        lines,
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}

function text(outcome: ToolCallOutcome): string {
  assert.equal(outcome.kind, 'ok', `expected success, got ${JSON.stringify(outcome)}`);
  const block = outcome.kind === 'ok' ? outcome.result.content[0] : undefined;
  return block?.type === 'text' ? block.text : '';
}

describe("Warden's own gateway hosted as a remote server", { timeout: 60_000 }, () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'warden-remote-gateway-'));
  // Written once: the gateway restarts later on the same port with the same file.
  const config = writeFixtureGatewayConfig(tmp);
  const lines = new LogLines();
  // Restarts keep coming while the gateway restarts; the test does not guess how long that takes.
  const patient = backoffRestartPolicy({ baseDelayMs: 20, maxDelayMs: 100, maxCrashes: 200, windowMs: 60_000, random: () => 0.5 });
  const registry = new ServerRegistry(() => testDeps(lines, { createTransport: fastTransports(), restartPolicy: patient }));
  let gateway: Gateway | undefined;
  let audit: AuditLog | undefined;
  const call = async (tool: string, args: JsonObject, timeoutMs?: number): Promise<ToolCallOutcome> =>
    permissiveRouter(registry, audit!).call({ caller: 'palette', server: 'gw', tool, args, ...(timeoutMs !== undefined && { timeoutMs }) });

  before(async () => {
    gateway = await startGateway(config, 0);
    audit = await AuditLog.open({ dir: path.join(tmp, 'host-audit'), key: randomBytes(32) });
    const definition: HttpServerDefinition = { kind: 'http', id: 'gw', label: 'gateway', url: `http://127.0.0.1:${gateway.port}/mcp`, bearerToken: TOKEN, builtin: false };
    await registry.reconcile([definition]);
  });

  after(async () => {
    await registry.dispose();
    await audit?.close();
    await gateway?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('lists the gateway tools and calls one through the gate', async () => {
    const server = registry.get('gw')!;
    assert.equal(server.state.kind, 'running', JSON.stringify(server.state));
    assert.ok(server.tools.some((t) => t.name === 'fx__echo'), JSON.stringify(server.tools.map((t) => t.name)));
    assert.equal(text(await call('fx__echo', { text: 'through two gates' })), 'through two gates');
  });

  it('lists again when the gateway announces list_changed on the standing stream', async () => {
    // The gateway's own server crashes and comes back: the gateway tells its clients to list again.
    const server = registry.get('gw')!;
    const relisted = lines.waitFor(/The server said its tool list changed|Tool list changed: \d+ tools/);
    await call('fx__crash', { code: 3 });
    await relisted;
    const hasEcho = (tools: readonly { name: string }[]): boolean => tools.some((t) => t.name === 'fx__echo');
    if (!hasEcho(server.tools)) await nextEvent(server.onDidChangeTools, hasEcho);
    assert.ok(!lines.some(/standing event stream (was refused|could not connect)/), lines.lines.join('\n'));
  });

  it('times a call out, cancels it at the gateway with a POST, and keeps serving', async () => {
    const outcome = await call('fx__hang', {}, 200);
    assert.equal(outcome.kind, 'failed');
    assert.equal(outcome.kind === 'failed' ? outcome.error.code : '', 'TIMEOUT');
    // The gateway passed the cancellation on to its own server, which logs it.
    await gateway!.lines.waitFor(/cancelled \d+/);
    assert.equal(text(await call('fx__echo', { text: 'still there' })), 'still there');
  });

  it('starts a new session after the gateway restarts, and the next call succeeds', async () => {
    const server = registry.get('gw')!;
    const port = gateway!.port;
    const restarting = nextEvent(server.onDidChangeState, (s) => s.kind === 'restarting');
    await gateway!.stop();
    await restarting;
    const back = nextEvent(server.onDidChangeState, (s) => s.kind === 'running');
    gateway = await startGateway(config, port);
    await back;
    assert.equal(text(await call('fx__echo', { text: 'new session' })), 'new session');
  });

  it('is refused without the right bearer token, with a clear error', async () => {
    const bad = new ServerRegistry(() => testDeps(lines, { createTransport: fastTransports() }));
    try {
      const gaveUp = new Promise<string>((resolve) => {
        bad.onDidChange((changed) => {
          if (changed?.state.kind === 'error') resolve(changed.state.message);
        });
      });
      await bad.reconcile([{ kind: 'http', id: 'nope', label: 'nope', url: `http://127.0.0.1:${gateway!.port}/mcp`, bearerToken: 'wrong-token-0123456789', builtin: false }]);
      assert.match(await gaveUp, /refused the initialize request \(HTTP 401[^)]*: the server refused the credentials; check the bearer token and headers\)/);
    } finally {
      await bad.dispose();
    }
  });
});
