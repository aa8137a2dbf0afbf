/**
 * The host's own failure vocabulary. JSON-RPC numeric codes stay on the wire; everything the host
 * reports to a caller carries one of these codes and a message a person (or a model) can act on.
 */
export type WardenErrorCode =
  | 'TIMEOUT'
  | 'CANCELLED'
  | 'SERVER_CRASHED'
  | 'SERVER_NOT_RUNNING'
  | 'SERVER_START_FAILED'
  | 'PROTOCOL_ERROR'
  | 'UNSUPPORTED_PROTOCOL_VERSION'
  | 'TOOL_NOT_FOUND'
  | 'INVALID_ARGUMENTS'
  | 'SERVER_ERROR'
  | 'CIRCUIT_OPEN'
  | 'QUEUE_FULL'
  | 'TOOL_CHANGED'
  | 'TOOL_NOT_APPROVED'
  | 'POLICY_DENIED'
  | 'RATE_LIMITED'
  | 'CONFIRMATION_DECLINED'
  | 'RESULT_TOO_LARGE'
  | 'INVALID_RESULT';

export class WardenError extends Error {
  constructor(
    readonly code: WardenErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'WardenError';
  }
}

/** A message for any thrown value, without a stack trace. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}
