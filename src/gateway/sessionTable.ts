/**
 * The gateway's HTTP sessions by id. A session ends on DELETE, after idling longer than the
 * configured time, by eviction, or at shutdown; a request naming an ended session gets 404 and
 * the client initializes a new one.
 *
 * A session is busy while one of its requests runs or its standing stream is open (each holds
 * it), and idle otherwise; its idle time starts when the last hold ends. The table is bounded:
 * at capacity a new session replaces the one idle the longest, and when every session is busy the
 * new one is refused.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/util/clock';
import type { Disposable } from '../core/util/disposable';

export type EndReason = 'deleted' | 'expired' | 'evicted' | 'shutdown';

export interface SessionTableOptions {
  readonly idleMs: number;
  readonly maxSessions: number;
  readonly clock: Clock;
  readonly onEnded: (id: string, reason: EndReason) => void;
  readonly newId?: () => string;
}

export type Admission = { readonly kind: 'admitted'; readonly id: string } | { readonly kind: 'full' };

interface Entry<T> {
  readonly value: T;
  holds: number;
  idleSince: number;
  expiry: Disposable | undefined;
}

export class SessionTable<T extends Disposable> implements Disposable {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(private readonly options: SessionTableOptions) {
    if (!(options.idleMs > 0)) throw new RangeError(`Sessions must be allowed to idle for some time, not ${options.idleMs} ms.`);
    if (!Number.isInteger(options.maxSessions) || options.maxSessions < 1) throw new RangeError(`At least one session must fit, not ${options.maxSessions}.`);
  }

  get size(): number {
    return this.entries.size;
  }

  /** True when `add` would admit a session now. */
  hasRoom(): boolean {
    return this.entries.size < this.options.maxSessions || this.longestIdle() !== undefined;
  }

  /** Admits `value` under a new id, evicting the longest-idle session when full. */
  add(value: T): Admission {
    if (this.entries.size >= this.options.maxSessions) {
      const victim = this.longestIdle();
      if (victim === undefined) return { kind: 'full' };
      this.end(victim, 'evicted');
    }
    const id = (this.options.newId ?? randomUUID)();
    const entry: Entry<T> = { value, holds: 0, idleSince: this.options.clock.now(), expiry: undefined };
    this.entries.set(id, entry);
    this.arm(id, entry);
    return { kind: 'admitted', id };
  }

  /** The live sessions, oldest first. */
  values(): T[] {
    return [...this.entries.values()].map((e) => e.value);
  }

  get(id: string): T | undefined {
    return this.entries.get(id)?.value;
  }

  /** Keeps the session from idling until the result is disposed; undefined when it has ended. */
  hold(id: string): Disposable | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    entry.holds++;
    entry.expiry?.dispose();
    entry.expiry = undefined;
    let released = false;
    return {
      dispose: () => {
        if (released) return;
        released = true;
        entry.holds--;
        if (entry.holds > 0 || this.entries.get(id) !== entry) return;
        entry.idleSince = this.options.clock.now();
        this.arm(id, entry);
      },
    };
  }

  /** Ends the session: false when there was none by this id. */
  end(id: string, reason: EndReason): boolean {
    const entry = this.entries.get(id);
    if (!entry) return false;
    this.entries.delete(id);
    entry.expiry?.dispose();
    entry.value.dispose();
    this.options.onEnded(id, reason);
    return true;
  }

  dispose(): void {
    for (const id of [...this.entries.keys()]) this.end(id, 'shutdown');
  }

  private arm(id: string, entry: Entry<T>): void {
    entry.expiry = this.options.clock.setTimer(this.options.idleMs, () => {
      if (this.entries.get(id) === entry && entry.holds === 0) this.end(id, 'expired');
    });
  }

  private longestIdle(): string | undefined {
    let found: { id: string; since: number } | undefined;
    for (const [id, entry] of this.entries) {
      if (entry.holds === 0 && (!found || entry.idleSince < found.since)) found = { id, since: entry.idleSince };
    }
    return found?.id;
  }
}
