/**
 * A circuit breaker for one server. Closed, calls flow. After K failures in a row that say the
 * server itself is unwell (a timeout, a crash, a broken answer; never a tool's own error or
 * invalid arguments), it opens: calls fail at once with CIRCUIT_OPEN for a cool-down. Then it is
 * half-open: one trial call goes through; its success closes the circuit, its failure opens it
 * again. Calls that fail together because one crash took them all down count as one failure.
 */
import { Emitter, type Event } from 'vscode-jsonrpc/node';
import { formatMs } from '../client/callDeadline';
import type { Clock } from '../util/clock';
import type { Disposable } from '../util/disposable';
import { WardenError } from '../util/errors';

export interface CircuitBreakerOptions {
  /** Failures in a row that open the circuit. */
  readonly failureThreshold: number;
  /** How long it stays open before one trial call is let through. */
  readonly coolDownMs: number;
}

export type CircuitState =
  | { readonly kind: 'closed' }
  | { readonly kind: 'open'; readonly failures: number; readonly lastFailure: string; readonly retryAt: number }
  | { readonly kind: 'half-open'; readonly failures: number; readonly lastFailure: string };

/** One admitted call. Report how it ended exactly once; later reports are ignored. */
export interface CircuitTicket {
  /** The server answered (a tool error is an answer too). */
  succeeded(): void;
  /** The server failed the call. Failures sharing an `incident` (one crash) count once. */
  failed(reason: string, incident?: object): void;
  /** The call ended without telling anything about the server (the caller cancelled). */
  abandoned(): void;
}

export class CircuitBreaker implements Disposable {
  private stateValue: CircuitState = { kind: 'closed' };
  private failures = 0;
  private lastIncident: object | undefined;
  private trialInFlight = false;
  private timer: Disposable | undefined;
  private readonly changeEmitter = new Emitter<CircuitState>();

  /** Fires on every change of kind: closed, open, half-open. */
  readonly onDidChange: Event<CircuitState> = this.changeEmitter.event;

  constructor(
    /** The server's label, read when a message is written. */
    private readonly label: () => string,
    private readonly options: CircuitBreakerOptions,
    private readonly clock: Clock,
  ) {}

  get state(): CircuitState {
    return this.stateValue;
  }

  get consecutiveFailures(): number {
    return this.failures;
  }

  /** Throws CIRCUIT_OPEN while calls are held back; admits nothing. For a quick refusal before queueing. */
  check(): void {
    const refusal = this.refusal();
    if (refusal) throw refusal;
  }

  /** Lets one call through or throws CIRCUIT_OPEN. In half-open, the first admitted call is the trial. */
  admit(): CircuitTicket {
    const refusal = this.refusal();
    if (refusal) throw refusal;
    const trial = this.stateValue.kind === 'half-open';
    if (trial) this.trialInFlight = true;
    let settled = false;
    const once = (report: () => void) => () => {
      if (settled) return;
      settled = true;
      if (trial) this.trialInFlight = false;
      report();
    };
    return {
      succeeded: once(() => this.onSuccess()),
      failed: (reason, incident) => once(() => this.onFailure(reason, incident, trial))(),
      abandoned: once(() => undefined),
    };
  }

  /** Closes the circuit and forgets past failures (the server was restarted by hand). */
  reset(): void {
    this.failures = 0;
    this.lastIncident = undefined;
    this.setState({ kind: 'closed' });
  }

  dispose(): void {
    this.clearTimer();
    this.changeEmitter.dispose();
  }

  private refusal(): WardenError | undefined {
    const state = this.stateValue;
    const held = `Server "${this.label()}" failed ${this.failures} time${this.failures === 1 ? '' : 's'} in a row (timeouts or crashes; the last: ${'lastFailure' in state ? state.lastFailure : ''})`;
    if (state.kind === 'open') {
      const left = Math.max(0, state.retryAt - this.clock.now());
      return new WardenError(
        'CIRCUIT_OPEN',
        `${held}; Warden stops sending it calls for ${formatMs(this.options.coolDownMs)}. It retries with one call after that, in ${formatMs(left < 1000 ? left : Math.ceil(left / 1000) * 1000)}.`,
        state,
      );
    }
    if (state.kind === 'half-open' && this.trialInFlight) {
      return new WardenError('CIRCUIT_OPEN', `${held}; Warden is trying one call and holds the others until it succeeds. Try again in a moment.`, state);
    }
    return undefined;
  }

  private onSuccess(): void {
    this.failures = 0;
    this.lastIncident = undefined;
    this.setState({ kind: 'closed' });
  }

  private onFailure(reason: string, incident: object | undefined, trial: boolean): void {
    const repeat = incident !== undefined && incident === this.lastIncident;
    if (!repeat) this.failures++;
    this.lastIncident = incident;
    if (trial || (this.stateValue.kind === 'closed' && this.failures >= this.options.failureThreshold)) this.open(reason);
  }

  private open(lastFailure: string): void {
    this.clearTimer();
    this.setState({ kind: 'open', failures: this.failures, lastFailure, retryAt: this.clock.now() + this.options.coolDownMs });
    this.timer = this.clock.setTimer(this.options.coolDownMs, () => {
      this.timer = undefined;
      if (this.stateValue.kind === 'open') this.setState({ kind: 'half-open', failures: this.failures, lastFailure });
    });
  }

  private clearTimer(): void {
    this.timer?.dispose();
    this.timer = undefined;
  }

  private setState(next: CircuitState): void {
    const previous = this.stateValue;
    if (previous.kind === next.kind && (next.kind === 'closed' || previous === next)) return;
    if (next.kind !== 'open') this.clearTimer();
    this.stateValue = next;
    this.changeEmitter.fire(next);
  }
}
