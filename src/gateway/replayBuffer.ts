/**
 * The last events of one resumable stream, numbered from 1, so a client that reconnects with
 * `Last-Event-ID` gets what it missed. Bounded: the oldest events fall out first, and a client
 * that asks for an event no longer held is told it lost events.
 */
export interface BufferedEvent {
  readonly id: number;
  readonly message: unknown;
}

export type Replay =
  | { readonly kind: 'events'; readonly events: readonly BufferedEvent[] }
  | { readonly kind: 'lost'; readonly why: string };

export class ReplayBuffer {
  private nextId = 1;
  private readonly events: BufferedEvent[] = [];

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`A replay buffer holds at least one event, not ${capacity}.`);
  }

  /** The id of the newest event, 0 before the first. */
  get lastId(): number {
    return this.nextId - 1;
  }

  append(message: unknown): BufferedEvent {
    const event = { id: this.nextId++, message };
    this.events.push(event);
    if (this.events.length > this.capacity) this.events.shift();
    return event;
  }

  /** The events after `lastEventId` (a `Last-Event-ID` header as sent). */
  after(lastEventId: string): Replay {
    const last = /^\d{1,15}$/.test(lastEventId) ? Number(lastEventId) : Number.NaN;
    if (!Number.isSafeInteger(last) || last >= this.nextId) return { kind: 'lost', why: `event "${lastEventId}" was never sent on this stream` };
    const oldest = this.events[0]?.id ?? this.nextId;
    if (last + 1 < oldest) return { kind: 'lost', why: `${oldest - last - 1} event(s) after ${last} are no longer kept (only the last ${this.capacity} are)` };
    return { kind: 'events', events: this.events.filter((e) => e.id > last) };
  }
}
