/**
 * Log messages for clients about the hosted servers: one when a server's state changes kind
 * (running, restarting, failed, stopped), at a level that says how much it matters.
 */
import type { ServerRegistry } from '../core/host/serverRegistry';
import { describeState, type ServerState } from '../core/host/serverState';
import type { LoggingLevel } from '../core/protocol/types';
import type { Disposable } from '../core/util/disposable';

export interface ServerStateMessage {
  readonly level: LoggingLevel;
  readonly data: { readonly server: string; readonly state: ServerState['kind']; readonly message: string };
}

export function watchServerStates(registry: ServerRegistry, emit: (message: ServerStateMessage) => void): Disposable {
  const last = new Map<string, ServerState['kind']>(registry.all().map((s) => [s.id, s.state.kind]));
  return registry.onDidChange((server) => {
    if (!server || last.get(server.id) === server.state.kind) return;
    last.set(server.id, server.state.kind);
    const level = levelOf(server.state);
    if (level === undefined) return;
    emit({ level, data: { server: server.id, state: server.state.kind, message: `Server "${server.id}": ${describeState(server.state)}.` } });
  });
}

function levelOf(state: ServerState): LoggingLevel | undefined {
  switch (state.kind) {
    case 'running':
      return 'info';
    case 'restarting':
      return 'warning';
    case 'error':
      return 'error';
    case 'stopped':
      return 'notice';
    case 'starting':
    case 'stopping':
      return undefined;
  }
}
