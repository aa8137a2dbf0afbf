import type { Decision } from '../policy/types';
import type { CallToolResult } from '../protocol/types';
import type { MetricOutcome } from '../metrics/toolMetrics';
import type { WardenError, WardenErrorCode } from '../util/errors';

/** What a caller gets back from the gate. Every kind was audited before it was returned. */
export type ToolCallOutcome =
  | { readonly kind: 'ok'; readonly auditId: string; readonly durationMs: number; readonly result: CallToolResult; readonly decision: Decision }
  | { readonly kind: 'tool-error'; readonly auditId: string; readonly durationMs: number; readonly result: CallToolResult; readonly decision: Decision }
  | { readonly kind: 'failed'; readonly auditId: string; readonly durationMs: number; readonly error: WardenError; readonly decision?: Decision };

/** The outcome as audit and metrics count it. */
export function outcomeClass(outcome: ToolCallOutcome): MetricOutcome {
  switch (outcome.kind) {
    case 'ok':
      return 'ok';
    case 'tool-error':
      return 'tool-error';
    case 'failed':
      return errorClass(outcome.error.code);
  }
}

export function errorClass(code: WardenErrorCode): MetricOutcome {
  switch (code) {
    case 'TIMEOUT':
      return 'timeout';
    case 'SERVER_CRASHED':
      return 'crashed';
    case 'CIRCUIT_OPEN':
      return 'circuit-open';
    case 'RATE_LIMITED':
      return 'rate-limited';
    case 'POLICY_DENIED':
    case 'CONFIRMATION_DECLINED':
    case 'TOOL_CHANGED':
    case 'TOOL_NOT_APPROVED':
      return 'denied';
    case 'CANCELLED':
      return 'cancelled';
    default:
      return 'failed';
  }
}
