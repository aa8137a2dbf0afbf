/**
 * Crash recovery at open. A crash (or power loss) in the middle of a write leaves a torn last
 * line, or garbage after the last record. Reading backwards from the end of the newest file, the
 * last complete line that is a well-formed record ends the chain; every byte after it is cut off,
 * and the `recovered` record written next says how many bytes, and their SHA-256. A newest file
 * that holds no record at all (a crash right after it was created) is removed the same way.
 *
 * A last record whose MAC fails is kept, not cut: that is a key change or tampering, not a torn
 * write, and cutting it would destroy evidence. The writer notes it; the verifier reports it.
 */
import { createHash } from 'node:crypto';
import { createReadStream, promises as fsp } from 'node:fs';
import { linesBackward } from './lineReaders';
import type { RecordCodec } from './recordCodec';
import { firstLine, type Segment } from './segments';

export interface ChainEnd {
  readonly segment: Segment;
  /** The segment's length once the torn bytes are cut: where the next record goes. */
  readonly bytes: number;
  readonly seq: number;
  readonly hash: string;
  readonly verified: boolean;
  /** From the segment's header, when it has a valid one. */
  readonly logId?: string;
}

export interface Discard {
  readonly segment: Segment;
  /** Cut from this offset to the end; 0 with `remove` deletes the file. */
  readonly from: number;
  readonly bytes: number;
  readonly remove: boolean;
}

export interface TailPlan {
  /** Undefined when no file holds a record. */
  readonly end: ChainEnd | undefined;
  readonly discards: readonly Discard[];
}

/** Finds where the chain ends, without changing anything. `segments` oldest first. */
export async function planTailRecovery(segments: readonly Segment[], codec: RecordCodec): Promise<TailPlan> {
  const discards: Discard[] = [];
  for (const [i, segment] of [...segments.entries()].reverse()) {
    const size = (await fsp.stat(segment.path)).size;
    for await (const line of linesBackward(segment.path, size)) {
      if (!line.complete) continue;
      const decoded = codec.decode(line.bytes);
      const record = decoded.record;
      if (record === undefined) continue;
      const bytes = line.offset + line.bytes.length + 1;
      if (bytes < size) discards.push({ segment, from: bytes, bytes: size - bytes, remove: false });
      const logId = await headerLogId(segment, codec);
      return { end: { segment, bytes, seq: record.seq, hash: decoded.hash, verified: decoded.ok, ...(logId !== undefined && { logId }) }, discards };
    }
    if (size > 0 || i > 0) discards.push({ segment, from: 0, bytes: size, remove: true });
  }
  return { end: undefined, discards };
}

/** Cuts and removes what the plan says; returns the SHA-256 of all discarded bytes, oldest file first. */
export async function applyTailRecovery(plan: TailPlan): Promise<string | undefined> {
  if (plan.discards.length === 0) return undefined;
  const digest = createHash('sha256');
  const ordered = [...plan.discards].sort((a, b) => a.segment.index - b.segment.index);
  for (const discard of ordered) {
    if (discard.bytes > 0) {
      for await (const chunk of createReadStream(discard.segment.path, { start: discard.from })) digest.update(chunk);
    }
  }
  for (const discard of ordered) {
    if (discard.remove) await fsp.rm(discard.segment.path, { force: true });
    else await fsp.truncate(discard.segment.path, discard.from);
  }
  return digest.digest('hex');
}

async function headerLogId(segment: Segment, codec: RecordCodec): Promise<string | undefined> {
  const bytes = await firstLine(segment.path);
  if (!bytes) return undefined;
  const decoded = codec.decode(bytes);
  return decoded.ok && decoded.record.kind === 'header' ? decoded.record.logId : undefined;
}
