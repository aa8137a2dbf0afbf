/**
 * The verifier's reasoning, fed one line at a time in file order, with no I/O. Records whose MAC
 * verifies are trusted; each is compared with the last trusted record before it:
 *   seq one more and `prev` its hash: in order;
 *   seq further on: records are missing, unless lines that fail their MAC stand in their place
 *     (then those were edited);
 *   seq already passed: it fills an earlier gap (reordered, or moved from another file), or it
 *     is a copy (duplicate).
 * Lines that fail between two consecutive records were inserted. Gaps still open at the end were
 * deleted. A run of failing lines at the end was rewritten without the key, or edited.
 */
import type { Checkpoint, CheckpointRead } from './checkpoint';
import type { DecodedLine } from './recordCodec';
import { GENESIS_HASH, type LogRecord, type RecordLocation, type RemovedFile } from './records';
import type { BreakKind, ChainAnchor, ChainBreak, OpenCall } from './verifyReport';

interface Trusted {
  readonly seq: number;
  readonly hash: string;
  readonly loc: RecordLocation;
}

interface BadLine {
  readonly loc: RecordLocation;
  readonly seq?: number;
  readonly problem: 'malformed' | 'mac';
  readonly detail: string;
}

interface Gap {
  from: number;
  readonly to: number;
  readonly after: RecordLocation;
  readonly before: RecordLocation;
  /** Already reported as a missing file. */
  readonly explained: boolean;
}

const MAX_GAPS = 10_000;

export class ChainChecker {
  readonly breaks: ChainBreak[] = [];
  readonly notices: string[] = [];
  records = 0;
  private last: Trusted | undefined;
  private first: (Trusted & { readonly prev: string }) | undefined;
  private bad: BadLine[] = [];
  private readonly gaps: Gap[] = [];
  private readonly retained: { readonly seq: number; readonly removed: readonly RemovedFile[] }[] = [];
  private readonly open = new Map<string, OpenCall>();
  private logId: string | undefined;
  private file: { name: string; previous?: string } = { name: '' };
  private checkpointHashSeen: boolean | undefined;

  constructor(
    private readonly checkpoint: CheckpointRead,
    private readonly pathOf: (file: string) => string,
  ) {}

  beginFile(name: string, previous: string | undefined): void {
    this.file = { name, ...(previous !== undefined && { previous }) };
  }

  line(loc: RecordLocation, decoded: DecodedLine): void {
    if (!decoded.ok) {
      this.bad.push({ loc, problem: decoded.problem, detail: decoded.detail, ...(decoded.seq !== undefined && { seq: decoded.seq }) });
      return;
    }
    const { record, hash } = decoded;
    this.records += 1;
    const header = loc.line === 1 ? this.checkHeader(record, loc) : { missingFile: false };
    if (!this.last) {
      this.flushBad('bad-mac');
      this.first = { seq: record.seq, hash, loc, prev: record.prev };
    } else if (!this.follow(this.last, record, loc, header.missingFile)) {
      return;
    }
    this.last = { seq: record.seq, hash, loc };
    const cp = this.checkpoint.kind === 'valid' ? this.checkpoint.checkpoint : undefined;
    if (cp && record.seq === cp.seq) this.checkpointHashSeen = hash === cp.hash;
    this.observe(record, loc);
  }

  /** Bytes after the last newline of the newest file. */
  tornTail(loc: RecordLocation, bytes: number, newest: boolean): void {
    if (newest) {
      this.notices.push(`${loc.file} ends with ${bytes} bytes of an unfinished line (a write was interrupted); the writer discards them when it next opens the log.`);
    } else {
      this.report('malformed', loc, `${loc.file} line ${loc.line} is cut off (${bytes} bytes without a newline) in a file that was already complete: it was altered.`);
    }
  }

  finish(): { anchor: ChainAnchor; openCalls: OpenCall[]; firstSeq?: number; lastSeq?: number } {
    const highestClaimed = this.bad.reduce((max, b) => Math.max(max, b.seq ?? 0), this.last?.seq ?? 0);
    this.flushBad('bad-mac');
    for (const gap of this.gaps) {
      if (gap.explained || gap.from > gap.to) continue;
      this.report('missing', gap.before, `${range('seq', gap.from, gap.to)} ${gap.from === gap.to ? 'is' : 'are'} missing between ${where(gap.after)} and ${where(gap.before)}: deleted.`, { seq: gap.from, toSeq: gap.to });
    }
    this.checkCheckpoint(highestClaimed);
    return {
      anchor: this.anchor(),
      openCalls: [...this.open.values()],
      ...(this.first && { firstSeq: this.first.seq }),
      ...(this.last && { lastSeq: this.last.seq }),
    };
  }

