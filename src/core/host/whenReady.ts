/**
 * Waits for something to become ready, re-checking on every change event, until it is ready, it
 * can never be (it failed), or the signal aborts (then it rejects with `signal.reason`). Leaves no
 * subscription and no listener behind, whichever happens first.
 */
import type { Event } from 'vscode-jsonrpc/node';

export type Readiness<T> = { readonly ready: T } | { readonly wait: true } | { readonly failed: Error };

export function whenReady<T>(onDidChange: Event<unknown>, signal: AbortSignal, check: () => Readiness<T>): Promise<T> {
  const first = check();
  if ('ready' in first) return Promise.resolve(first.ready);
  if ('failed' in first) return Promise.reject(first.failed);
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const done = (outcome: () => void): void => {
      subscription.dispose();
      signal.removeEventListener('abort', onAbort);
      outcome();
    };
    const onAbort = (): void => done(() => reject(signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
    const subscription = onDidChange(() => {
      const next = check();
      if ('ready' in next) done(() => resolve(next.ready));
      else if ('failed' in next) done(() => reject(next.failed));
    });
  });
}
