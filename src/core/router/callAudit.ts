import type { MetricOutcome } from '../metrics/toolMetrics';
import type { Caller, Decision } from '../policy/types';
import type { JsonObject } from '../protocol/types';
import type { WardenErrorCode } from '../util/errors';

export interface CallIdentity {
  readonly id: string;
  readonly time: string;
  readonly caller: Caller;
  readonly server: string;
  readonly tool: string;
  readonly args: JsonObject;
}

export interface CallStartedEntry extends CallIdentity {
  readonly decision: Decision;
}

export interface CallFinishedEntry {
  readonly id: string;
  readonly time: string;
  readonly durationMs: number;
  readonly outcome: MetricOutcome;
  readonly errorCode?: WardenErrorCode;
  readonly message?: string;
  readonly resultBytes?: number;
  readonly preview?: string;
}

export interface CallRefusedEntry extends CallIdentity {
  readonly outcome: MetricOutcome;
  readonly errorCode: WardenErrorCode;
  readonly message: string;
  readonly decision?: Decision;
}

/**
 * What the gate needs from the audit log. Each method resolves once its record is durable; the
 * gate answers the caller only after that.
 */
export interface CallAudit {
  /** Before the call runs, so a crash leaves an open record. */
  started(entry: CallStartedEntry): Promise<void>;
  /** After the call ended, however it ended. */
  finished(entry: CallFinishedEntry): Promise<void>;
  /** A call that never ran: unknown tool, bad arguments, or a denial. */
  refused(entry: CallRefusedEntry): Promise<void>;
}
