/**
 * Lets at most N log lines a second through and counts the rest, so a server that floods stderr
 * cannot flood the log. When a second in which lines were held back ends, one summary line says
 * how many: "suppressed 9,800 lines of server output (more than 200 a second)".
 */
import type { Clock } from '../util/clock';
import { systemClock } from '../util/clock';
import type { Disposable } from '../util/disposable';

export interface LineRateLimiterOptions {
  readonly linesPerSecond: number;
  readonly clock?: Clock;
}

const WINDOW_MS = 1000;

export class LineRateLimiter implements Disposable {
  private readonly clock: Clock;
  private windowStart = -Infinity;
  private passed = 0;
  private suppressed = 0;
  private timer: Disposable | undefined;

  constructor(
    private readonly emit: (line: string) => void,
    private readonly options: LineRateLimiterOptions,
  ) {
    this.clock = options.clock ?? systemClock;
  }

  push(line: string): void {
    const now = this.clock.now();
    if (now - this.windowStart >= WINDOW_MS) {
      this.flush();
      this.windowStart = now;
      this.passed = 0;
    }
    if (this.passed < this.options.linesPerSecond) {
      this.passed++;
      this.emit(line);
      return;
    }
    this.suppressed++;
    this.timer ??= this.clock.setTimer(this.windowStart + WINDOW_MS - now, () => {
      this.timer = undefined;
      this.flush();
    });
  }

  /** Writes the summary for lines held back so far, if any. */
  flush(): void {
    this.timer?.dispose();
    this.timer = undefined;
    if (this.suppressed === 0) return;
    const count = this.suppressed;
    this.suppressed = 0;
    this.emit(`suppressed ${count.toLocaleString('en-US')} line${count === 1 ? '' : 's'} of server output (more than ${this.options.linesPerSecond} a second)`);
  }

  dispose(): void {
    this.flush();
  }
}
