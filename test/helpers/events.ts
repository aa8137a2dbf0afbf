import type { Event } from 'vscode-jsonrpc/node';

/** Resolves with the first event that satisfies `predicate`. Tests wait on events, never on the clock. */
export function nextEvent<T>(event: Event<T>, predicate: (value: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve) => {
    const subscription = event((value) => {
      if (!predicate(value)) return;
      subscription.dispose();
      resolve(value);
    });
  });
}
