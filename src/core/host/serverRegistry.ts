/**
 * The set of hosted servers, keyed by id. Owns each `ManagedServer` and its subscriptions; adding,
 * replacing and removing definitions starts, restarts and stops servers accordingly.
 */
import { Emitter, type Event } from 'vscode-jsonrpc/node';
import { DisposableStore } from '../util/disposable';
import { errorMessage } from '../util/errors';
import { ManagedServer, type ManagedServerDeps } from './managedServer';
import { sameLaunch, type ServerDefinition } from './serverDefinition';

export class ServerRegistry {
  private readonly servers = new Map<string, { server: ManagedServer; subscriptions: DisposableStore }>();
  private readonly changeEmitter = new Emitter<ManagedServer | undefined>();

  /**
   * Fires with the server whose state, tools, circuit breaker or tool approvals changed, or
   * undefined when the set changed.
   */
  readonly onDidChange: Event<ManagedServer | undefined> = this.changeEmitter.event;

  constructor(private readonly depsFor: (definition: ServerDefinition) => ManagedServerDeps) {}

  get(id: string): ManagedServer | undefined {
    return this.servers.get(id)?.server;
  }

  ids(): string[] {
    return [...this.servers.keys()];
  }

  all(): ManagedServer[] {
    return [...this.servers.values()].map((entry) => entry.server);
  }

  /**
   * Makes the hosted set match `definitions`: new servers are started, changed launches restarted,
   * missing ones stopped and removed.
   */
  async reconcile(definitions: readonly ServerDefinition[]): Promise<void> {
    const wanted = new Map(definitions.map((d) => [d.id, d]));
    const work: Promise<void>[] = [];
    for (const [id, entry] of this.servers) {
      if (!wanted.has(id)) {
        this.servers.delete(id);
        entry.subscriptions.dispose();
        work.push(entry.server.dispose());
      }
    }
    for (const definition of definitions) {
      const existing = this.servers.get(definition.id);
      if (existing) {
        work.push(existing.server.update(definition, !sameLaunch(existing.server.definition, definition)));
        continue;
      }
      const server = new ManagedServer(definition, this.depsFor(definition));
      const subscriptions = new DisposableStore();
      subscriptions.add(server.onDidChangeState(() => this.changeEmitter.fire(server)));
      subscriptions.add(server.onDidChangeTools(() => this.changeEmitter.fire(server)));
      subscriptions.add(server.onDidChangeCircuit(() => this.changeEmitter.fire(server)));
      subscriptions.add(server.onDidChangeToolApprovals(() => this.changeEmitter.fire(server)));
      this.servers.set(definition.id, { server, subscriptions });
      work.push(server.start());
    }
    this.changeEmitter.fire(undefined);
    const results = await Promise.allSettled(work);
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failures.length > 0) throw new AggregateError(failures.map((f) => f.reason), failures.map((f) => errorMessage(f.reason)).join('; '));
  }

  /** Stops every server; resolves when all processes are gone (each stop escalates to SIGKILL). */
  async dispose(): Promise<void> {
    const entries = [...this.servers.values()];
    this.servers.clear();
    for (const entry of entries) entry.subscriptions.dispose();
    await Promise.allSettled(entries.map((entry) => entry.server.dispose()));
    this.changeEmitter.dispose();
  }
}
