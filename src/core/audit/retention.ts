/**
 * Retention: the oldest files, last written more than N days ago, are deleted at open and at each
 * rotation. Never the file being written, and only a run of the oldest, so the chain that remains
 * is whole. Before any file goes, a `retention` record naming each one with its seq range and the
 * hash of its last line is made durable: the verifier then anchors the remaining chain on that
 * hash and can tell retention from someone deleting records. A file whose first or last line is
 * not a valid record is kept: it is evidence.
 */
import { promises as fsp } from 'node:fs';
import type { RecordCodec } from './recordCodec';
import type { RemovedFile } from './records';
import { firstLine, lastLine, type Segment } from './segments';

export const DAY_MS = 24 * 60 * 60 * 1000;

export interface RetentionPlan {
  readonly segments: readonly Segment[];
  readonly removed: readonly RemovedFile[];
}

/** The files to delete: oldest first, stopping at the first one too young or unreadable, never `current`. */
export async function planRetention(
  segments: readonly Segment[],
  current: number,
  retentionDays: number,
  now: number,
  codec: RecordCodec,
): Promise<RetentionPlan> {
  const cutoff = now - retentionDays * DAY_MS;
  const chosen: Segment[] = [];
  const removed: RemovedFile[] = [];
  for (const segment of segments) {
    if (segment.index >= current) break;
    const stat = await fsp.stat(segment.path);
    if (stat.mtimeMs >= cutoff) break;
    const summary = await summarise(segment, codec);
    if (!summary) break;
    chosen.push(segment);
    removed.push(summary);
  }
  return { segments: chosen, removed };
}

export async function applyRetention(plan: RetentionPlan): Promise<void> {
  for (const segment of plan.segments) await fsp.rm(segment.path, { force: true });
}

async function summarise(segment: Segment, codec: RecordCodec): Promise<RemovedFile | undefined> {
  const [first, last] = await Promise.all([firstLine(segment.path), lastLine(segment.path)]);
  if (!first || !last) return undefined;
  const a = codec.decode(first);
  const b = codec.decode(last);
  if (!a.ok || !b.ok) return undefined;
  return { file: segment.name, firstSeq: a.record.seq, lastHash: b.hash, lastSeq: b.record.seq };
}
