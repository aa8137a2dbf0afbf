import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SESSION_RENEWAL_MIN_MS } from '../../src/core/host/endings';
import { backoffRestartPolicy } from '../../src/core/host/restartPolicy';
import { ServerRegistry } from '../../src/core/host/serverRegistry';
import type { ServerState } from '../../src/core/host/serverState';
import { McpServer } from '../../src/servers/shared/mcpServer';
import { nextEvent } from '../helpers/events';
import { ManualClock } from '../helpers/manualClock';
import { linkInMemory, type MemoryLink } from '../helpers/memoryTransport';
import { echoTool } from '../helpers/toolFixtures';

const SESSION_ENDED = { code: null, signal: null, reason: 'ended the session (HTTP 404 at http://127.0.0.1:1/mcp)', sessionEnded: true } as const;

/** One in-memory server per connection, a manual clock, and the states it goes through. */
async function hosted() {
  const clock = new ManualClock();
  const links: MemoryLink[] = [];
  const lines: string[] = [];
  const registry = new ServerRegistry(() => ({
    createTransport: () => {
      const link = linkInMemory(new McpServer({ info: { name: 'remote', version: '1' }, log: () => undefined }, [echoTool]));
      links.push(link);
      return link.transport;
    },
    clientInfo: { name: 'test', version: '0' },
    restartPolicy: backoffRestartPolicy({ baseDelayMs: 500, maxDelayMs: 30_000, maxCrashes: 2, windowMs: 3_600_000, random: () => 0.5 }),
    timeouts: { initializeMs: 5000, listToolsMs: 5000 },
    log: (line) => lines.push(line),
    clock,
  }));
  await registry.reconcile([{ id: 'remote', label: 'remote', command: 'unused', args: [], builtin: false }]);
  const server = registry.get('remote');
  assert.ok(server);
  const states: string[] = [];
  server.onDidChangeState((s: ServerState) => states.push(s.kind));
  return { clock, links, lines, registry, server, states };
}

describe('a session the server ends', () => {
  it('is renewed at once, and never counted as a crash, when it had lasted a while', async () => {
    const h = await hosted();
    try {
      for (let round = 1; round <= 3; round++) {
        h.clock.advance(SESSION_RENEWAL_MIN_MS);
        const running = nextEvent(h.server.onDidChangeState, (s) => s.kind === 'running');
        h.links.at(-1)!.endWith(SESSION_ENDED);
        await running;
      }
      // Three ends in an hour with a guard of two crashes: none of them counted.
      assert.deepEqual(h.states, ['starting', 'running', 'starting', 'running', 'starting', 'running']);
      assert.equal(h.links.length, 4);
      assert.equal(h.lines.filter((l) => l.startsWith('Opening a new session (the last one lasted 30 s).')).length, 3);
    } finally {
      await h.registry.dispose();
    }
  });

  it('counts as a crash when the server ends sessions sooner, so the crash-loop guard still stops it', async () => {
    const h = await hosted();
    try {
      const restarting = nextEvent(h.server.onDidChangeState, (s) => s.kind === 'restarting');
      h.links.at(-1)!.endWith(SESSION_ENDED);
      await restarting;
      const running = nextEvent(h.server.onDidChangeState, (s) => s.kind === 'running');
      h.clock.advance(500); // the backoff's delay, and not a moment more: the handshake's own timeout runs on this clock too
      await running;
      const error = nextEvent(h.server.onDidChangeState, (s) => s.kind === 'error');
      h.links.at(-1)!.endWith(SESSION_ENDED);
      const state = await error;
      assert.ok(state.kind === 'error');
      assert.match(state.message, /ended the session \(HTTP 404/);
    } finally {
      await h.registry.dispose();
    }
  });
});
