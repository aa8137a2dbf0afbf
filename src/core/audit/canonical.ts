/**
 * Canonical JSON at the speed the log needs. `canonicalJson` (util/canonicalJson.ts) defines the
 * form: JSON.stringify of a copy whose objects have their keys inserted in sorted order (integer
 * keys such as "7" still come first, in numeric order, as JavaScript lists them). Objects built
 * with their keys in that order already are checked and stringified as they are; anything else is
 * copied in order first. The unit tests hold both paths to `canonicalJson`'s exact output.
 */
import * as crypto from 'node:crypto';

const MAX_DEPTH = 200;

/** Same text as `canonicalJson(value)`. */
export function canonicalString(value: unknown): string {
  return JSON.stringify(inOrder(value, 0) ? value : sortedCopy(value, 0)) ?? 'null';
}

/** SHA-256 (hex) of canonicalJson(value): what a record's `argsSha256` holds. */
export function canonicalSha256(value: unknown): string {
  return sha256Hex(canonicalString(value));
}

/** SHA-256 (hex) of a string's UTF-8 bytes or of a buffer; one-shot `crypto.hash` where Node has it. */
export const sha256Hex: (data: string | Buffer) => string =
  typeof crypto.hash === 'function'
    ? (data) => crypto.hash('sha256', data, 'hex')
    : (data) => crypto.createHash('sha256').update(data).digest('hex');

/** The order `canonicalJson` sorts keys in before inserting them: by UTF-16 code units. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A deep copy whose objects have their keys inserted in sorted order. */
export function sortedCopy(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) throw new Error(`The value is nested more than ${MAX_DEPTH} levels deep; the audit log cannot record it.`);
  if (value === null || typeof value !== 'object') return value;
  if (hasToJson(value)) return sortedCopy(value.toJSON(), depth + 1);
  if (Array.isArray(value)) return value.map((item) => sortedCopy(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value).sort(byKey)) out[key] = sortedCopy(item, depth + 1);
  return out;
}

/** A copy of an object with its own keys in sorted order; the values are shared, not copied. */
export function shallowSorted(value: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value).sort(byKey)) out[key] = item;
  return out;
}

/** True when stringifying the value as it is already gives canonical text. */
function inOrder(value: unknown, depth: number): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (depth > MAX_DEPTH || hasToJson(value)) return false;
  if (Array.isArray(value)) return value.every((item) => inOrder(item, depth + 1));
  if (!isRecord(value)) return false;
  let previous: string | undefined;
  // for…in visits own keys in Object.keys order (plain objects inherit none) without allocating.
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) return false;
    // Integer keys are listed first, in numeric order, however they were inserted.
    if (!isArrayIndex(key)) {
      if (previous !== undefined && !(previous < key)) return false;
      previous = key;
    }
    if (!inOrder(value[key], depth + 1)) return false;
  }
  return true;
}

function isRecord(value: object): value is Record<string, unknown> {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function isArrayIndex(key: string): boolean {
  const first = key.charCodeAt(0);
  if (first < 48 || first > 57) return false;
  return /^(?:0|[1-9]\d{0,9})$/.test(key) && Number(key) < 4294967295;
}

function byKey(a: [string, unknown], b: [string, unknown]): number {
  return compareKeys(a[0], b[0]);
}

function hasToJson(value: object): value is { toJSON(): unknown } {
  return 'toJSON' in value && typeof value.toJSON === 'function';
}
