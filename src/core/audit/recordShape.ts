/**
 * Checks that a parsed line has the shape of a record before anything reads it as one. A file on
 * disk is input like any other: whoever can write it can put anything there.
 */
import { isCallOutcome } from './auditRecord';
import type { LogRecord, RecordKind } from './records';

type Check = (value: unknown) => boolean;

const string: Check = (v) => typeof v === 'string';
const hex64: Check = (v) => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);
const count: Check = (v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const finite: Check = (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const outcome: Check = isCallOutcome;
const anything: Check = () => true;
const optional = (check: Check): Check => (v) => v === undefined || check(v);
const object = (fields: Readonly<Record<string, Check>>): Check => (v) => isObject(v) && Object.entries(fields).every(([k, c]) => c(v[k]));

const decision = object({ effect: string, ruleId: string, ruleSource: optional(string), reason: string });
const removedFile = object({ file: string, firstSeq: count, lastSeq: count, lastHash: hex64 });
const callIdentity = { id: string, caller: string, server: string, tool: string, argsSha256: hex64, args: anything };

const BODIES: Readonly<Record<RecordKind, Readonly<Record<string, Check>>>> = {
  header: { logId: string, file: string, previousFile: optional(string) },
  opened: { pid: count },
  recovered: {
    file: string,
    discardedBytes: count,
    discardedSha256: optional(hex64),
    checkpoint: (v) => typeof v === 'string' && ['ok', 'missing', 'invalid', 'ahead', 'mismatch', 'other-log'].includes(v),
    missingFromSeq: optional(count),
    missingToSeq: optional(count),
    lastRecordVerified: (v) => typeof v === 'boolean',
    note: string,
  },
  retention: { retentionDays: finite, removed: (v) => Array.isArray(v) && v.every(removedFile) },
  started: { ...callIdentity, decision },
  finished: {
    id: string,
    durationMs: finite,
    outcome,
    errorCode: optional(string),
    message: optional(string),
    result: optional(object({ bytes: optional(count), preview: optional(string) })),
  },
  refused: { ...callIdentity, outcome, errorCode: string, message: string, decision: optional(decision) },
};

const SEALED: Readonly<Record<string, Check>> = { seq: (v) => count(v) && v !== 0, prev: hex64, time: string, mac: hex64 };

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isKind(value: unknown): value is RecordKind {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(BODIES, value);
}

/** The record, or a sentence saying what is wrong with it. */
export function checkRecord(value: unknown): LogRecord | string {
  const problems: string[] = [];
  return isLogRecord(value, problems) ? value : (problems[0] ?? 'the line is not a record');
}

function isLogRecord(value: unknown, problems: string[]): value is LogRecord {
  if (!isObject(value)) return fail(problems, 'the line is not a JSON object');
  if (!isKind(value.kind)) return fail(problems, `unknown record kind ${JSON.stringify(value.kind)}`);
  for (const [field, check] of Object.entries(SEALED)) {
    if (!check(value[field])) return fail(problems, `field "${field}" is missing or invalid`);
  }
  for (const [field, check] of Object.entries(BODIES[value.kind])) {
    if (!check(value[field])) return fail(problems, `field "${field}" of a ${value.kind} record is missing or invalid`);
  }
  return true;
}

function fail(problems: string[], problem: string): false {
  problems.push(problem);
  return false;
}

/** The `seq` a malformed line claims, for locating it in a report; undefined when it has none. */
export function claimedSeq(value: unknown): number | undefined {
  return isObject(value) && count(value.seq) ? Number(value.seq) : undefined;
}
