/**
 * At most `maxActive` calls run at once; up to `maxQueued` more wait in order for a slot, and one
 * more is refused at once rather than left to hang. A waiting call leaves the queue as soon as its
 * signal aborts (its caller cancelled or its time ran out).
 */
import type { Disposable } from '../util/disposable';

export interface LimiterCounts {
  readonly active: number;
  readonly queued: number;
}

/** Thrown by `acquire` when the queue is full; the caller turns it into its own message. */
export class QueueFullError extends Error {
  constructor(readonly counts: LimiterCounts) {
    super(`${counts.active} calls are running and ${counts.queued} are waiting.`);
    this.name = 'QueueFullError';
  }
}

interface Waiter {
  readonly grant: (slot: Disposable) => void;
}

export class ConcurrencyLimiter {
  private active = 0;
  private readonly queue = new Set<Waiter>();

  constructor(
    private readonly maxActive: number,
    private readonly maxQueued: number,
  ) {}

  get counts(): LimiterCounts {
    return { active: this.active, queued: this.queue.size };
  }

  /**
   * Resolves with a slot, to be disposed when the call ends. Rejects with `QueueFullError` at once
   * when the queue is full, and with `signal.reason` when the signal aborts first.
   */
  acquire(signal: AbortSignal): Promise<Disposable> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.active < this.maxActive && this.queue.size === 0) return Promise.resolve(this.take());
    if (this.queue.size >= this.maxQueued) return Promise.reject(new QueueFullError(this.counts));
    return new Promise<Disposable>((resolve, reject) => {
      const onAbort = (): void => {
        this.queue.delete(waiter);
        reject(signal.reason);
      };
      const waiter: Waiter = {
        grant: (slot) => {
          signal.removeEventListener('abort', onAbort);
          resolve(slot);
        },
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.queue.add(waiter);
    });
  }

  private take(): Disposable {
    this.active++;
    let released = false;
    return {
      dispose: () => {
        if (released) return;
        released = true;
        this.active--;
        this.next();
      },
    };
  }

  private next(): void {
    // A Set iterates in insertion order, and deleting the current entry is safe.
    for (const waiter of this.queue) {
      if (this.active >= this.maxActive) return;
      this.queue.delete(waiter);
      waiter.grant(this.take());
    }
  }
}
