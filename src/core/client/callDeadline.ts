/**
 * The time budget of one call. A call has a timeout that progress notifications reset, and a hard
 * maximum that nothing extends (default ten times the timeout). Its `signal` aborts when the budget
 * runs out or when the caller cancels, so every wait on the call's path (a queue slot, a server
 * start, the answer itself) ends at the same moment and says which of the two happened.
 */
import type { Clock } from '../util/clock';
import { systemClock } from '../util/clock';
import type { Disposable } from '../util/disposable';
import { WardenError } from '../util/errors';

export interface CallDeadlineOptions {
  /** How long the call may go without an answer or a progress notification. */
  readonly timeoutMs: number;
  /** The most the call may take in all, however often progress resets the timeout. */
  readonly maxTotalMs?: number;
  /** The caller's cancellation. */
  readonly signal?: AbortSignal;
  readonly clock?: Clock;
}

export type DeadlineExpiry =
  | { readonly kind: 'timeout'; readonly timeoutMs: number; readonly progressed: boolean; readonly elapsedMs: number }
  | { readonly kind: 'maximum'; readonly maxTotalMs: number };

export const MAX_TOTAL_FACTOR = 10;

export class CallDeadline implements Disposable {
  private readonly controller = new AbortController();
  private readonly hardStopAt: number;
  private expiresAt: number;
  private timer: Disposable | undefined;
  private progressed = false;
  private expiryValue: DeadlineExpiry | undefined;
  private cancelledValue = false;
  private disposed = false;

  private constructor(
    private readonly options: CallDeadlineOptions,
    private readonly clock: Clock,
    readonly startedAt: number,
  ) {
    this.hardStopAt = startedAt + this.maxTotalMs;
    this.expiresAt = Math.min(startedAt + options.timeoutMs, this.hardStopAt);
  }

  /** Starts the clock: arms the timer and listens to the caller's signal. */
  static start(options: CallDeadlineOptions): CallDeadline {
    const clock = options.clock ?? systemClock;
    const deadline = new CallDeadline(options, clock, clock.now());
    deadline.arm();
    return deadline;
  }

  get timeoutMs(): number {
    return this.options.timeoutMs;
  }

  get maxTotalMs(): number {
    return this.options.maxTotalMs ?? this.options.timeoutMs * MAX_TOTAL_FACTOR;
  }

  /** Aborts when the budget runs out or the caller cancels; `expiry` and `cancelled` say which. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get expiry(): DeadlineExpiry | undefined {
    return this.expiryValue;
  }

  get cancelled(): boolean {
    return this.cancelledValue;
  }

  /** Milliseconds left before the current timeout, at least 0. */
  remainingMs(): number {
    return Math.max(0, this.expiresAt - this.clock.now());
  }

  /** Progress was reported: the timeout starts again, within the hard maximum. */
  touch(): void {
    if (this.controller.signal.aborted) return;
    this.progressed = true;
    this.expiresAt = Math.min(this.clock.now() + this.options.timeoutMs, this.hardStopAt);
  }

  /**
   * A TIMEOUT error for `what` ("tool \"x\""). `waiting` says where a call that never reached the
   * server was held ("waiting for a free slot"); `hint` is what the reader can do about it.
   */
  timeoutError(what: string, extra: { waiting?: string; hint?: string } = {}): WardenError {
    const expiry = this.expiryValue ?? { kind: 'timeout', timeoutMs: this.options.timeoutMs, progressed: false, elapsedMs: 0 };
    const how = extra.waiting !== undefined ? ` after ${formatMs(this.options.timeoutMs)} ${extra.waiting}` : describeExpiry(expiry, ' after ');
    return new WardenError('TIMEOUT', `The ${what} call timed out${how}.${extra.hint !== undefined ? ` ${extra.hint}` : ''}`, expiry);
  }

  /** Why the call was cancelled, in the words sent to the server with `notifications/cancelled`. */
  wireReason(): string {
    return this.cancelledValue || !this.expiryValue ? 'cancelled by the caller' : `timed out${describeExpiry(this.expiryValue, ' after ')}`;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.timer?.dispose();
    this.timer = undefined;
    this.options.signal?.removeEventListener('abort', this.onCallerAbort);
  }

  private arm(): void {
    const caller = this.options.signal;
    if (caller?.aborted) {
      this.onCallerAbort();
      return;
    }
    caller?.addEventListener('abort', this.onCallerAbort, { once: true });
    this.schedule();
  }

  private schedule(): void {
    this.timer = this.clock.setTimer(this.expiresAt - this.clock.now(), () => {
      this.timer = undefined;
      if (this.disposed || this.controller.signal.aborted) return;
      const now = this.clock.now();
      if (now < this.expiresAt) {
        this.schedule();
        return;
      }
      this.expiryValue =
        now >= this.hardStopAt && this.progressed
          ? { kind: 'maximum', maxTotalMs: this.maxTotalMs }
          : { kind: 'timeout', timeoutMs: this.options.timeoutMs, progressed: this.progressed, elapsedMs: now - this.startedAt };
      this.finish(new Error('timed out'));
    });
  }

  private readonly onCallerAbort = (): void => {
    if (this.controller.signal.aborted) return;
    this.cancelledValue = true;
    this.finish(new Error('cancelled'));
  };

  private finish(reason: Error): void {
    this.timer?.dispose();
    this.timer = undefined;
    this.options.signal?.removeEventListener('abort', this.onCallerAbort);
    this.controller.abort(reason);
  }
}

function describeExpiry(expiry: DeadlineExpiry, after: string): string {
  if (expiry.kind === 'maximum') return `: it reached the ${formatMs(expiry.maxTotalMs)} maximum for one call, although it was still reporting progress`;
  if (expiry.progressed) return `: no progress for ${formatMs(expiry.timeoutMs)} (it ran ${formatMs(expiry.elapsedMs)} in all)`;
  return `${after}${formatMs(expiry.timeoutMs)}`;
}

export function formatMs(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : `${Math.round(ms)} ms`;
}
