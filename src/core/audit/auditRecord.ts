import type { WardenErrorCode } from '../util/errors';

/** Where a call came from. Policy and audit tell callers apart by this. */
export type Caller = 'copilot' | 'participant' | 'palette' | 'sidebar' | `gateway:${string}`;

export type CallOutcomeKind = 'ok' | 'tool-error' | 'failed';

/** One line of the audit log: one tool call, whatever its outcome. */
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
