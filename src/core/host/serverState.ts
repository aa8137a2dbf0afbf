import type { Tool } from '../protocol/types';
import type { SessionInfo } from '../client/mcpClient';
import { canonicalJson } from '../util/canonicalJson';

/** Where a hosted server is in its life. Every transition fires `onDidChangeState` exactly once. */
export type ServerState =
  | { readonly kind: 'stopped' }
  | { readonly kind: 'starting'; readonly attempt: number }
  | { readonly kind: 'running'; readonly session: SessionInfo; readonly tools: readonly Tool[]; readonly pid?: number }
  | { readonly kind: 'restarting'; readonly reason: string; readonly delayMs: number; readonly attempt: number }
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'stopping' };

export type ServerStateKind = ServerState['kind'];

/** True when `b` says nothing new over `a`: setting it is not a transition and fires no event. */
export function sameState(a: ServerState, b: ServerState): boolean {
  return a === b || (a.kind === b.kind && canonicalJson(a) === canonicalJson(b));
}

export function describeState(state: ServerState): string {
  switch (state.kind) {
    case 'stopped':
      return 'Stopped';
    case 'starting':
      return state.attempt > 1 ? `Starting (attempt ${state.attempt})` : 'Starting';
    case 'running':
      return `Running: ${state.tools.length} tool${state.tools.length === 1 ? '' : 's'}`;
    case 'restarting':
      return `Restarting in ${Math.ceil(state.delayMs / 1000)} s: ${state.reason}`;
    case 'error':
      return `Error: ${state.message}`;
    case 'stopping':
      return 'Stopping';
  }
}
