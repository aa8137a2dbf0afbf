/**
 * A session's standing stream: the SSE stream a client opens with GET to receive what the gateway
 * sends on its own (tools/list_changed, log messages, progress of calls answered as JSON).
 *
 * - Every message gets the next event id of this stream and is kept in a bounded replay buffer,
 *   whether or not a client is attached, so a client that reconnects with `Last-Event-ID` gets
 *   what it missed. Asked for events no longer kept (or never sent), the stream opens anyway and
 *   first carries `resync()` (tools/list_changed: list again), since only that state can be
 *   recovered; lost log and progress messages stay lost.
 * - One stream at a time: a second GET without `Last-Event-ID` is a conflict (409), as the
 *   client already has one; a GET with `Last-Event-ID` is a reconnection and replaces the old
 *   stream, which may be a dead connection the gateway has not noticed yet.
 * - A fresh stream starts with an event that has an id and no data, so a client can resume even
 *   if nothing was sent before it lost the connection; keep-alive comments follow while idle.
 */
import type http from 'node:http';
import type { Clock } from '../core/util/clock';
import type { Disposable } from '../core/util/disposable';
import { ReplayBuffer } from './replayBuffer';
import { SseWriter } from './sseWriter';

export interface StandingStreamOptions {
  /** Events kept for resumption. */
  readonly replayEvents: number;
  readonly keepAliveMs: number;
  readonly clock: Clock;
  /** The message that tells a client which lost events to recover from. */
  readonly resync: () => unknown;
}

type State =
  | { readonly kind: 'detached' }
  | { readonly kind: 'attached'; readonly writer: SseWriter; readonly keepAlive: Disposable }
  | { readonly kind: 'closed' };

export type AttachOutcome = { readonly kind: 'attached' } | { readonly kind: 'conflict' } | { readonly kind: 'closed' };

export class StandingStream {
  private state: State = { kind: 'detached' };
  private readonly buffer: ReplayBuffer;

  constructor(private readonly options: StandingStreamOptions) {
    this.buffer = new ReplayBuffer(options.replayEvents);
  }

  get attached(): boolean {
    return this.state.kind === 'attached';
  }

  send(message: unknown): void {
    if (this.state.kind === 'closed') return;
    const event = this.buffer.append(message);
    if (this.state.kind === 'attached') this.state.writer.message(message, String(event.id));
  }

  /**
   * Opens the stream on `res`, replaying what followed `lastEventId` when given. The stream
   * detaches by itself when the response closes.
   */
  attach(res: http.ServerResponse, lastEventId: string | undefined): AttachOutcome {
    switch (this.state.kind) {
      case 'closed':
        return { kind: 'closed' };
      case 'attached':
        if (lastEventId === undefined) return { kind: 'conflict' };
        this.detach();
        break;
      case 'detached':
        break;
    }
    const writer = SseWriter.open(res);
    this.state = { kind: 'attached', writer, keepAlive: this.keepAlive(writer) };
    res.on('close', () => {
      if (this.state.kind === 'attached' && this.state.writer === writer) this.detach();
    });
    const replay = lastEventId === undefined ? undefined : this.buffer.after(lastEventId);
    if (replay?.kind === 'lost') {
      writer.comment(`resuming: ${replay.why}; list tools again`);
      this.send(this.options.resync());
    } else if (replay !== undefined && replay.events.length > 0) {
      for (const event of replay.events) writer.message(event.message, String(event.id));
    } else {
      writer.priming(String(this.buffer.lastId));
    }
    return { kind: 'attached' };
  }

  /** Ends the stream for good: the session is over. */
  close(): void {
    this.detach();
    this.state = { kind: 'closed' };
  }

  private detach(): void {
    if (this.state.kind !== 'attached') return;
    const { writer, keepAlive } = this.state;
    this.state = { kind: 'detached' };
    keepAlive.dispose();
    writer.end();
  }

  private keepAlive(writer: SseWriter): Disposable {
    const holder = { timer: undefined as Disposable | undefined };
    const arm = (): void => {
      holder.timer = this.options.clock.setTimer(this.options.keepAliveMs, () => {
        writer.comment('keep-alive');
        arm();
      });
    };
    arm();
    return { dispose: () => holder.timer?.dispose() };
  }
}
