/**
 * Reading the log for people: the newest calls first, each `started` paired with its `finished`,
 * filtered by tool and outcome. Files are read newest first and backwards, so the newest hundred
 * calls cost a few reads whatever the size of the log. Lines are checked for shape but not MAC'd:
 * this is a view; `verifyAuditLog` is the proof.
 */
import path from 'node:path';
import type { CallOutcomeKind } from './auditRecord';
import { linesBackward } from './lineReaders';
import { checkRecord } from './recordShape';
import type { FinishedRecord, LogRecord, RecordKind, RefusedRecord, StartedRecord } from './records';
import { listSegments } from './segments';

/** How a call stands: its outcome, still running, or cut short because Warden stopped. */
export type CallStatus = CallOutcomeKind | 'running' | 'interrupted';

export interface RecordPlace {
  readonly file: string;
  readonly path: string;
  /** Byte offset of the line in the file. */
  readonly offset: number;
}

export interface AuditCall {
  readonly id: string;
  readonly status: CallStatus;
  /** When it started, or was refused. */
  readonly time: string;
  readonly caller: string;
  readonly server: string;
  readonly tool: string;
  readonly durationMs?: number;
  readonly errorCode?: string;
  readonly message?: string;
  /** `started` then `finished`, or one `refused`. */
  readonly started?: StartedRecord;
  readonly finished?: FinishedRecord;
  readonly refused?: RefusedRecord;
  readonly place: RecordPlace;
}

export interface CallQuery {
  readonly limit: number;
  /** Tool names (`read_text`) or server-qualified names (`fs.read_text`); absent means all. */
  readonly tools?: readonly string[];
  readonly statuses?: readonly CallStatus[];
  /** Stop after reading this many records, matches or not: bounds a filter that matches nothing. Default: no bound. */
  readonly scanLimit?: number;
}

/** Where a live log's durable bytes end; reading stops there. */
export interface ReadLimit {
  readonly file: string;
  readonly bytes: number;
}

/** Valid records, newest first. */
export async function* recordsNewestFirst(dir: string, end?: ReadLimit): AsyncGenerator<{ record: LogRecord; place: RecordPlace }> {
  const segments = await listSegments(dir);
  const last = end ? segments.findIndex((s) => s.name === end.file) : -1;
  const upTo = last >= 0 ? last : segments.length - 1;
  for (const segment of segments.slice(0, upTo + 1).reverse()) {
    const limit = end && segment.name === end.file ? end.bytes : undefined;
    for await (const line of linesBackward(segment.path, limit)) {
      if (!line.complete) continue;
      const record = parse(line.bytes);
      if (record) yield { record, place: { file: segment.name, path: path.join(dir, segment.name), offset: line.offset } };
    }
  }
}

export async function readRecentRecords(dir: string, query: { limit: number; kinds?: readonly RecordKind[] }, end?: ReadLimit): Promise<LogRecord[]> {
  const out: LogRecord[] = [];
  if (query.limit <= 0) return out;
  for await (const { record } of recordsNewestFirst(dir, end)) {
    if (query.kinds && !query.kinds.includes(record.kind)) continue;
    out.push(record);
    if (out.length >= query.limit) break;
  }
  return out;
}

export async function readRecentCalls(dir: string, query: CallQuery, end?: ReadLimit): Promise<AuditCall[]> {
  const out: AuditCall[] = [];
  if (query.limit <= 0) return out;
  for await (const call of callsNewestFirst(dir, end, undefined, query.scanLimit)) {
    if (!matches(call, query)) continue;
    out.push(call);
    if (out.length >= query.limit) break;
  }
  return out;
}

export async function findCall(dir: string, id: string, end?: ReadLimit): Promise<AuditCall | undefined> {
  for await (const call of callsNewestFirst(dir, end, id)) if (call.id === id) return call;
  return undefined;
}

/** Calls in the order they started, newest first; finished records wait for their start. */
async function* callsNewestFirst(dir: string, end: ReadLimit | undefined, onlyId?: string, scanLimit = Number.POSITIVE_INFINITY): AsyncGenerator<AuditCall> {
  const finished = new Map<string, FinishedRecord>();
  let reopenedSince = false;
  let scanned = 0;
  for await (const { record, place } of recordsNewestFirst(dir, end)) {
    if (++scanned > scanLimit) return;
    if (onlyId !== undefined && 'id' in record && record.id !== onlyId) continue;
    switch (record.kind) {
      case 'finished':
        finished.set(record.id, record);
        break;
      case 'opened':
        reopenedSince = true;
        break;
      case 'started': {
        const done = finished.get(record.id);
        finished.delete(record.id);
        yield {
          ...identity(record, place),
          status: done ? done.outcome : reopenedSince ? 'interrupted' : 'running',
          started: record,
          ...(done && { finished: done, durationMs: done.durationMs }),
          ...(done?.errorCode !== undefined && { errorCode: done.errorCode }),
          ...(done?.message !== undefined && { message: done.message }),
        };
        break;
      }
      case 'refused':
        yield { ...identity(record, place), status: record.outcome, refused: record, durationMs: 0, errorCode: record.errorCode, message: record.message };
        break;
      default:
        break;
    }
  }
}

function identity(record: StartedRecord | RefusedRecord, place: RecordPlace) {
  return { id: record.id, time: record.time, caller: record.caller, server: record.server, tool: record.tool, place };
}

function matches(call: AuditCall, query: CallQuery): boolean {
  if (query.tools && query.tools.length > 0 && !query.tools.some((t) => t === call.tool || t === `${call.server}.${call.tool}`)) return false;
  if (query.statuses && query.statuses.length > 0 && !query.statuses.includes(call.status)) return false;
  return true;
}

function parse(bytes: Buffer): LogRecord | undefined {
  try {
    const record = checkRecord(JSON.parse(bytes.toString('utf8')));
    return typeof record === 'string' ? undefined : record;
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}