  /** Relates a trusted record to the last one; false when it does not advance the chain. */
  private follow(last: Trusted, record: LogRecord, loc: RecordLocation, missingFile: boolean): boolean {
    const expected = last.seq + 1;
    if (record.seq === expected) {
      this.flushBad('inserted');
      if (record.prev !== last.hash) this.report('broken-link', loc, `${where(loc)} (seq ${record.seq}) does not link to seq ${last.seq} before it: its prev is not that record's hash.`, { seq: record.seq });
      return true;
    }
    if (record.seq > expected) {
      const missing = record.seq - expected;
      if (this.bad.length === missing && this.bad.every((b, i) => b.seq === undefined || b.seq === expected + i)) {
        this.flushBad('edited');
      } else {
        this.flushBad('bad-mac');
        if (this.gaps.length < MAX_GAPS) this.gaps.push({ from: expected, to: record.seq - 1, after: last.loc, before: loc, explained: missingFile });
        else this.report('missing', loc, `${range('seq', expected, record.seq - 1)} missing before ${where(loc)}.`, { seq: expected, toSeq: record.seq - 1 });
      }
      return true;
    }
    this.flushBad('bad-mac');
    const gap = this.gaps.find((g) => g.from <= record.seq && record.seq <= g.to);
    if (!gap) {
      this.report('duplicate', loc, `${where(loc)} repeats seq ${record.seq}, which came earlier: a copy of a record was added.`, { seq: record.seq });
      return false;
    }
    this.fillGap(gap, record.seq);
    const belongsIn = gap.before.line === 1 ? gap.after.file : gap.before.file;
    if (belongsIn !== loc.file) {
      this.report('moved', loc, `seq ${record.seq} is in ${where(loc)} but belongs in ${belongsIn}, after ${where(gap.after)}: it was moved between files.`, { seq: record.seq });
    } else {
      this.report('reordered', loc, `seq ${record.seq} at ${where(loc)} is out of order: it belongs before ${where(gap.before)}.`, { seq: record.seq });
    }
    return false;
  }

  private fillGap(gap: Gap, seq: number): void {
    if (seq === gap.from) gap.from += 1;
    else if (seq === gap.to) this.gaps.splice(this.gaps.indexOf(gap), 1, { ...gap, to: seq - 1 });
    else this.gaps.splice(this.gaps.indexOf(gap), 1, { ...gap, to: seq - 1 }, { ...gap, from: seq + 1 });
  }

  private checkHeader(record: LogRecord, loc: RecordLocation): { missingFile: boolean } {
    if (record.kind !== 'header') {
      this.report('header', loc, `${loc.file} does not start with its header record: its beginning was removed or replaced.`, { seq: record.seq });
      return { missingFile: false };
    }
    if (record.file !== loc.file) this.report('header', loc, `${loc.file} holds the header of ${record.file}: the file was renamed or replaced.`, { seq: record.seq });
    if (this.logId !== undefined && record.logId !== this.logId) this.report('header', loc, `${loc.file} belongs to another log (log id ${record.logId}).`, { seq: record.seq });
    this.logId ??= record.logId;
    const previous = this.file.previous;
    if (previous !== undefined && record.previousFile !== undefined && record.previousFile !== previous) {
      this.report('missing-file', loc, `${record.previousFile}, which came before ${loc.file}, is missing (the files before it end with ${previous}).`, { seq: record.seq });
      return { missingFile: true };
    }
    return { missingFile: false };
  }

  /** What a trusted record means for open calls, retention and recovery. */
  private observe(record: LogRecord, loc: RecordLocation): void {
    switch (record.kind) {
      case 'started':
        this.open.set(record.id, { ...loc, id: record.id, seq: record.seq, time: record.time, caller: record.caller, server: record.server, tool: record.tool, interrupted: false });
        break;
      case 'finished':
        this.open.delete(record.id);
        break;
      case 'opened':
        for (const [id, call] of this.open) if (!call.interrupted) this.open.set(id, { ...call, interrupted: true });
        break;
      case 'retention':
        this.retained.push({ seq: record.seq, removed: record.removed });
        this.notices.push(`At ${record.time} (seq ${record.seq}) retention removed ${record.removed.map((r) => `${r.file} (seq ${r.firstSeq}–${r.lastSeq})`).join(', ')}.`);
        break;
      case 'recovered':
        this.recovered(record, loc);
        break;
      case 'header':
      case 'refused':
        break;
    }
  }

  private recovered(record: Extract<LogRecord, { kind: 'recovered' }>, loc: RecordLocation): void {
    const at = `When the log was opened at ${record.time} (seq ${record.seq})`;
    if (record.discardedBytes > 0) this.notices.push(`${at}, ${record.discardedBytes} bytes of an interrupted write were discarded from ${record.file}.`);
    if (!record.lastRecordVerified) this.notices.push(`${at}, its last record did not verify with the key in use: ${record.note}`);
    if (record.missingFromSeq !== undefined && record.missingToSeq !== undefined) {
      this.report('records-lost', loc, `${at}, ${range('seq', record.missingFromSeq, record.missingToSeq)}, already acknowledged, had been removed from the end of the log.`, {
        seq: record.missingFromSeq,
        toSeq: record.missingToSeq,
      });
    } else if (record.checkpoint !== 'ok') {
      this.report('checkpoint', loc, `${at}, its checkpoint was ${record.checkpoint}: ${record.note}`, { seq: record.seq });
    }
  }

