/**
 * Whether a failed call is tried again. Only when all of these hold:
 * - the failure was the transport's, not the call's: the server crashed, closed the connection
 *   before answering, or was killed as hung (SERVER_CRASHED);
 * - the tool says it is safe to run twice (readOnlyHint or idempotentHint), and its annotations
 *   are trusted (a built-in server, or one the user marked trusted): a lying hint must not make
 *   Warden run a destructive tool twice;
 * - the caller has not cancelled, and fewer than `maxRetries` retries were made.
 * A timeout of the call itself is never retried: the time the caller gave is spent, and the first
 * attempt may still be running on the server. Tool errors and invalid arguments are answers, not
 * failures, and are never retried either. The delay before a retry is exponential with full jitter.
 */
import type { Tool } from '../protocol/types';
import { WardenError } from '../util/errors';

export interface RetryOptions {
  readonly maxRetries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export interface RetryInput {
  readonly error: unknown;
  readonly tool: Tool | undefined;
  readonly annotationsTrusted: boolean;
  /** Retries already made for this call. */
  readonly retries: number;
  readonly cancelled: boolean;
}

export type RetryDecision = { readonly retry: true; readonly delayMs: number } | { readonly retry: false; readonly why: string };

export function decideRetry(input: RetryInput, options: RetryOptions, random: () => number = Math.random): RetryDecision {
  if (input.cancelled) return { retry: false, why: 'the caller cancelled' };
  if (!(input.error instanceof WardenError) || input.error.code !== 'SERVER_CRASHED') {
    return { retry: false, why: 'only calls lost to a crash or a lost connection are retried' };
  }
  if (input.retries >= options.maxRetries) return { retry: false, why: `it was already retried ${input.retries} times` };
  const hints = input.tool?.annotations;
  if (hints?.readOnlyHint !== true && hints?.idempotentHint !== true) {
    return { retry: false, why: 'the tool is not marked read-only or idempotent, so running it twice may not be safe' };
  }
  if (!input.annotationsTrusted) return { retry: false, why: "the server's annotations are not trusted" };
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** input.retries);
  return { retry: true, delayMs: Math.floor(random() * ceiling) };
}
