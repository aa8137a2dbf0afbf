/**
 * MCP cancels a request with `notifications/cancelled { requestId, reason }`. vscode-jsonrpc owns
 * request ids and calls the sender strategy with only the id, so the reason travels through a
 * context that `enableCancellation` binds to the id while `sendRequest` runs (synchronously).
 */
import type { CancellationId, CancellationStrategy, MessageConnection, RequestMessage } from 'vscode-jsonrpc/node';
import { CancellationReceiverStrategy } from 'vscode-jsonrpc/node';
import { Cancelled } from '../protocol/methods';

export interface RequestContext {
  /** The JSON-RPC id vscode-jsonrpc gave the request; set while `sendRequest` runs. */
  id?: number | string;
  /** Why the request was cancelled, sent to the server. */
  reason?: string;
}

export class ClientCancellation implements CancellationStrategy {
  private next: RequestContext | undefined;
  private readonly byId = new Map<CancellationId, RequestContext>();

  readonly receiver = CancellationReceiverStrategy.Message;

  readonly sender = {
    enableCancellation: (request: RequestMessage) => {
      if (this.next) {
        this.next.id = request.id ?? undefined;
        if (request.id !== null) this.byId.set(request.id, this.next);
        this.next = undefined;
      }
    },
    sendCancellation: (connection: MessageConnection, id: CancellationId) => {
      const reason = this.byId.get(id)?.reason;
      return connection.sendNotification(Cancelled.type, reason === undefined ? { requestId: id } : { requestId: id, reason });
    },
    cleanup: (id: CancellationId) => {
      this.byId.delete(id);
    },
  };

  /** Runs `send` (which must call `sendRequest` synchronously) with `context` bound to its id. */
  bind<T>(context: RequestContext, send: () => T): T {
    this.next = context;
    try {
      return send();
    } finally {
      this.next = undefined;
    }
  }

  /** Forgets a request whose response will never be awaited. */
  forget(id: CancellationId | undefined): void {
    if (id !== undefined) this.byId.delete(id);
  }
}
