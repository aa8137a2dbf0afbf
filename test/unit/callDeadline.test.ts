import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { describe, it } from 'node:test';
import { CallDeadline } from '../../src/core/client/callDeadline';
import { ManualClock } from '../helpers/manualClock';

describe('CallDeadline', () => {
  it('expires at its timeout and says so in the words of the error and of the cancellation', () => {
    const clock = new ManualClock();
    const deadline = CallDeadline.start({ timeoutMs: 150, clock });
    clock.advance(149);
    assert.equal(deadline.signal.aborted, false);
    clock.advance(1);
    assert.equal(deadline.signal.aborted, true);
    assert.equal(deadline.cancelled, false);
    assert.deepEqual(deadline.expiry, { kind: 'timeout', timeoutMs: 150, progressed: false, elapsedMs: 150 });
    const error = deadline.timeoutError('tool "x"', { hint: 'Give it longer.' });
    assert.equal(error.code, 'TIMEOUT');
    assert.equal(error.message, 'The tool "x" call timed out after 150 ms. Give it longer.');
    assert.equal(deadline.wireReason(), 'timed out after 150 ms');
    deadline.dispose();
  });

  it('starts the timeout again on progress, until the hard maximum', () => {
    const clock = new ManualClock();
    const deadline = CallDeadline.start({ timeoutMs: 100, maxTotalMs: 350, clock });
    for (let i = 0; i < 3; i++) {
      clock.advance(90);
      deadline.touch();
    }
    assert.equal(deadline.signal.aborted, false, '270 ms in, progress every 90 ms keeps it alive');
    clock.advance(79);
    deadline.touch();
    assert.equal(deadline.signal.aborted, false);
    clock.advance(1);
    assert.equal(deadline.signal.aborted, true, 'the maximum holds although progress came 1 ms ago');
    assert.deepEqual(deadline.expiry, { kind: 'maximum', maxTotalMs: 350 });
    assert.match(deadline.timeoutError('tool "x"').message, /reached the 350 ms maximum for one call, although it was still reporting progress/);
    deadline.dispose();
  });

  it('reports a timeout after progress as a stall', () => {
    const clock = new ManualClock();
    const deadline = CallDeadline.start({ timeoutMs: 1000, clock });
    clock.advance(600);
    deadline.touch();
    clock.advance(1000);
    assert.deepEqual(deadline.expiry, { kind: 'timeout', timeoutMs: 1000, progressed: true, elapsedMs: 1600 });
    assert.equal(deadline.timeoutError('tool "x"').message, 'The tool "x" call timed out: no progress for 1 s (it ran 1600 ms in all).');
    deadline.dispose();
  });

  it('defaults the maximum to ten times the timeout', () => {
    const clock = new ManualClock();
    const deadline = CallDeadline.start({ timeoutMs: 10, clock });
    for (let i = 0; i < 20; i++) {
      clock.advance(9);
      deadline.touch();
    }
    assert.deepEqual(deadline.expiry, { kind: 'maximum', maxTotalMs: 100 });
    deadline.dispose();
  });

  it("follows the caller's signal, and leaves no listener on it", () => {
    const clock = new ManualClock();
    const caller = new AbortController();
    const deadline = CallDeadline.start({ timeoutMs: 100, signal: caller.signal, clock });
    assert.equal(getEventListeners(caller.signal, 'abort').length, 1);
    caller.abort();
    assert.equal(deadline.signal.aborted, true);
    assert.equal(deadline.cancelled, true);
    assert.equal(deadline.expiry, undefined);
    assert.equal(deadline.wireReason(), 'cancelled by the caller');
    assert.equal(getEventListeners(caller.signal, 'abort').length, 0);
    assert.equal(clock.pendingTimers, 0);

    const other = new AbortController();
    const finished = CallDeadline.start({ timeoutMs: 100, signal: other.signal, clock });
    finished.dispose();
    assert.equal(getEventListeners(other.signal, 'abort').length, 0);
    assert.equal(clock.pendingTimers, 0);
  });

  it('is cancelled from the start when the caller already aborted', () => {
    const caller = new AbortController();
    caller.abort();
    const deadline = CallDeadline.start({ timeoutMs: 100, signal: caller.signal, clock: new ManualClock() });
    assert.equal(deadline.cancelled, true);
    deadline.dispose();
  });

  it('names where a call that never ran was waiting', () => {
    const clock = new ManualClock();
    const deadline = CallDeadline.start({ timeoutMs: 2000, clock });
    clock.advance(2000);
    assert.equal(
      deadline.timeoutError('tool "x"', { waiting: 'waiting for a free slot on server "fx"' }).message,
      'The tool "x" call timed out after 2 s waiting for a free slot on server "fx".',
    );
    deadline.dispose();
  });
});
