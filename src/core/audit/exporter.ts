/**
 * Export, streamed: JSONL is every complete line verbatim, oldest first (a copy that still
 * verifies with the key); CSV flattens each record into the columns below, with the caller, server
 * and tool of a `finished` record taken from its `started` one. The file is written beside the
 * target and renamed into place, so a failed export leaves nothing half-written.
 *
 * CSV cells that a spreadsheet would run as a formula (starting with = + - @ or a tab) get a
 * leading apostrophe: messages come from tools and models, and an export is opened by people.
 */
import { createWriteStream, promises as fsp, type WriteStream } from 'node:fs';
import path from 'node:path';
import type { ReadLimit } from './history';
import { linesForward } from './lineReaders';
import { checkRecord } from './recordShape';
import type { LogRecord } from './records';
import { listSegments } from './segments';

export type ExportFormat = 'jsonl' | 'csv';

export const CSV_COLUMNS = ['seq', 'time', 'kind', 'id', 'caller', 'server', 'tool', 'outcome', 'durationMs', 'errorCode', 'message', 'ruleId'] as const;

export interface ExportOptions {
  readonly format: ExportFormat;
  /** The file to write; replaced if it exists. */
  readonly path: string;
  readonly end?: ReadLimit;
}

export interface ExportResult {
  readonly path: string;
  readonly format: ExportFormat;
  readonly records: number;
  readonly bytes: number;
}

export async function exportAuditLog(dir: string, options: ExportOptions): Promise<ExportResult> {
  const target = path.resolve(options.path);
  const temporary = `${target}.${process.pid}.partial`;
  const out = createWriteStream(temporary, { flags: 'w' });
  let failure: Error | undefined;
  out.on('error', (error) => {
    failure ??= error;
  });
  const opened = new Promise<void>((resolve, reject) => out.once('open', () => resolve()).once('error', reject));
  let records = 0;
  try {
    await opened;
    const toCsv = options.format === 'csv' ? csvRows() : undefined;
    if (toCsv) await write(out, `${CSV_COLUMNS.join(',')}\r\n`);
    for await (const bytes of completeLines(dir, options.end)) {
      if (!toCsv) {
        await write(out, Buffer.concat([bytes, NEWLINE]));
        records += 1;
        continue;
      }
      const row = toCsv(bytes);
      if (row === undefined) continue;
      await write(out, row);
      records += 1;
    }
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
    if (failure) throw failure;
    await fsp.rename(temporary, target);
  } catch (error) {
    out.destroy();
    await fsp.rm(temporary, { force: true });
    throw new Error(`Could not export the audit log to ${target}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const { size } = await fsp.stat(target);
  return { path: target, format: options.format, records, bytes: size };
}

const NEWLINE = Buffer.from('\n');

async function* completeLines(dir: string, end: ReadLimit | undefined): AsyncGenerator<Buffer> {
  const segments = await listSegments(dir);
  const last = end ? segments.findIndex((s) => s.name === end.file) : -1;
  for (const segment of last >= 0 ? segments.slice(0, last + 1) : segments) {
    const limit = end && segment.name === end.file ? end.bytes : undefined;
    for await (const line of linesForward(segment.path, limit)) if (line.complete) yield line.bytes;
  }
}

/** A converter from lines to CSV rows that remembers who started each open call. */
function csvRows(): (bytes: Buffer) => string | undefined {
  const open = new Map<string, { caller: string; server: string; tool: string; ruleId?: string }>();
  return (bytes) => {
    let record: LogRecord | string;
    try {
      record = checkRecord(JSON.parse(bytes.toString('utf8')));
    } catch (error) {
      if (error instanceof SyntaxError) return undefined;
      throw error;
    }
    if (typeof record === 'string') return undefined;
    const cells = flatten(record, open);
    return `${CSV_COLUMNS.map((column) => csvCell(cells[column])).join(',')}\r\n`;
  };
}

type Row = Partial<Record<(typeof CSV_COLUMNS)[number], string | number>>;

function flatten(record: LogRecord, open: Map<string, { caller: string; server: string; tool: string; ruleId?: string }>): Row {
  const base: Row = { seq: record.seq, time: record.time, kind: record.kind };
  switch (record.kind) {
    case 'started': {
      const who = { caller: record.caller, server: record.server, tool: record.tool, ruleId: record.decision.ruleId };
      open.set(record.id, who);
      return { ...base, id: record.id, ...who, message: record.decision.reason };
    }
    case 'finished': {
      const who = open.get(record.id);
      open.delete(record.id);
      return { ...base, id: record.id, ...who, outcome: record.outcome, durationMs: record.durationMs, errorCode: record.errorCode, message: record.message ?? record.result?.preview };
    }
    case 'refused':
      return {
        ...base,
        id: record.id,
        caller: record.caller,
        server: record.server,
        tool: record.tool,
        outcome: record.outcome,
        durationMs: 0,
        errorCode: record.errorCode,
        message: record.message,
        ruleId: record.decision?.ruleId,
      };
    case 'header':
      return { ...base, message: record.previousFile ? `${record.file} continues ${record.previousFile}` : `${record.file} starts the log` };
    case 'opened':
      return { ...base, message: `opened by process ${record.pid}` };
    case 'recovered':
      return { ...base, message: record.note };
    case 'retention':
      return { ...base, message: `removed ${record.removed.map((r) => r.file).join(', ')} (older than ${record.retentionDays} days)` };
  }
}

export function csvCell(value: string | number | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const guarded = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

function write(stream: WriteStream, chunk: string | Buffer): Promise<void> {
  if (stream.write(chunk)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      stream.off('drain', onDrain);
      reject(error);
    };
    const onDrain = (): void => {
      stream.off('error', onError);
      resolve();
    };
    stream.once('drain', onDrain).once('error', onError);
  });
}
