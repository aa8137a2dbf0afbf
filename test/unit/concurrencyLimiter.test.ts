import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { describe, it } from 'node:test';
import { ConcurrencyLimiter, QueueFullError } from '../../src/core/host/concurrencyLimiter';
import type { Disposable } from '../../src/core/util/disposable';

const open = new AbortController().signal;

describe('ConcurrencyLimiter', () => {
  it('runs at most C at once and hands slots to waiting calls in order', async () => {
    const limiter = new ConcurrencyLimiter(2, 10);
    const a = await limiter.acquire(open);
    const b = await limiter.acquire(open);
    const order: string[] = [];
    const noting = (name: string) => (slot: Disposable): Disposable => {
      order.push(name);
      return slot;
    };
    const c = limiter.acquire(open).then(noting('c'));
    const d = limiter.acquire(open).then(noting('d'));
    assert.deepEqual(limiter.counts, { active: 2, queued: 2 });
    a.dispose();
    a.dispose();
    const slotC = await c;
    assert.deepEqual(limiter.counts, { active: 2, queued: 1 }, 'releasing twice frees one slot');
    b.dispose();
    const slotD = await d;
    assert.deepEqual(order, ['c', 'd']);
    slotC.dispose();
    slotD.dispose();
    assert.deepEqual(limiter.counts, { active: 0, queued: 0 });
  });

  it('refuses at once when the queue is full', async () => {
    const limiter = new ConcurrencyLimiter(1, 1);
    const held = await limiter.acquire(open);
    const waiting = limiter.acquire(open);
    await assert.rejects(limiter.acquire(open), (error: unknown) => {
      assert.ok(error instanceof QueueFullError);
      assert.deepEqual(error.counts, { active: 1, queued: 1 });
      return true;
    });
    held.dispose();
    (await waiting).dispose();
  });

  it('drops a waiting call whose signal aborts, and removes its listener when granted', async () => {
    const limiter = new ConcurrencyLimiter(1, 5);
    const held = await limiter.acquire(open);
    const leaving = new AbortController();
    const staying = new AbortController();
    const left = limiter.acquire(leaving.signal);
    const stays = limiter.acquire(staying.signal);
    leaving.abort(new Error('gave up'));
    await assert.rejects(left, /gave up/);
    assert.deepEqual(limiter.counts, { active: 1, queued: 1 });
    held.dispose();
    const slot: Disposable = await stays;
    assert.equal(getEventListeners(staying.signal, 'abort').length, 0);
    slot.dispose();
    await assert.rejects(limiter.acquire(leaving.signal), /gave up/);
    assert.deepEqual(limiter.counts, { active: 0, queued: 0 });
  });
});
