/**
 * The audit log's records as they are stored. The format, which `verifyAuditLog` relies on:
 *
 * - A log is a directory: `audit-000001.jsonl`, `audit-000002.jsonl`, … (a new file when one
 *   reaches its size limit), `audit.head` (the sealed checkpoint) and `audit.lock` (the writer's).
 * - One record per line, UTF-8, `\n`-terminated, a JSON object laid out as
 *   `{"seq":12,"prev":"<64 hex>","time":"<ISO 8601>",<body>,"mac":"<64 hex>"}` where `<body>` is
 *   the record's other members exactly as `canonicalJson` (util/canonicalJson.ts) writes them:
 *   keys sorted at every depth, no spaces.
 * - `mac` = HMAC-SHA256(key, the exact bytes of the line with its final `,"mac":"…"` member
 *   removed and the closing brace kept). Verifiers work on these bytes and never re-serialise, so
 *   no JSON library's number formatting can make a valid line fail; any changed byte fails.
 * - `prev` = SHA-256 (hex) of the previous line's bytes, newline excluded; `GENESIS_HASH` for the
 *   first record ever written. `seq` starts at 1 and grows by one per line, across files.
 * - Every file starts with a `header` record naming the file and the file before it; its `prev`
 *   is the hash of that file's last line, so the chain runs across files.
 */
import type { CallOutcomeKind } from './auditRecord';

export const GENESIS_HASH = '0'.repeat(64);

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** The policy decision as recorded: which rule decided, and why, in words. */
export interface StoredDecision {
  /** allow, confirm (a person approved) or deny. */
  readonly effect: string;
  readonly ruleId: string;
  /** Which layer the rule came from: default, user, workspace or built-in. */
  readonly ruleSource?: string;
  readonly reason: string;
}

export interface ResultSummary {
  /** Size of the result as the server sent it, in bytes, when known. */
  readonly bytes?: number;
  /** The start of the result's text, redacted, at most `PREVIEW_CHARS` characters. */
  readonly preview?: string;
}

/** What checking the checkpoint against the log found when the writer opened it. */
export type CheckpointFinding = 'ok' | 'missing' | 'invalid' | 'ahead' | 'mismatch' | 'other-log';

export interface RemovedFile {
  readonly file: string;
  readonly firstSeq: number;
  readonly lastSeq: number;
  /** SHA-256 of the file's last line: the `prev` of the first record kept. */
  readonly lastHash: string;
}

export interface HeaderBody {
  readonly kind: 'header';
  /** Random per log, the same in every file of it. */
  readonly logId: string;
  readonly file: string;
  readonly previousFile?: string;
}

/** Written each time a writer opens the log: a call started before it and never finished was interrupted. */
export interface OpenedBody {
  readonly kind: 'opened';
  readonly pid: number;
}

/** What the writer found, and discarded, when it opened a log that was not closed cleanly. */
export interface RecoveredBody {
  readonly kind: 'recovered';
  readonly file: string;
  /** Bytes after the last complete, valid record that were cut off (a torn write). */
  readonly discardedBytes: number;
  readonly discardedSha256?: string;
  readonly checkpoint: CheckpointFinding;
  /** Records the checkpoint says were written but that are no longer in the log. */
  readonly missingFromSeq?: number;
  readonly missingToSeq?: number;
  /** False when the last record does not verify with this key: the key changed, or the log was altered. */
  readonly lastRecordVerified: boolean;
  readonly note: string;
}

/** Written before files are deleted for their age, so the verifier can anchor the chain. */
export interface RetentionBody {
  readonly kind: 'retention';
  readonly retentionDays: number;
  readonly removed: readonly RemovedFile[];
}

interface CallIdentityBody {
  readonly id: string;
  readonly caller: string;
  readonly server: string;
  readonly tool: string;
  /** SHA-256 of canonicalJson(arguments), unredacted: a caller can prove what was asked. */
  readonly argsSha256: string;
  /** The arguments with secrets replaced by "[redacted]" and long strings shortened. */
  readonly args: JsonValue;
}

/** Before the call runs: what was asked, and the decision that let it run. */
export interface StartedBody extends CallIdentityBody {
  readonly kind: 'started';
  readonly decision: StoredDecision;
}

export interface FinishedBody {
  readonly kind: 'finished';
  readonly id: string;
  readonly durationMs: number;
  readonly outcome: CallOutcomeKind;
  readonly errorCode?: string;
  readonly message?: string;
  readonly result?: ResultSummary;
}

/** A call that never ran: denied by policy, rate-limited, unknown tool, invalid arguments… */
export interface RefusedBody extends CallIdentityBody {
  readonly kind: 'refused';
  readonly outcome: CallOutcomeKind;
  readonly errorCode: string;
  readonly message: string;
  /** Absent when the call was refused before the policy was asked (unknown tool, bad arguments). */
  readonly decision?: StoredDecision;
}

export type RecordBody = HeaderBody | OpenedBody | RecoveredBody | RetentionBody | StartedBody | FinishedBody | RefusedBody;
export type RecordKind = RecordBody['kind'];

export interface Sealed {
  readonly seq: number;
  readonly prev: string;
  readonly time: string;
  readonly mac: string;
}

export type LogRecord<B extends RecordBody = RecordBody> = B & Sealed;
export type StartedRecord = LogRecord<StartedBody>;
export type FinishedRecord = LogRecord<FinishedBody>;
export type RefusedRecord = LogRecord<RefusedBody>;

/** Where a record sits: the file's name and its 1-based line. */
export interface RecordLocation {
  readonly file: string;
  readonly line: number;
}
