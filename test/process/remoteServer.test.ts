import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { AuditLog } from '../../src/core/audit/auditLog';
import type { ManagedServerDeps } from '../../src/core/host/managedServer';
import { backoffRestartPolicy } from '../../src/core/host/restartPolicy';
import type { HttpServerDefinition } from '../../src/core/host/serverDefinition';
import { ServerRegistry } from '../../src/core/host/serverRegistry';
import type { ServerState } from '../../src/core/host/serverState';
import type { JsonObject } from '../../src/core/protocol/types';
import type { ToolCallOutcome } from '../../src/core/router/toolRouter';
import { nextEvent } from '../helpers/events';
import { permissiveRouter } from '../helpers/gate';
import { LogLines } from '../helpers/logLines';
import { testDeps } from '../helpers/processes';
import { fastTransports, startRemoteFixture, type RemoteFixture } from '../helpers/remoteFixture';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'warden-remote-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function failed(outcome: ToolCallOutcome): Extract<ToolCallOutcome, { kind: 'failed' }> {
  assert.equal(outcome.kind, 'failed', `expected a failure, got ${JSON.stringify(outcome)}`);
  return outcome as Extract<ToolCallOutcome, { kind: 'failed' }>;
}

function text(outcome: ToolCallOutcome): string {
  assert.equal(outcome.kind, 'ok', `expected success, got ${JSON.stringify(outcome)}`);
  const block = outcome.kind === 'ok' ? outcome.result.content[0] : undefined;
  return block?.type === 'text' ? block.text : '';
}

function sessionOf(state: ServerState): string {
  return state.kind === 'running' ? state.session.serverInfo.name : '';
}

async function host(fixture: RemoteFixture, name: string, deps: Partial<ManagedServerDeps> = {}) {
  const lines = new LogLines();
  const registry = new ServerRegistry(() => testDeps(lines, { createTransport: fastTransports(), ...deps }));
  const audit = await AuditLog.open({ dir: path.join(tmp, name), key: randomBytes(32) });
  const router = permissiveRouter(registry, audit);
  const definition: HttpServerDefinition = { kind: 'http', id: 'rx', label: 'rx', url: fixture.url, builtin: false };
  const states: string[] = [];
  registry.onDidChange((changed) => {
    if (changed && states[states.length - 1] !== changed.state.kind) states.push(changed.state.kind);
  });
  await registry.reconcile([definition]);
  const server = registry.get('rx')!;
  const call = (tool: string, args: JsonObject = {}, timeoutMs?: number) =>
    router.call({ caller: 'palette', server: 'rx', tool, args, ...(timeoutMs !== undefined && { timeoutMs }) });
  return {
    lines,
    registry,
    server,
    states,
    call,
    dispose: async () => {
      await registry.dispose();
      await audit.close();
    },
  };
}

for (const mode of ['sse', 'json'] as const) {
  describe(`a remote server over Streamable HTTP (SDK fixture, ${mode} answers)`, () => {
    it('lists and calls its tools through the gate, and ends the session on stop', async () => {
      const fixture = await startRemoteFixture(mode === 'json' ? ['--json'] : []);
      const h = await host(fixture, `list-${mode}`);
      try {
        assert.equal(h.server.state.kind, 'running', JSON.stringify(h.server.state));
        assert.equal(sessionOf(h.server.state), 'remote-fixture');
        assert.deepEqual(h.server.tools.map((t) => t.name), ['echo', 'hang', 'add_tool', 'interrupt']);
        assert.equal(text(await h.call('echo', { text: 'over the wire' })), 'over the wire');
        assert.ok(h.lines.some(/^Starting: http:\/\/127\.0\.0\.1:\d+\/mcp \(Streamable HTTP\)$/), h.lines.lines.join('\n'));
      } finally {
        await h.dispose();
      }
      await fixture.waitFor(/^deleted /);
      await fixture.stop();
    });

    it('cancels a call that timed out with a notifications/cancelled POST', async () => {
      const fixture = await startRemoteFixture(mode === 'json' ? ['--json'] : []);
      const h = await host(fixture, `timeout-${mode}`);
      try {
        const outcome = failed(await h.call('hang', {}, 200));
        assert.equal(outcome.error.code, 'TIMEOUT');
        assert.match(outcome.error.message, /tool "hang".*200 ms/);
        // The fixture saw the cancellation, which only a POST of notifications/cancelled carries.
        assert.match(await fixture.waitFor(/^cancelled /), /^cancelled \d+$/);
        assert.equal(text(await h.call('echo', { text: 'still here' })), 'still here');
        assert.deepEqual(h.states, ['starting', 'running'], 'the session survived the cancellation');
      } finally {
        await h.dispose();
        await fixture.stop();
      }
    });
  });
}

