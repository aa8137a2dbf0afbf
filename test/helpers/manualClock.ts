import type { Clock } from '../../src/core/util/clock';
import type { Disposable } from '../../src/core/util/disposable';

interface Timer {
  readonly at: number;
  readonly order: number;
  readonly callback: () => void;
  live: boolean;
}

/** A clock that moves only when a test says so; timers fire in order as it passes them. */
export class ManualClock implements Clock {
  private time = 1_000_000;
  private order = 0;
  private timers: Timer[] = [];

  now(): number {
    return this.time;
  }

  setTimer(ms: number, callback: () => void): Disposable {
    const timer: Timer = { at: this.time + Math.max(0, ms), order: this.order++, callback, live: true };
    this.timers.push(timer);
    return {
      dispose: () => {
        timer.live = false;
      },
    };
  }

  /** Moves time forward by `ms`, firing every timer due on the way (and timers those set). */
  advance(ms: number): void {
    const target = this.time + ms;
    for (;;) {
      this.timers = this.timers.filter((t) => t.live);
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.order - b.order)[0];
      if (!due) break;
      due.live = false;
      this.time = Math.max(this.time, due.at);
      due.callback();
    }
    this.time = target;
  }

  /** Timers set and neither fired nor disposed. */
  get pendingTimers(): number {
    return this.timers.filter((t) => t.live).length;
  }
}
