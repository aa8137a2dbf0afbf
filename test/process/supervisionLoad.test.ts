/**
 * 2,000 calls at once across four fixture servers: every call gets its own answer, and nothing is
 * left behind afterwards: no queued or pending call, no progress handler, no listener on the
 * callers' signals, no listener-leak warning, and no process once the registry is disposed.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { getEventListeners } from 'node:events';
import { after, describe, it } from 'node:test';
import { ServerRegistry } from '../../src/core/host/serverRegistry';
import { stdioTransportFactory } from '../../src/core/host/stdioTransportFactory';
import type { CallToolResult } from '../../src/core/protocol/types';
import { LogLines } from '../helpers/logLines';
import { isAlive, misbehavingServer, nodeServer, testDeps } from '../helpers/processes';

function text(result: CallToolResult): string {
  const first = result.content[0];
  return first?.type === 'text' ? first.text : '';
}

describe('load', () => {
  const registries: ServerRegistry[] = [];
  after(async () => {
    for (const registry of registries) await registry.dispose();
  });

  it('answers 2,000 concurrent calls over four servers, each with its own answer, and leaks nothing', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning);
    process.on('warning', onWarning);
    const lines = new LogLines();
    const registry = new ServerRegistry(() =>
      testDeps(lines, {
        createTransport: stdioTransportFactory({ graceMs: { afterStdinEnd: 500, afterTerm: 500 } }),
        supervision: { maxConcurrentCalls: 64, maxQueuedCalls: 1000 },
      }),
    );
    registries.push(registry);
    const ids = ['a', 'b', 'c', 'd'];
    await registry.reconcile(ids.map((id) => nodeServer(id, misbehavingServer)));
    const servers = ids.map((id) => registry.get(id)!);
    const pids = servers.map((s) => (s.state.kind === 'running' ? s.state.pid : undefined));
    assert.ok(pids.every((pid) => pid !== undefined && isAlive(pid)));

    const callers = Array.from({ length: 2000 }, () => new AbortController());
    const progressSeen: number[] = [];
    const calls = callers.map((caller, i) => {
      const server = servers[i % servers.length]!;
      if (i % 10 === 9) {
        let count = 0;
        return server
          .callTool('tick', { steps: 2, intervalMs: 1 }, { timeoutMs: 30_000, signal: caller.signal, onProgress: () => void count++ })
          .then((result) => {
            progressSeen.push(count);
            return { sent: 'ticked 2', got: text(result) };
          });
      }
      const sent = `${server.id}-${i}-${randomUUID()}`;
      return server.callTool('echo', { text: sent }, { timeoutMs: 30_000, signal: caller.signal }).then((result) => ({ sent, got: text(result) }));
    });
    assert.ok(servers.some((s) => s.counts.calls.queued > 0), 'the limit of 64 calls in flight made calls wait');
    const results = await Promise.all(calls);

    assert.equal(results.length, 2000);
    assert.deepEqual(results.filter((r) => r.sent !== r.got), [], 'no call got another call\'s answer');
    assert.equal(new Set(results.map((r) => r.got)).size, 1800 + 1, 'every echo answer is distinct');
    assert.deepEqual([...new Set(progressSeen)], [2], 'each progress call saw its own two notifications');
    assert.equal(callers.filter((c) => getEventListeners(c.signal, 'abort').length > 0).length, 0, 'no listener left on a caller\'s signal');
    for (const server of servers) {
      assert.deepEqual(server.counts, {
        calls: { active: 0, queued: 0 },
        session: { pendingRequests: 0, progressHandlers: 0, awaitingResponses: 0 },
      });
    }

    await registry.dispose();
    assert.deepEqual(pids.filter((pid) => pid !== undefined && isAlive(pid)), []);
    process.off('warning', onWarning);
    assert.deepEqual(warnings.map((w) => w.message), []);
  });
});
