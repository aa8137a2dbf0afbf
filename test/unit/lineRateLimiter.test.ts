import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineRateLimiter } from '../../src/core/transport/lineRateLimiter';
import { ManualClock } from '../helpers/manualClock';

describe('LineRateLimiter', () => {
  it('lets L lines a second through, then sums up the rest when the second ends', () => {
    const clock = new ManualClock();
    const out: string[] = [];
    const limiter = new LineRateLimiter((line) => out.push(line), { linesPerSecond: 3, clock });
    for (let i = 1; i <= 10; i++) limiter.push(`line ${i}`);
    assert.deepEqual(out, ['line 1', 'line 2', 'line 3']);
    clock.advance(1000);
    assert.deepEqual(out.slice(3), ['suppressed 7 lines of server output (more than 3 a second)']);
    limiter.push('line 11');
    assert.equal(out.at(-1), 'line 11', 'a new second lets lines through again');
    limiter.dispose();
    assert.equal(out.length, 5);
    assert.equal(clock.pendingTimers, 0);
  });

  it('writes the summary on dispose when the output ends mid-second', () => {
    const clock = new ManualClock();
    const out: string[] = [];
    const limiter = new LineRateLimiter((line) => out.push(line), { linesPerSecond: 1, clock });
    limiter.push('a');
    limiter.push('b');
    limiter.dispose();
    assert.deepEqual(out, ['a', 'suppressed 1 line of server output (more than 1 a second)']);
    assert.equal(clock.pendingTimers, 0);
  });
});
