/**
 * The readable text of a query result: a Markdown table, then one line that says how many rows
 * there are and, when rows were left out, why and how to get them. The structured copy is exact;
 * this text is for reading (NULL is shown as NULL, long blobs by their size).
 */
import type { Cell, ResultRows } from './engine/resultRows';
import { formatBytes } from './format';

export interface RenderLimits {
  readonly maxRows: number;
  readonly maxBytes: number;
}

export function renderRows(result: ResultRows, limits: RenderLimits): string {
  const lines: string[] = [];
  if (result.columns.length > 0) {
    lines.push(`| ${result.columns.map(escapeCell).join(' | ')} |`);
    lines.push(`|${result.columns.map(() => ' --- ').join('|')}|`);
    for (const row of result.rows) lines.push(`| ${row.map(showCell).join(' | ')} |`);
    lines.push('');
  }
  lines.push(summary(result, limits));
  return lines.join('\n');
}

export function summary(result: ResultRows, limits: RenderLimits): string {
  const n = result.rows.length;
  const rows = `${n} row${n === 1 ? '' : 's'}`;
  if (result.truncatedBy === 'rows') {
    return `Showing the first ${rows}; more rows exist (at most ${limits.maxRows} per call). Add LIMIT and OFFSET, or narrow the WHERE clause, to see the rest.`;
  }
  if (result.truncatedBy === 'bytes') {
    const lead = n === 0 ? 'The first row alone would pass' : `Showing the first ${rows}; the next would pass`;
    return `${lead} the ${formatBytes(limits.maxBytes)} result limit. Select fewer or shorter columns (for example substr(column, 1, 200)), or page with LIMIT and OFFSET.`;
  }
  return result.columns.length === 0 ? 'The statement ran and returned no columns.' : `${rows}.`;
}

export function showCell(cell: Cell): string {
  if (cell === null) return 'NULL';
  if (typeof cell === 'number') return String(cell);
  if (typeof cell === 'string') return escapeCell(cell);
  if (cell.bytes <= 16) return `x'${Buffer.from(cell.base64, 'base64').toString('hex')}'`;
  return `<blob, ${cell.bytes} bytes>`;
}

/** Keeps a value on one table row: backslashes, line breaks and pipes are escaped. */
function escapeCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\r\n|\r|\n/g, '\\n').replace(/\|/g, '\\|');
}
