/**
 * Watches one session for a server that stopped listening. Two checks, both a `ping`:
 * - idle: after `idlePingMs` without traffic, the server must answer within `pingTimeoutMs`;
 * - after a call timed out and was cancelled, the server must answer within `hangGraceMs`.
 * A server that answers (even with an error) is alive; MCP servers need not answer a cancelled
 * call, so silence on the call itself proves nothing. One that does not answer is reported
 * unresponsive; the supervisor kills and restarts it.
 */
import type { RequestOptions } from '../client/mcpClient';
import { formatMs } from '../client/callDeadline';
import type { Clock } from '../util/clock';
import type { Disposable } from '../util/disposable';
import { WardenError } from '../util/errors';

export interface Pingable {
  ping(options: RequestOptions): Promise<void>;
  readonly lastActivityAt: number;
  readonly isClosed: boolean;
}

export interface HealthMonitorOptions {
  readonly idlePingMs: number;
  readonly pingTimeoutMs: number;
  readonly hangGraceMs: number;
}

export class HealthMonitor implements Disposable {
  private timer: Disposable | undefined;
  private probing: Promise<void> | undefined;
  private disposed = false;

  constructor(
    private readonly session: Pingable,
    private readonly options: HealthMonitorOptions,
    private readonly clock: Clock,
    private readonly onUnresponsive: (reason: string) => void,
    private readonly log: (line: string) => void,
  ) {}

  /** Starts the idle checks. */
  start(): void {
    this.scheduleIdleCheck(this.options.idlePingMs);
  }

  /** A call to `what` timed out and was cancelled: the server must still answer a ping. */
  checkAfterTimeout(what: string): Promise<void> {
    return this.probe(this.options.hangGraceMs, {
      alive: `The ${what} call timed out; the server still answers ping, so it keeps running.`,
      dead: `it stopped answering: the ${what} call timed out and it did not answer a ping within ${formatMs(this.options.hangGraceMs)}`,
    });
  }

  dispose(): void {
    this.disposed = true;
    this.timer?.dispose();
    this.timer = undefined;
  }

  private scheduleIdleCheck(delayMs: number): void {
    this.timer?.dispose();
    this.timer = undefined;
    if (this.disposed || this.options.idlePingMs <= 0) return;
    this.timer = this.clock.setTimer(delayMs, () => {
      this.timer = undefined;
      const idleMs = this.clock.now() - this.session.lastActivityAt;
      if (idleMs < this.options.idlePingMs) {
        this.scheduleIdleCheck(this.options.idlePingMs - idleMs);
        return;
      }
      void this.probe(this.options.pingTimeoutMs, {
        dead: `it did not answer a ping within ${formatMs(this.options.pingTimeoutMs)} after ${formatMs(idleMs)} without traffic`,
      });
    });
  }

  private probe(timeoutMs: number, words: { alive?: string; dead: string }): Promise<void> {
    if (this.probing) return this.probing;
    const probing = this.session.ping({ timeoutMs }).then(
      () => {
        if (words.alive !== undefined) this.log(words.alive);
      },
      (error: unknown) => {
        if (this.disposed || this.session.isClosed) return;
        if (error instanceof WardenError && error.code === 'TIMEOUT') this.onUnresponsive(words.dead);
        else if (words.alive !== undefined) this.log(words.alive);
      },
    );
    this.probing = probing.finally(() => {
      this.probing = undefined;
      this.scheduleIdleCheck(this.options.idlePingMs);
    });
    return this.probing;
  }
}
