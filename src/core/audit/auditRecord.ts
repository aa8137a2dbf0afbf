import type { WardenErrorCode } from '../util/errors';

/** Where a call came from. Policy and audit tell callers apart by this. */
export type Caller = 'copilot' | 'participant' | 'palette' | 'sidebar' | `gateway:${string}`;

/** How a call ended, as the audit log records it (`finished` and `refused` records). */
export const CALL_OUTCOMES = ['ok', 'tool-error', 'denied', 'timeout', 'crashed', 'rate-limited', 'circuit-open', 'cancelled', 'failed'] as const;
export type CallOutcomeKind = (typeof CALL_OUTCOMES)[number];

export function isCallOutcome(value: unknown): value is CallOutcomeKind {
  return CALL_OUTCOMES.some((outcome) => outcome === value);
}

/**
 * One line of the single-file log that `JsonlAuditSink` writes: one tool call, whatever its
 * outcome. Superseded by the chained, signed log of `AuditLog` (see `records.ts`); kept until every
 * writer has moved over.
 */
export interface AuditRecord {
  /** Unique per call; shown to the caller so a result can be found in the log. */
  readonly id: string;
  readonly time: string;
  readonly caller: Caller;
  readonly server: string;
  readonly tool: string;
  /** SHA-256 of the arguments as canonical JSON: proves what was asked without storing it. */
  readonly argsSha256: string;
  readonly durationMs: number;
  readonly outcome: CallOutcomeKind;
  readonly errorCode?: WardenErrorCode;
  readonly message?: string;
}

export interface AuditSink {
  /** Resolves once the record is written; a failure rejects so the caller knows. */
  append(record: AuditRecord): Promise<void>;
  dispose(): Promise<void>;
}
