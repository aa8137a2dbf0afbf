import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HealthMonitor, type Pingable } from '../../src/core/host/healthMonitor';
import { WardenError } from '../../src/core/util/errors';
import { ManualClock } from '../helpers/manualClock';

/** A session whose pings the test answers by hand. */
class FakeSession implements Pingable {
  lastActivityAt: number;
  isClosed = false;
  readonly pings: { timeoutMs: number; answer: () => void; fail: (error: unknown) => void }[] = [];
  constructor(private readonly clock: ManualClock) {
    this.lastActivityAt = clock.now();
  }
  ping(options: { timeoutMs: number }): Promise<void> {
    this.lastActivityAt = this.clock.now();
    return new Promise((answer, fail) => this.pings.push({ timeoutMs: options.timeoutMs, answer, fail }));
  }
}

function monitor(idlePingMs = 60_000) {
  const clock = new ManualClock();
  const session = new FakeSession(clock);
  const unresponsive: string[] = [];
  const log: string[] = [];
  const health = new HealthMonitor(session, { idlePingMs, pingTimeoutMs: 10_000, hangGraceMs: 5_000 }, clock, (r) => unresponsive.push(r), (l) => log.push(l));
  return { clock, session, unresponsive, log, health };
}

const timeout = new WardenError('TIMEOUT', 'The ping call timed out.');

describe('HealthMonitor', () => {
  it('pings a server only after N ms without traffic', async () => {
    const { clock, session, health } = monitor();
    health.start();
    clock.advance(30_000);
    session.lastActivityAt = clock.now();
    clock.advance(30_000);
    assert.equal(session.pings.length, 0, 'traffic 30 s ago: not idle yet');
    clock.advance(30_000);
    assert.equal(session.pings.length, 1);
    assert.equal(session.pings[0]?.timeoutMs, 10_000);
    session.pings[0]?.answer();
    await Promise.resolve();
    await Promise.resolve();
    clock.advance(60_000);
    assert.equal(session.pings.length, 2, 'and again after the next idle minute');
    health.dispose();
    assert.equal(clock.pendingTimers, 0);
  });

  it('reports a server that does not answer an idle ping', async () => {
    const { clock, session, unresponsive, health } = monitor(1000);
    health.start();
    clock.advance(1000);
    session.pings[0]?.fail(timeout);
    await health.checkAfterTimeout('never');
    assert.deepEqual(unresponsive, ['it did not answer a ping within 10 s after 1 s without traffic']);
    health.dispose();
  });

  it('after a call timed out, keeps a server that still answers ping and reports one that does not', async () => {
    const { session, unresponsive, log, health } = monitor(0);
    const alive = health.checkAfterTimeout('tool "hang"');
    assert.equal(session.pings[0]?.timeoutMs, 5_000);
    const joined = health.checkAfterTimeout('tool "other"');
    assert.equal(session.pings.length, 1, 'one probe at a time');
    session.pings[0]?.answer();
    await Promise.all([alive, joined]);
    assert.deepEqual(log, ['The tool "hang" call timed out; the server still answers ping, so it keeps running.']);

    const dead = health.checkAfterTimeout('tool "freeze"');
    session.pings[1]?.fail(timeout);
    await dead;
    assert.deepEqual(unresponsive, ['it stopped answering: the tool "freeze" call timed out and it did not answer a ping within 5 s']);

    const answeredWithError = health.checkAfterTimeout('tool "x"');
    session.pings[2]?.fail(new WardenError('PROTOCOL_ERROR', 'The server does not implement ping.'));
    await answeredWithError;
    assert.equal(unresponsive.length, 1, 'an error answer is still an answer');
    health.dispose();
  });
});
