/**
 * The policy's vocabulary. A policy is layers of rules; a call is who asks for which tool with
 * which arguments; a decision says allow, confirm or deny, which rule made it, and how to change it.
 */
import type { JsonObject, ToolAnnotations } from '../protocol/types';

/** Where a call comes from. Policy and audit tell callers apart by this. */
export type Caller = 'copilot' | 'participant' | 'palette' | 'sidebar' | `gateway:${string}`;

export type Effect = 'allow' | 'confirm' | 'deny';

export interface ArgumentConstraints {
  /** Globs over workspace-relative paths (`src/**`); every path argument must match one. */
  readonly paths?: readonly string[];
  /** Tables a SQLite call may name. */
  readonly tables?: readonly string[];
  /** Host globs (`*.example.com`) a URL argument may point to. */
  readonly hosts?: readonly string[];
}

export interface RateLimit {
  readonly perMinute: number;
  /** Calls allowed at once after a quiet period; defaults to `perMinute`. */
  readonly burst?: number;
}

export interface Rule {
  /** Named in decisions and messages; defaults to `<source>#<index>`. */
  readonly id?: string;
  readonly description?: string;
  /** Globs; absent means any. */
  readonly server?: string | readonly string[];
  readonly tool?: string | readonly string[];
  readonly caller?: string | readonly string[];
  readonly effect: Effect;
  /** The rule applies only to calls whose arguments satisfy these. */
  readonly constraints?: ArgumentConstraints;
  readonly rateLimit?: RateLimit;
  /** Calls per caller and tool per day (UTC). */
  readonly dailyBudget?: number;
  readonly maxArgumentBytes?: number;
  readonly maxResultBytes?: number;
  readonly timeoutSeconds?: number;
}

export type LayerSource = 'default' | 'user' | 'workspace';

export interface PolicyLayer {
  readonly source: LayerSource;
  readonly rules: readonly Rule[];
}

export interface Policy {
  readonly layers: readonly PolicyLayer[];
  /** In an untrusted workspace only the default layer counts. */
  readonly workspaceTrusted: boolean;
}

export interface ToolFacts {
  readonly annotations?: ToolAnnotations;
  /** Annotations are believed only from built-in servers or servers the user marked trusted. */
  readonly annotationsTrusted: boolean;
}

export interface PolicyCall {
  readonly caller: Caller;
  readonly server: string;
  readonly tool: string;
  readonly args: JsonObject;
  readonly facts: ToolFacts;
  /** How many bytes the arguments take as JSON. */
  readonly argumentBytes: number;
}

/** A rule as the decision names it. */
export interface RuleRef {
  readonly id: string;
  readonly source: LayerSource | 'built-in';
}

export interface Limits {
  readonly rateLimit?: { readonly key: string; readonly perMinute: number; readonly burst: number };
  readonly dailyBudget?: { readonly key: string; readonly max: number };
  readonly maxResultBytes?: number;
  readonly timeoutMs?: number;
}

export type DenyReason = 'no-rule' | 'rule' | 'rate-limited' | 'budget-exhausted' | 'too-large';

export type Decision =
  | { readonly effect: 'allow'; readonly rule: RuleRef; readonly limits: Limits }
  | {
      readonly effect: 'confirm';
      readonly rule: RuleRef;
      readonly limits: Limits;
      readonly why: string;
      readonly approvalKey: string;
      /** rule: a rule asks for confirmation; risk: a model calls a tool that may write or reach out (no allow rule waives that, an approval does). */
      readonly cause: 'rule' | 'risk';
    }
  | { readonly effect: 'deny'; readonly rule: RuleRef; readonly reason: DenyReason; readonly message: string };

/** What decide() may read about usage: a snapshot, so decide() stays a pure function. */
export interface UsageView {
  /** Tokens left in the bucket for `key` at `now`. */
  tokens(key: string, perMinute: number, burst: number, now: number): number;
  /** Calls counted against `key` on the UTC day of `now`. */
  usedToday(key: string, now: number): number;
}

/** Approvals a person already gave ("allow for this session", "in this workspace", "always"). */
export interface ApprovalView {
  has(approvalKey: string): boolean;
}
