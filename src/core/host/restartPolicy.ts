/**
 * Decides what happens after a server crashes, from a bounded window of recent crashes:
 * restart after an exponential backoff with full jitter, or give up after too many crashes in
 * the window. A small replaceable object, so tests and settings can tune it.
 */
export type RestartDecision =
  | { readonly action: 'restart'; readonly delayMs: number; readonly message: string }
  | { readonly action: 'give-up'; readonly message: string };

export interface RestartPolicy {
  /** `recentCrashes` holds the crash times (ms) inside the window, oldest first, this one last. */
  decide(recentCrashes: readonly number[]): RestartDecision;
  readonly windowMs: number;
}

export interface BackoffOptions {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxCrashes: number;
  readonly windowMs: number;
  /** A number in [0, 1); injectable so tests are deterministic. */
  readonly random?: () => number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseDelayMs: 500, maxDelayMs: 30_000, maxCrashes: 5, windowMs: 3 * 60_000 };

export function backoffRestartPolicy(options: BackoffOptions = DEFAULT_BACKOFF): RestartPolicy {
  const random = options.random ?? Math.random;
  return {
    windowMs: options.windowMs,
    decide(recentCrashes) {
      const count = recentCrashes.length;
      if (count >= options.maxCrashes) {
        const minutes = Math.round(options.windowMs / 60_000);
        return {
          action: 'give-up',
          message: `crashed ${count} times in ${minutes >= 1 ? `${minutes} min` : `${options.windowMs} ms`}; not restarting. Fix the cause, then run "Warden: Restart Server".`,
        };
      }
      const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, count - 1));
      const delayMs = Math.floor(random() * ceiling);
      return { action: 'restart', delayMs, message: `crash ${count} of ${options.maxCrashes} allowed in the window` };
    },
  };
}
