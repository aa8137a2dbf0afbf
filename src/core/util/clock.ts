/**
 * Time as a dependency. Supervision reads the time and sets timers only through a `Clock`, so a
 * test can drive timeouts, idle checks and cool-downs by moving a manual clock instead of waiting.
 */
import type { Disposable } from './disposable';

export interface Clock {
  /** Milliseconds, monotonic enough for durations. */
  now(): number;
  /** Calls `callback` once after `ms`; disposing the result before then cancels it. */
  setTimer(ms: number, callback: () => void): Disposable;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, callback) {
    const timer = setTimeout(callback, Math.max(0, ms));
    return { dispose: () => clearTimeout(timer) };
  },
};