describe('a remote server over Streamable HTTP (SDK fixture)', () => {
  it('refreshes its tools when list_changed arrives on the standing GET stream', async () => {
    const fixture = await startRemoteFixture();
    const h = await host(fixture, 'list-changed');
    try {
      await fixture.waitFor(/^standing /);
      const changed = nextEvent(h.server.onDidChangeTools, (tools) => tools.some((t) => t.name === 'later'));
      assert.equal(text(await h.call('add_tool', { name: 'later' })), 'added later');
      const tools = await changed;
      assert.deepEqual(tools.map((t) => t.name), ['echo', 'hang', 'add_tool', 'interrupt', 'later']);
    } finally {
      await h.dispose();
      await fixture.stop();
    }
  });

  it('resumes an answer stream the server dropped, with Last-Event-ID', async () => {
    const fixture = await startRemoteFixture();
    const h = await host(fixture, 'resume');
    try {
      assert.equal(text(await h.call('interrupt')), 'answered after the drop');
      assert.match(await fixture.waitFor(/^resumed /), /^resumed \S+$/);
    } finally {
      await h.dispose();
      await fixture.stop();
    }
  });

  it('opens a new session after the server forgot the old one (HTTP 404), and the next call succeeds', async () => {
    const fixture = await startRemoteFixture();
    const h = await host(fixture, 'session-gone');
    try {
      const firstSession = (await fixture.waitFor(/^session /)).split(' ')[1];
      await fixture.waitFor(/^standing /);
      const back = nextEvent(h.server.onDidChangeState, (s) => s.kind === 'running');
      await fixture.forgetSessions();
      await back;
      const secondSession = (await fixture.waitFor(/^session /, 2)).split(' ')[1];
      assert.notEqual(secondSession, firstSession);
      assert.ok(h.lines.some(/ended the session \(HTTP 404 at http:\/\/127\.0\.0\.1:\d+\/mcp\)/), h.lines.lines.join('\n'));
      assert.deepEqual(h.states.slice(-3), ['restarting', 'starting', 'running']);
      assert.equal(text(await h.call('echo', { text: 'new session' })), 'new session');
    } finally {
      await h.dispose();
      await fixture.stop();
    }
  });

  it('comes back on a new session after the server process restarts on the same port', async () => {
    let fixture = await startRemoteFixture();
    // Restarts keep coming until the new process listens; the test does not guess how long that takes.
    const patient = backoffRestartPolicy({ baseDelayMs: 20, maxDelayMs: 100, maxCrashes: 200, windowMs: 60_000, random: () => 0.5 });
    const h = await host(fixture, 'restart', { restartPolicy: patient });
    try {
      const gone = nextEvent(h.server.onDidChangeState, (s) => s.kind === 'restarting');
      await fixture.stop();
      const restarting = await gone;
      assert.equal(restarting.kind, 'restarting');
      const back = nextEvent(h.server.onDidChangeState, (s) => s.kind === 'running');
      fixture = await startRemoteFixture(['--port', String(fixture.port)]);
      await back;
      assert.equal(text(await h.call('echo', { text: 'after restart' })), 'after restart');
    } finally {
      await h.dispose();
      await fixture.stop();
    }
  });

  it('reports a server that is down clearly, restarts with backoff, then gives up as for a local server', async () => {
    const fixture = await startRemoteFixture();
    const h = await host(fixture, 'down');
    const port = fixture.port;
    try {
      const gaveUp = nextEvent(h.server.onDidChangeState, (s) => s.kind === 'error');
      await fixture.stop();
      const error = await gaveUp;
      assert.match(
        error.kind === 'error' ? error.message : '',
        new RegExp(`could not be reached at http://127\\.0\\.0\\.1:${port}/mcp.*(refused|ECONNREFUSED).*crashed 3 times`),
      );
      assert.deepEqual(h.states, ['starting', 'running', 'restarting', 'starting', 'restarting', 'starting', 'error']);
      const refused = failed(await h.call('echo', { text: 'anyone?' }));
      assert.equal(refused.error.code, 'SERVER_NOT_RUNNING');
      assert.match(refused.error.message, /Server "rx" has no tool "echo" available\. Error: start failed: The server could not be reached at http:\/\/127\.0\.0\.1:\d+\/mcp: the connection was refused/);
    } finally {
      await h.dispose();
    }
  });

  it('opens the circuit after repeated timeouts, as for a local server', async () => {
    const fixture = await startRemoteFixture();
    const h = await host(fixture, 'breaker', { supervision: { circuit: { failureThreshold: 2, coolDownMs: 60_000 }, retry: { maxRetries: 0 } } });
    try {
      assert.equal(failed(await h.call('hang', {}, 100)).error.code, 'TIMEOUT');
      assert.equal(failed(await h.call('hang', {}, 100)).error.code, 'TIMEOUT');
      assert.equal(h.server.circuit.kind, 'open');
      const refused = failed(await h.call('echo', { text: 'x' }));
      assert.equal(refused.error.code, 'CIRCUIT_OPEN');
    } finally {
      await h.dispose();
      await fixture.stop();
    }
  });
});

describe('a remote server definition that cannot work', () => {
  it('refuses a non-http(s) URL without retrying', async () => {
    const lines = new LogLines();
    const registry = new ServerRegistry(() => testDeps(lines, { createTransport: fastTransports() }));
    try {
      await registry.reconcile([{ kind: 'http', id: 'bad', label: 'bad', url: 'file:///etc/passwd', builtin: false }]);
      const state = registry.get('bad')!.state;
      assert.equal(state.kind, 'error');
      assert.match(state.kind === 'error' ? state.message : '', /the URL scheme "file" is not supported/);
    } finally {
      await registry.dispose();
    }
  });
});
