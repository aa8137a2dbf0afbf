/**
 * What the gate hands the audit log for a call, and how it becomes a record body: arguments
 * hashed unredacted, then stored redacted; messages and previews redacted and shortened; the
 * policy decision reduced to its effect, rule and reason.
 *
 * Privacy trade-off of `argsSha256`: it is over the unredacted arguments, so a caller holding the
 * arguments can prove they are the ones recorded. The price: someone who reads the log and can
 * guess a redacted value (a short password) can confirm the guess against the hash. The log lives
 * in the extension's private storage; treat it, and its exports, as sensitive.
 */
import type { CallOutcomeKind } from './auditRecord';
import { canonicalSha256 } from './canonical';
import type { Redactor } from './redaction';
import type { FinishedBody, RecordBody, RefusedBody, ResultSummary, StartedBody, StoredDecision } from './records';

export const PREVIEW_CHARS = 200;
export const MESSAGE_CHARS = 2000;

export interface RuleInput {
  readonly id: string;
  readonly source?: string;
}

/** The policy's decision; the policy module's `Decision` fits this shape. */
export type DecisionInput =
  | { readonly effect: 'allow'; readonly rule: RuleInput }
  | { readonly effect: 'confirm'; readonly rule: RuleInput; readonly why: string }
  | { readonly effect: 'deny'; readonly rule: RuleInput; readonly message: string };

export interface CallIdentityInput {
  readonly id: string;
  /** ISO time of the event; the log's clock when absent. */
  readonly time?: string;
  readonly caller: string;
  readonly server: string;
  readonly tool: string;
  readonly args: { readonly [key: string]: unknown };
}

/** Before the call runs, after the policy (and any person) allowed it. */
export interface StartedEntry extends CallIdentityInput {
  readonly decision: DecisionInput;
}

/** After the call ended, however it ended. */
export interface FinishedEntry {
  readonly id: string;
  readonly time?: string;
  readonly durationMs: number;
  readonly outcome: CallOutcomeKind;
  readonly errorCode?: string;
  readonly message?: string;
  /** Size of the result in bytes. */
  readonly resultBytes?: number;
  /** The result's text; the log keeps its first PREVIEW_CHARS characters, redacted. */
  readonly preview?: string;
}

/** A call that never ran: denied, rate-limited, unknown tool, invalid arguments… */
export interface RefusedEntry extends CallIdentityInput {
  readonly outcome: CallOutcomeKind;
  readonly errorCode: string;
  readonly message: string;
  readonly decision?: DecisionInput;
}

export type CallEntry = ({ readonly kind: 'started' } & StartedEntry) | ({ readonly kind: 'finished' } & FinishedEntry) | ({ readonly kind: 'refused' } & RefusedEntry);

export function callBody(entry: CallEntry, redactor: Redactor): RecordBody {
  switch (entry.kind) {
    case 'started':
      return startedBody(entry, redactor);
    case 'finished':
      return finishedBody(entry, redactor);
    case 'refused':
      return refusedBody(entry, redactor);
  }
}

// The builders below avoid object spread, which V8 makes several times slower than plain
// construction, and list keys in sorted order: this is the hot path of every call.

export function startedBody(entry: StartedEntry, redactor: Redactor): StartedBody {
  return {
    args: redactor.value(entry.args),
    argsSha256: canonicalSha256(entry.args),
    caller: entry.caller,
    decision: storedDecision(entry.decision, redactor),
    id: entry.id,
    kind: 'started',
    server: entry.server,
    tool: entry.tool,
  };
}

export function refusedBody(entry: RefusedEntry, redactor: Redactor): RefusedBody {
  const body: Mutable<RefusedBody> = {
    args: redactor.value(entry.args),
    argsSha256: canonicalSha256(entry.args),
    caller: entry.caller,
    errorCode: entry.errorCode,
    id: entry.id,
    kind: 'refused',
    message: redactor.text(entry.message, MESSAGE_CHARS),
    outcome: entry.outcome,
    server: entry.server,
    tool: entry.tool,
  };
  if (entry.decision) body.decision = storedDecision(entry.decision, redactor);
  return body;
}

export function finishedBody(entry: FinishedEntry, redactor: Redactor): FinishedBody {
  const body: Mutable<FinishedBody> = {
    durationMs: Number.isFinite(entry.durationMs) && entry.durationMs > 0 ? Math.round(entry.durationMs * 1000) / 1000 : 0,
    id: entry.id,
    kind: 'finished',
    outcome: entry.outcome,
  };
  if (entry.errorCode !== undefined) body.errorCode = entry.errorCode;
  if (entry.message !== undefined) body.message = redactor.text(entry.message, MESSAGE_CHARS);
  const result: Mutable<ResultSummary> = {};
  if (entry.resultBytes !== undefined && Number.isSafeInteger(entry.resultBytes) && entry.resultBytes >= 0) result.bytes = entry.resultBytes;
  if (entry.preview !== undefined) result.preview = redactor.text(entry.preview, PREVIEW_CHARS);
  if (result.bytes !== undefined || result.preview !== undefined) body.result = result;
  return body;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function storedDecision(decision: DecisionInput, redactor: Redactor): StoredDecision {
  const stored: Mutable<StoredDecision> = { effect: decision.effect, reason: reasonOf(decision, redactor), ruleId: decision.rule.id };
  if (decision.rule.source !== undefined) stored.ruleSource = decision.rule.source;
  return stored;
}

function reasonOf(decision: DecisionInput, redactor: Redactor): string {
  switch (decision.effect) {
    case 'allow':
      return `allowed by ${decision.rule.source ? `the ${decision.rule.source} rule` : 'rule'} "${decision.rule.id}"`;
    case 'confirm':
      return `a person confirmed: ${redactor.text(decision.why, MESSAGE_CHARS)}`;
    case 'deny':
      return redactor.text(decision.message, MESSAGE_CHARS);
  }
}