  private checkCheckpoint(highestSeq: number): void {
    const end = this.last ? { ...this.last.loc, line: this.last.loc.line + 1 } : { file: this.file.name, line: 1 };
    if (this.checkpoint.kind === 'missing') {
      if (this.records > 0) this.report('checkpoint', end, 'audit.head, the checkpoint, is missing: a removal of the newest records cannot be ruled out.');
      return;
    }
    if (this.checkpoint.kind === 'invalid') {
      this.report('checkpoint', end, `audit.head, the checkpoint, does not verify (${this.checkpoint.problem}): a removal of the newest records cannot be ruled out.`);
      return;
    }
    const cp: Checkpoint = this.checkpoint.checkpoint;
    if (this.logId !== undefined && cp.logId !== this.logId) this.report('checkpoint', end, `audit.head belongs to another log (log id ${cp.logId}).`);
    if (cp.seq > highestSeq) {
      this.report('truncated', end, `The newest records, ${range('seq', highestSeq + 1, cp.seq)}, are missing: the log ends at ${where(end)} but the checkpoint written at ${cp.time} says it reached seq ${cp.seq}.`, {
        seq: highestSeq + 1,
        toSeq: cp.seq,
      });
    } else if (this.checkpointHashSeen === false) {
      this.report('checkpoint', end, `The record with seq ${cp.seq} is not the one the checkpoint sealed: the end of the log was replaced.`, { seq: cp.seq });
    }
  }

  private anchor(): ChainAnchor {
    const first = this.first;
    if (!first) return { kind: 'empty' };
    if (first.seq === 1 && first.prev === GENESIS_HASH) return { kind: 'genesis' };
    const vouch = this.retained.find((r) => r.removed.some((f) => f.lastSeq === first.seq - 1 && f.lastHash === first.prev));
    if (vouch) return { kind: 'retention', fromSeq: first.seq, recordedAtSeq: vouch.seq };
    this.report('start', first.loc, `The log starts at seq ${first.seq} (${where(first.loc)}): ${range('seq', 1, first.seq - 1)} are missing and no retention record accounts for them.`, { seq: first.seq });
    return { kind: 'unexplained', fromSeq: first.seq };
  }

  private flushBad(as: 'edited' | 'inserted' | 'bad-mac'): void {
    const lines = this.bad;
    this.bad = [];
    for (const run of runs(lines)) {
      const [head] = run;
      const tail = run.at(-1);
      if (!head || !tail) continue;
      const kind: BreakKind = head.problem === 'malformed' && run.every((b) => b.problem === 'malformed') ? 'malformed' : as;
      const span = run.length === 1 ? where(head.loc) : `${head.loc.file} lines ${head.loc.line}–${tail.loc.line}`;
      const seqs = head.seq !== undefined ? ` (${range('seq', head.seq, tail.seq ?? head.seq)})` : '';
      const message = MESSAGES[kind](span + seqs, head.detail);
      this.report(kind, head.loc, message, {
        ...(head.seq !== undefined && { seq: head.seq }),
        ...(run.length > 1 && { toLine: tail.loc.line }),
        ...(tail.seq !== undefined && run.length > 1 && { toSeq: tail.seq }),
      });
    }
  }

  private report(kind: BreakKind, loc: RecordLocation, message: string, extra: Partial<Pick<ChainBreak, 'seq' | 'toLine' | 'toSeq'>> = {}): void {
    this.breaks.push({ kind, file: loc.file, line: loc.line, path: this.pathOf(loc.file), ...extra, message });
  }
}

const MESSAGES: Record<'malformed' | 'edited' | 'inserted' | 'bad-mac', (span: string, detail: string) => string> = {
  malformed: (span, detail) => `${span} is not a valid record (${detail}).`,
  edited: (span) => `${span} was changed after it was written: its MAC does not match its contents.`,
  inserted: (span) => `${span} does not belong in the chain: it was inserted (its MAC does not match).`,
  'bad-mac': (span) => `${span} does not verify with this log's key: edited, or rewritten without the key.`,
};

/** Consecutive lines of one file. */
function runs(lines: readonly BadLine[]): BadLine[][] {
  const out: BadLine[][] = [];
  for (const line of lines) {
    const run = out.at(-1);
    const prev = run?.at(-1);
    if (run && prev && prev.loc.file === line.loc.file && prev.loc.line + 1 === line.loc.line) run.push(line);
    else out.push([line]);
  }
  return out;
}

function where(loc: RecordLocation): string {
  return `${loc.file} line ${loc.line}`;
}

function range(what: string, from: number, to: number): string {
  return from === to ? `${what} ${from}` : `${what} ${from}–${to}`;
}
