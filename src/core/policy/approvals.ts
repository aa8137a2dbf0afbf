/**
 * Approvals a person gave to a confirmation: once (not remembered), for this session, in this
 * workspace, or always. Workspace and global approvals live in stores the front end provides
 * (VS Code's workspace and global state), so they survive a restart; all can be revoked.
 */
import { Emitter, type Event } from 'vscode-jsonrpc/node';
import type { ApprovalView } from './types';

export type ApprovalScope = 'session' | 'workspace' | 'always';

export interface ApprovalPersistence {
  read(): readonly string[];
  write(keys: readonly string[]): Promise<void>;
}

export interface Approval {
  readonly key: string;
  readonly scope: ApprovalScope;
}

export class Approvals implements ApprovalView {
  private readonly session = new Set<string>();
  private readonly changeEmitter = new Emitter<void>();
  readonly onDidChange: Event<void> = this.changeEmitter.event;

  constructor(private readonly stores: { readonly workspace: ApprovalPersistence; readonly always: ApprovalPersistence }) {}

  has(key: string): boolean {
    return this.session.has(key) || this.stores.workspace.read().includes(key) || this.stores.always.read().includes(key);
  }

  async grant(key: string, scope: ApprovalScope): Promise<void> {
    if (scope === 'session') {
      this.session.add(key);
    } else {
      const store = this.stores[scope];
      const keys = store.read();
      if (!keys.includes(key)) await store.write([...keys, key]);
    }
    this.changeEmitter.fire();
  }

  async revoke(approval: Approval): Promise<void> {
    if (approval.scope === 'session') {
      this.session.delete(approval.key);
    } else {
      const store = this.stores[approval.scope];
      await store.write(store.read().filter((k) => k !== approval.key));
    }
    this.changeEmitter.fire();
  }

  list(): Approval[] {
    return [
      ...[...this.session].map((key) => ({ key, scope: 'session' as const })),
      ...this.stores.workspace.read().map((key) => ({ key, scope: 'workspace' as const })),
      ...this.stores.always.read().map((key) => ({ key, scope: 'always' as const })),
    ];
  }

  dispose(): void {
    this.changeEmitter.dispose();
  }
}

/** An in-memory store, for tests and the headless gateway. */
export function memoryPersistence(initial: readonly string[] = []): ApprovalPersistence {
  let keys = [...initial];
  return {
    read: () => keys,
    write: async (next) => {
      keys = [...next];
    },
  };
}
