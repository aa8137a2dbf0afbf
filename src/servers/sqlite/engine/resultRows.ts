/**
 * Steps a prepared statement and collects its rows as JSON values, stopping at a row cap and at a
 * byte cap (the size of the rows as JSON). One row past the cap is looked at, so `truncated` is
 * true only when more rows exist.
 */
import type { SqlValue, Statement } from 'sql.js';

/** A cell as JSON: integers beyond ±2^53 become decimal strings, blobs become base64. */
export type Cell = string | number | null | { base64: string; bytes: number };

export interface ResultRows {
  readonly columns: string[];
  readonly rows: Cell[][];
  /** Why rows were left out, if any were. */
  readonly truncatedBy?: 'rows' | 'bytes';
  /** The JSON size of the rows returned. */
  readonly bytes: number;
}

export interface RowLimits {
  readonly maxRows: number;
  readonly maxBytes: number;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);

export function toCell(value: SqlValue): Cell {
  if (value === null) return null;
  if (typeof value === 'bigint') return value >= MIN_SAFE && value <= MAX_SAFE ? Number(value) : value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string') return value;
  return { base64: Buffer.from(value).toString('base64'), bytes: value.length };
}

export function collectRows(statement: Statement, limits: RowLimits): ResultRows {
  const columns = statement.getColumnNames();
  const rows: Cell[][] = [];
  let bytes = 2; // "[]"
  while (statement.step()) {
    if (rows.length >= limits.maxRows) return { columns, rows, truncatedBy: 'rows', bytes };
    const row = statement.get(null, { useBigInt: true }).map(toCell);
    const size = Buffer.byteLength(JSON.stringify(row), 'utf8') + (rows.length > 0 ? 1 : 0);
    if (bytes + size > limits.maxBytes) return { columns, rows, truncatedBy: 'bytes', bytes };
    rows.push(row);
    bytes += size;
  }
  return { columns, rows, bytes };
}
