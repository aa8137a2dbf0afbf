/**
 * What opening a log finds: where the chain ends once a torn tail is cut off, how that end
 * compares with the checkpoint, and the `recovered` record that tells the story when anything was
 * out of place. Nothing found here is dropped silently.
 */
import { randomUUID } from 'node:crypto';
import { readCheckpoint, type CheckpointRead } from './checkpoint';
import type { ChainPosition } from './chainWriter';
import type { RecordCodec } from './recordCodec';
import { GENESIS_HASH, type CheckpointFinding, type RecoveredBody } from './records';
import { listSegments, segmentAt } from './segments';
import { applyTailRecovery, planTailRecovery, type ChainEnd } from './tailRecovery';

/** What the writer found and did when it opened the log. */
export interface OpenReport {
  /** True when there was no log before. */
  readonly created: boolean;
  /** The last record before this opening's own records; 0 for a new log. */
  readonly lastSeq: number;
  /** Bytes of interrupted writes cut off the end. */
  readonly discardedBytes: number;
  readonly checkpoint: CheckpointFinding;
  readonly lastRecordVerified: boolean;
  /** Records the checkpoint vouches for that are gone. */
  readonly missing?: { readonly fromSeq: number; readonly toSeq: number };
  /** A sentence for people when anything was found; absent after a clean close. */
  readonly message?: string;
}

export interface Opening {
  readonly start: ChainPosition & { readonly needsHeader: boolean };
  readonly logId: string;
  readonly checkpoint: CheckpointRead;
  /** No files and no checkpoint: a new log, whose checkpoint is written before its first file. */
  readonly fresh: boolean;
  readonly recovered?: RecoveredBody;
  readonly report: OpenReport;
}

export async function openChain(dir: string, codec: RecordCodec): Promise<Opening> {
  const segments = await listSegments(dir);
  const checkpoint = await readCheckpoint(dir, codec);
  const plan = await planTailRecovery(segments, codec);
  const end = plan.end;
  const { finding, missing } = compare(checkpoint, end, segments.length > 0);
  const discardedBytes = plan.discards.reduce((sum, d) => sum + d.bytes, 0);
  const discardedSha256 = await applyTailRecovery(plan);
  const lastRecordVerified = end?.verified ?? true;
  const logId = end?.logId ?? (checkpoint.kind === 'valid' ? checkpoint.checkpoint.logId : randomUUID());
  const start = end
    ? { segment: end.segment, bytes: end.bytes, seq: end.seq, hash: end.hash, needsHeader: false }
    : { segment: segmentAt(dir, segments[0]?.index ?? 1), bytes: 0, seq: 0, hash: GENESIS_HASH, needsHeader: true };
  const note = describe(discardedBytes, finding, missing, lastRecordVerified, end);
  const report: OpenReport = {
    created: segments.length === 0 && checkpoint.kind === 'missing',
    lastSeq: start.seq,
    discardedBytes,
    checkpoint: finding,
    lastRecordVerified,
    ...(missing && { missing }),
    ...(note !== undefined && { message: note }),
  };
  const recovered: RecoveredBody | undefined =
    note === undefined
      ? undefined
      : {
          kind: 'recovered',
          file: start.segment.name,
          discardedBytes,
          ...(discardedSha256 !== undefined && discardedBytes > 0 && { discardedSha256 }),
          checkpoint: finding,
          ...(missing && { missingFromSeq: missing.fromSeq, missingToSeq: missing.toSeq }),
          lastRecordVerified,
          note,
        };
  return { start, logId, checkpoint, fresh: report.created, ...(recovered && { recovered }), report };
}

function compare(
  checkpoint: CheckpointRead,
  end: ChainEnd | undefined,
  hadFiles: boolean,
): { finding: CheckpointFinding; missing?: { fromSeq: number; toSeq: number } } {
  if (checkpoint.kind === 'missing') return { finding: hadFiles ? 'missing' : 'ok' };
  if (checkpoint.kind === 'invalid') return { finding: 'invalid' };
  const cp = checkpoint.checkpoint;
  if (end?.logId !== undefined && cp.logId !== end.logId) return { finding: 'other-log' };
  const lastSeq = end?.seq ?? 0;
  if (cp.seq > lastSeq) return { finding: 'ahead', missing: { fromSeq: lastSeq + 1, toSeq: cp.seq } };
  if (end && cp.seq === lastSeq && cp.hash !== end.hash) return { finding: 'mismatch' };
  return { finding: 'ok' };
}

function describe(
  discardedBytes: number,
  finding: CheckpointFinding,
  missing: { fromSeq: number; toSeq: number } | undefined,
  lastRecordVerified: boolean,
  end: ChainEnd | undefined,
): string | undefined {
  const parts: string[] = [];
  if (discardedBytes > 0) parts.push(`${discardedBytes} bytes of an interrupted write were cut off after seq ${end?.seq ?? 0}`);
  switch (finding) {
    case 'ok':
      break;
    case 'missing':
      parts.push('the checkpoint (audit.head) was missing');
      break;
    case 'invalid':
      parts.push('the checkpoint (audit.head) did not verify with this key');
      break;
    case 'other-log':
      parts.push('the checkpoint (audit.head) belongs to another log');
      break;
    case 'ahead':
      if (missing) parts.push(`the checkpoint vouches for seq ${missing.fromSeq}–${missing.toSeq}, which are no longer in the log`);
      break;
    case 'mismatch':
      parts.push(`the record with seq ${end?.seq ?? 0} is not the one the checkpoint sealed`);
      break;
  }
  if (!lastRecordVerified) parts.push(`the last record (seq ${end?.seq ?? 0}) does not verify with this key: the key changed, or the record was altered`);
  if (parts.length === 0) return undefined;
  const text = parts.join('; ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}
