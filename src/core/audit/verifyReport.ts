/** What verifying a log finds, and how it says so. */
import type { RecordLocation } from './records';

export type BreakKind =
  /** A line that is not a record at all. */
  | 'malformed'
  /** A record whose MAC fails, standing where a record of that seq belongs: it was changed. */
  | 'edited'
  /** A line whose MAC fails between two records that follow each other: it was added. */
  | 'inserted'
  /** A record that fails its MAC with nothing to tell edit from insertion, as when the tail was rewritten without the key. */
  | 'bad-mac'
  /** A valid record whose seq was already seen: a copy was added. */
  | 'duplicate'
  /** Records deleted from the middle of the chain. */
  | 'missing'
  /** A whole file is gone from the middle of the log. */
  | 'missing-file'
  /** A record found after records that follow it, in the file where it belongs. */
  | 'reordered'
  /** A record found in another file than the one it belongs in. */
  | 'moved'
  /** A record whose `prev` is not the hash of the record before it. */
  | 'broken-link'
  /** The newest records are gone: the log ends before the checkpoint's seq. */
  | 'truncated'
  /** The checkpoint is missing, does not verify, belongs to another log or names another record. */
  | 'checkpoint'
  /** The oldest records are gone and no retention record accounts for them. */
  | 'start'
  /** A file does not start with its own header, or its header names another log. */
  | 'header'
  /** The writer found, when it opened the log, that acknowledged records had been removed. */
  | 'records-lost';

export interface ChainBreak extends RecordLocation {
  readonly kind: BreakKind;
  readonly path: string;
  readonly seq?: number;
  /** The last line (and seq) of a run of lines with the same problem. */
  readonly toLine?: number;
  readonly toSeq?: number;
  readonly message: string;
}

/** A call whose `started` record has no `finished` record. */
export interface OpenCall extends RecordLocation {
  readonly id: string;
  readonly seq: number;
  readonly time: string;
  readonly caller: string;
  readonly server: string;
  readonly tool: string;
  /** True when the log was opened again after it started: Warden stopped during the call. */
  readonly interrupted: boolean;
}

export type ChainAnchor =
  | { readonly kind: 'genesis' }
  /** Older files were removed by retention; the retention record at `recordedAtSeq` vouches for the first kept record. */
  | { readonly kind: 'retention'; readonly fromSeq: number; readonly recordedAtSeq: number }
  /** The chain starts later than seq 1 and nothing explains why (also reported as a break). */
  | { readonly kind: 'unexplained'; readonly fromSeq: number }
  | { readonly kind: 'empty' };

export interface VerifiedFile {
  readonly name: string;
  readonly path: string;
  readonly bytes: number;
  readonly lines: number;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly dir: string;
  readonly files: readonly VerifiedFile[];
  /** Records whose MAC verified. */
  readonly records: number;
  readonly firstSeq?: number;
  readonly lastSeq?: number;
  readonly anchor: ChainAnchor;
  readonly breaks: readonly ChainBreak[];
  /** Things worth knowing that are not breaks: recoveries, torn tails awaiting recovery, retention. */
  readonly notices: readonly string[];
  readonly openCalls: readonly OpenCall[];
  /** One sentence: "The audit log verifies: …" or what is wrong. */
  readonly summary: string;
}

export function summarise(report: Omit<VerifyReport, 'summary'>): string {
  const files = `${report.files.length} file${report.files.length === 1 ? '' : 's'}`;
  const records = `${report.records} record${report.records === 1 ? '' : 's'}`;
  if (report.ok) {
    if (report.anchor.kind === 'empty') return 'The audit log is empty: nothing to verify.';
    const from = report.anchor.kind === 'retention' ? `; chain verified from seq ${report.anchor.fromSeq} (older files removed by retention)` : '';
    return `The audit log verifies: ${records} in ${files}, chain intact${from}.`;
  }
  const count = report.breaks.length;
  return `The audit log does not verify: ${count} break${count === 1 ? '' : 's'} in ${records} across ${files}. First: ${report.breaks[0]?.message ?? 'unknown'}`;
}
