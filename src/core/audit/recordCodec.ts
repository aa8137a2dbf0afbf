/**
 * Seals records into lines and checks lines back into records, under the log's key. The line
 * format is described in records.ts.
 */
import * as crypto from 'node:crypto';
import { canonicalString, sha256Hex, shallowSorted } from './canonical';
import { checkRecord, claimedSeq } from './recordShape';
import type { LogRecord, RecordBody } from './records';

const MAC_OPEN = ',"mac":"';
/** `,"mac":"` + 64 hex digits + `"}`: always ASCII, so as many bytes as characters. */
export const MAC_MEMBER_LENGTH = MAC_OPEN.length + 64 + 2;
export const MIN_KEY_BYTES = 32;

export interface SealedLine {
  /** The line to write, without its newline. */
  readonly line: string;
  /** SHA-256 of the line: the next record's `prev`. */
  readonly hash: string;
  readonly record: LogRecord;
}

export type DecodedLine =
  | { readonly ok: true; readonly record: LogRecord; readonly hash: string }
  | {
      readonly ok: false;
      /** malformed: not a record at all; mac: a record whose MAC does not match its bytes. */
      readonly problem: 'malformed' | 'mac';
      readonly detail: string;
      readonly hash: string;
      readonly seq?: number;
      readonly record?: LogRecord;
    };

const SEALED_FIELDS = ['seq', 'prev', 'time', 'mac'];
/** An ISO time needs no escaping in JSON. */
const SAFE_TIME = /^[0-9TZ:.+-]{1,40}$/;

/** A body's members as they appear in its line: its canonical JSON without the braces. */
export function bodyMembers(body: RecordBody): string {
  const reserved = SEALED_FIELDS.find((field) => field in body);
  if (reserved !== undefined) throw new Error(`A record body may not have a "${reserved}" field: the log sets it.`);
  return canonicalString(body).slice(1, -1);
}

export class RecordCodec {
  private readonly key: crypto.KeyObject;

  constructor(key: Buffer) {
    if (key.length < MIN_KEY_BYTES) {
      throw new Error(`The audit log's key must be at least ${MIN_KEY_BYTES} bytes, and this one has ${key.length}. Pass the key kept for this installation.`);
    }
    this.key = crypto.createSecretKey(key);
  }

  /** HMAC-SHA256 (hex) of `data` under the log's key. */
  mac(...data: (string | Buffer)[]): string {
    const hmac = crypto.createHmac('sha256', this.key);
    for (const part of data) hmac.update(part);
    return hmac.digest('hex');
  }

  /**
   * The line for record `seq`: `{"seq":…,"prev":"…","time":"…",` then `members` (from
   * `bodyMembers(body)`), then `"mac":"…"}`, with the MAC over everything before the mac member.
   */
  seal(seq: number, prev: string, time: string, body: RecordBody, members: string): SealedLine {
    const timeText = SAFE_TIME.test(time) ? `"${time}"` : JSON.stringify(time);
    const unsigned = `{"seq":${seq},"prev":"${prev}","time":${timeText}${members.length > 0 ? ',' : ''}${members}`;
    const mac = this.mac(unsigned, '}');
    const line = `${unsigned}${MAC_OPEN}${mac}"}`;
    // The body becomes the record: no copy, and Object.assign rather than spread (several times
    // faster in V8), as this runs for every record. Bodies are built for one append and not reused.
    return { line, hash: sha256Hex(line), record: Object.assign(body, { seq, prev, time, mac }) };
  }

  /**
   * Canonical JSON of a non-empty object with its MAC appended as the last member. Nested objects
   * built with sorted keys (as the log builds them) are written without being copied.
   */
  sealObject(value: object): { line: string; mac: string } {
    const text = canonicalString(shallowSorted(value));
    const mac = this.mac(text);
    return { line: `${text.slice(0, -1)}${MAC_OPEN}${mac}"}`, mac };
  }

  /** The parsed object of a sealed line whose MAC verifies, or a sentence saying why not. */
  openObject(bytes: Buffer): { ok: true; value: unknown } | { ok: false; problem: string } {
    const text = bytes.toString('utf8');
    const macHex = trailingMac(text);
    if (macHex === undefined) return { ok: false, problem: 'it does not end with a "mac" member' };
    const expected = Buffer.from(this.mac(bytes.subarray(0, bytes.length - MAC_MEMBER_LENGTH), '}'), 'hex');
    if (!crypto.timingSafeEqual(expected, Buffer.from(macHex, 'hex'))) return { ok: false, problem: 'its MAC does not match its contents' };
    try {
      return { ok: true, value: JSON.parse(text) };
    } catch (error) {
      return { ok: false, problem: `it is not JSON (${error instanceof Error ? error.message : String(error)})` };
    }
  }

  /** Checks one line (without its newline) as read from a file. */
  decode(bytes: Buffer): DecodedLine {
    const hash = sha256Hex(bytes);
    const text = bytes.toString('utf8');
    const macHex = trailingMac(text);
    if (macHex === undefined) return { ok: false, problem: 'malformed', detail: 'the line does not end with a "mac" member', hash, ...seqOf(text) };
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      return { ok: false, problem: 'malformed', detail: `the line is not JSON (${error instanceof Error ? error.message : String(error)})`, hash };
    }
    const record = checkRecord(parsed);
    if (typeof record === 'string') {
      const seq = claimedSeq(parsed);
      return { ok: false, problem: 'malformed', detail: record, hash, ...(seq !== undefined && { seq }) };
    }
    const expected = Buffer.from(this.mac(bytes.subarray(0, bytes.length - MAC_MEMBER_LENGTH), '}'), 'hex');
    if (record.mac !== macHex || !crypto.timingSafeEqual(expected, Buffer.from(macHex, 'hex'))) {
      return { ok: false, problem: 'mac', detail: 'its MAC does not match its contents', hash, seq: record.seq, record };
    }
    return { ok: true, record, hash };
  }
}

function trailingMac(text: string): string | undefined {
  if (text.length < MAC_MEMBER_LENGTH + 2 || !text.endsWith('"}')) return undefined;
  const start = text.length - MAC_MEMBER_LENGTH;
  if (text.slice(start, start + MAC_OPEN.length) !== MAC_OPEN) return undefined;
  const hex = text.slice(start + MAC_OPEN.length, text.length - 2);
  return /^[0-9a-f]{64}$/.test(hex) ? hex : undefined;
}

/** A best guess at the `seq` of a line that is not a record, for the report. */
function seqOf(text: string): { seq?: number } {
  const match = /"seq":(\d{1,15})[,}]/.exec(text.slice(0, 4096));
  return match ? { seq: Number(match[1]) } : {};
}
