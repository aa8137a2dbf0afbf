import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReplayBuffer } from '../../src/gateway/replayBuffer';
import { SessionTable, type EndReason } from '../../src/gateway/sessionTable';
import { ManualClock } from '../helpers/manualClock';

class Value {
  disposed = 0;
  dispose(): void {
    this.disposed++;
  }
}

function table(clock: ManualClock, maxSessions = 3, idleMs = 1000) {
  const ended: Array<[string, EndReason]> = [];
  let next = 0;
  const sessions = new SessionTable<Value>({ idleMs, maxSessions, clock, onEnded: (id, reason) => ended.push([id, reason]), newId: () => `s${++next}` });
  return { sessions, ended };
}

function admit(sessions: SessionTable<Value>, value = new Value()): string {
  const admission = sessions.add(value);
  assert.equal(admission.kind, 'admitted');
  return admission.kind === 'admitted' ? admission.id : '';
}

describe('the HTTP session table', () => {
  it('ends a session that idles past the limit, and only then', () => {
    const clock = new ManualClock();
    const { sessions, ended } = table(clock);
    const value = new Value();
    const id = admit(sessions, value);
    clock.advance(999);
    assert.equal(sessions.get(id), value);
    clock.advance(1);
    assert.equal(sessions.get(id), undefined);
    assert.deepEqual(ended, [['s1', 'expired']]);
    assert.equal(value.disposed, 1);
    assert.equal(clock.pendingTimers, 0);
  });

  it('does not expire a session while a request or stream holds it, and counts idle time from the last release', () => {
    const clock = new ManualClock();
    const { sessions, ended } = table(clock);
    const id = admit(sessions);
    const request = sessions.hold(id)!;
    const stream = sessions.hold(id)!;
    clock.advance(5000);
    request.dispose();
    request.dispose();
    clock.advance(5000);
    assert.deepEqual(ended, [], 'the stream still holds it');
    stream.dispose();
    clock.advance(999);
    assert.deepEqual(ended, []);
    clock.advance(1);
    assert.deepEqual(ended, [['s1', 'expired']]);
    assert.equal(sessions.hold(id), undefined, 'an ended session cannot be held');
  });

  it('ends a session on request, once', () => {
    const clock = new ManualClock();
    const { sessions, ended } = table(clock);
    const value = new Value();
    const id = admit(sessions, value);
    const hold = sessions.hold(id)!;
    assert.equal(sessions.end(id, 'deleted'), true);
    assert.equal(sessions.end(id, 'deleted'), false);
    hold.dispose();
    clock.advance(10_000);
    assert.deepEqual(ended, [['s1', 'deleted']]);
    assert.equal(value.disposed, 1);
    assert.equal(clock.pendingTimers, 0);
  });

  it('when full, evicts the session idle the longest, and refuses when every session is busy', () => {
    const clock = new ManualClock();
    const { sessions, ended } = table(clock, 2);
    const first = admit(sessions);
    clock.advance(10);
    const second = admit(sessions);
    clock.advance(10);
    sessions.hold(first)!.dispose(); // first is now idle since later than second
    assert.equal(sessions.hasRoom(), true);
    const third = admit(sessions);
    assert.deepEqual(ended, [[second, 'evicted']]);
    const holds = [sessions.hold(first)!, sessions.hold(third)!];
    assert.equal(sessions.hasRoom(), false);
    const refused = new Value();
    assert.deepEqual(sessions.add(refused), { kind: 'full' });
    assert.equal(refused.disposed, 0, 'the caller still owns a refused value');
    holds[0]!.dispose();
    assert.equal(sessions.hasRoom(), true);
  });

  it('ends every session at shutdown', () => {
    const clock = new ManualClock();
    const { sessions, ended } = table(clock);
    admit(sessions);
    admit(sessions);
    sessions.dispose();
    assert.deepEqual(ended.map(([, reason]) => reason), ['shutdown', 'shutdown']);
    assert.equal(sessions.size, 0);
    assert.equal(clock.pendingTimers, 0);
  });
});

describe('a replay buffer', () => {
  it('replays the events after the one named, and says when events were lost', () => {
    const buffer = new ReplayBuffer(3);
    assert.equal(buffer.lastId, 0);
    assert.deepEqual(buffer.after('0'), { kind: 'events', events: [] });
    for (const n of [1, 2, 3, 4, 5]) buffer.append({ n });
    assert.equal(buffer.lastId, 5);
    assert.deepEqual(buffer.after('3'), { kind: 'events', events: [{ id: 4, message: { n: 4 } }, { id: 5, message: { n: 5 } }] });
    assert.deepEqual(buffer.after('2'), { kind: 'events', events: [3, 4, 5].map((id) => ({ id, message: { n: id } })) });
    assert.deepEqual(buffer.after('5'), { kind: 'events', events: [] });
    assert.deepEqual(buffer.after('1'), { kind: 'lost', why: '1 event(s) after 1 are no longer kept (only the last 3 are)' });
    assert.equal(buffer.after('6').kind, 'lost');
    assert.equal(buffer.after('abc').kind, 'lost');
    assert.equal(buffer.after('-1').kind, 'lost');
    assert.throws(() => new ReplayBuffer(0), RangeError);
  });
});
