export type { Caller } from '../policy/types';

/** How a call ended, as the audit log records it (`finished` and `refused` records). */
export const CALL_OUTCOMES = ['ok', 'tool-error', 'denied', 'timeout', 'crashed', 'rate-limited', 'circuit-open', 'cancelled', 'failed'] as const;
export type CallOutcomeKind = (typeof CALL_OUTCOMES)[number];

export function isCallOutcome(value: unknown): value is CallOutcomeKind {
  return CALL_OUTCOMES.some((outcome) => outcome === value);
}
