/**
 * The knobs of supervision, one set per server, each with a default a test or a setting can
 * override. Times are in milliseconds.
 */
import type { CircuitBreakerOptions } from './circuitBreaker';
import type { RetryOptions } from './retryPolicy';

export interface SupervisionOptions {
  /**
   * After a call times out and is cancelled, how long the server has to show it still listens
   * (it must answer a ping) before it is considered hung, killed and restarted.
   */
  readonly hangGraceMs: number;
  /** The most one call may take in all when progress keeps resetting its timeout; default 10 × its timeout. */
  readonly maxCallMs?: number;
  /** Ping a server after this long without traffic; 0 turns idle checks off. */
  readonly idlePingMs: number;
  /** How long an idle ping may take before the server is killed and restarted. */
  readonly pingTimeoutMs: number;
  /** Calls in flight at once on one server. */
  readonly maxConcurrentCalls: number;
  /** Calls waiting for a slot; one more is refused at once with QUEUE_FULL. */
  readonly maxQueuedCalls: number;
  readonly circuit: CircuitBreakerOptions;
  readonly retry: RetryOptions;
}

export const DEFAULT_SUPERVISION: SupervisionOptions = {
  hangGraceMs: 5_000,
  idlePingMs: 60_000,
  pingTimeoutMs: 10_000,
  maxConcurrentCalls: 8,
  maxQueuedCalls: 64,
  circuit: { failureThreshold: 5, coolDownMs: 30_000 },
  retry: { maxRetries: 2, baseDelayMs: 100, maxDelayMs: 1_000 },
};

/** Overrides, where nested groups may be given in part. */
export type SupervisionOverrides = Partial<Omit<SupervisionOptions, 'circuit' | 'retry'>> & {
  readonly circuit?: Partial<CircuitBreakerOptions>;
  readonly retry?: Partial<RetryOptions>;
};

export function supervisionOptions(overrides: SupervisionOverrides = {}): SupervisionOptions {
  return {
    ...DEFAULT_SUPERVISION,
    ...overrides,
    circuit: { ...DEFAULT_SUPERVISION.circuit, ...overrides.circuit },
    retry: { ...DEFAULT_SUPERVISION.retry, ...overrides.retry },
  };
}
