import type { CancellationToken } from 'vscode-jsonrpc/node';

/**
 * A call's AbortSignal, made when the tool first asks for it: most calls (a file read, a query)
 * never look, and a controller with its subscription to the token cost ~10 µs of every call.
 */
export class LazyCancellation {
  private controller: AbortController | undefined;
  private subscription: { dispose(): void } | undefined;

  constructor(private readonly token: CancellationToken) {}

  get signal(): AbortSignal {
    if (this.controller === undefined) {
      const controller = new AbortController();
      this.controller = controller;
      const cancel = (): void => controller.abort(new Error('The client cancelled the call.'));
      this.subscription = this.token.onCancellationRequested(cancel);
      if (this.token.isCancellationRequested) cancel();
    }
    return this.controller.signal;
  }

  dispose(): void {
    this.subscription?.dispose();
  }
}
