/**
 * The checkpoint (`audit.head`): the last durable record's seq and hash, sealed with the log's
 * key, rewritten after every write+fsync batch and before that batch's appends are acknowledged.
 * It is what makes truncation of the newest records detectable: a log that ends before the
 * checkpoint's seq lost records that were acknowledged.
 *
 * Two fixed 512-byte slots, written alternately with one positioned write each, so a write torn by
 * a crash leaves the other slot, one batch older, intact; readers take the valid slot with the
 * higher version. The file is synced when it is created, at rotation and at close, not after every
 * batch: after a power loss it may lag the log (never lead it, since it is written after the log's
 * fsync), which hides nothing but a truncation of those last batches.
 *
 * What it cannot detect: a rollback of both the log and this file to an earlier copy (a replay),
 * or the deletion of the whole directory. Only a copy kept elsewhere (an export, the seq shown in
 * the UI) can show those.
 */
import { promises as fsp, writeSync } from 'node:fs';
import path from 'node:path';
import type { RecordCodec } from './recordCodec';
import { isObject } from './recordShape';
import { HEAD_FILE, isNotFound, syncDirectory } from './segments';

export const SLOT_BYTES = 512;

export interface Checkpoint {
  /** Counts the writes of this file: readers take the slot written last, even when its seq is lower (after a recovery). */
  readonly version: number;
  readonly logId: string;
  /** The segment holding the last record, and its durable length in bytes. */
  readonly file: string;
  readonly bytes: number;
  readonly seq: number;
  readonly hash: string;
  readonly time: string;
}

export type CheckpointRead =
  | { readonly kind: 'missing' }
  | { readonly kind: 'invalid'; readonly problem: string }
  | { readonly kind: 'valid'; readonly checkpoint: Checkpoint; readonly slot: number };

export async function readCheckpoint(dir: string, codec: RecordCodec): Promise<CheckpointRead> {
  let data: Buffer;
  try {
    data = await fsp.readFile(path.join(dir, HEAD_FILE));
  } catch (error) {
    if (isNotFound(error)) return { kind: 'missing' };
    throw error;
  }
  let best: { checkpoint: Checkpoint; slot: number } | undefined;
  const problems: string[] = [];
  for (let slot = 0; slot * SLOT_BYTES < data.length && slot < 2; slot++) {
    const bytes = trimSlot(data.subarray(slot * SLOT_BYTES, (slot + 1) * SLOT_BYTES));
    if (bytes.length === 0) continue;
    const opened = codec.openObject(bytes);
    if (!opened.ok) {
      problems.push(`slot ${slot + 1}: ${opened.problem}`);
      continue;
    }
    if (!isCheckpoint(opened.value)) {
      problems.push(`slot ${slot + 1}: not a checkpoint`);
      continue;
    }
    if (!best || opened.value.version > best.checkpoint.version) best = { checkpoint: opened.value, slot };
  }
  if (best) return { kind: 'valid', ...best };
  // Blank slots only: the file was created and the process stopped before its first write.
  if (problems.length === 0) return { kind: 'missing' };
  return { kind: 'invalid', problem: problems.join('; ') };
}

export class CheckpointWriter {
  private constructor(
    private readonly handle: fsp.FileHandle,
    private nextSlot: number,
    private version: number,
  ) {}

  /** Opens (creating if needed) the checkpoint; the first write goes to the slot not holding `current`. */
  static async open(dir: string, current: CheckpointRead): Promise<CheckpointWriter> {
    const file = path.join(dir, HEAD_FILE);
    let handle: fsp.FileHandle;
    try {
      handle = await fsp.open(file, 'r+');
    } catch (error) {
      if (!isNotFound(error)) throw error;
      handle = await fsp.open(file, 'w+');
      await syncDirectory(dir);
    }
    return current.kind === 'valid' ? new CheckpointWriter(handle, 1 - current.slot, current.checkpoint.version) : new CheckpointWriter(handle, 0, 0);
  }

  async write(checkpoint: Omit<Checkpoint, 'version'>, codec: RecordCodec, sync: boolean): Promise<void> {
    this.version += 1;
    const { line } = codec.sealObject({ kind: 'head', ...checkpoint, version: this.version });
    const slot = Buffer.alloc(SLOT_BYTES, 0x20);
    const written = slot.write(line, 0, 'utf8');
    if (written !== Buffer.byteLength(line) || written > SLOT_BYTES - 1) throw new Error('The audit checkpoint does not fit its slot.');
    slot[SLOT_BYTES - 1] = 0x0a;
    // One positioned write of 512 bytes: done directly, as a trip through the thread pool would
    // cost every batch more than the write itself.
    if (writeSync(this.handle.fd, slot, 0, SLOT_BYTES, this.nextSlot * SLOT_BYTES) !== SLOT_BYTES) {
      throw new Error('The audit checkpoint was written only in part.');
    }
    this.nextSlot = 1 - this.nextSlot;
    if (sync) await this.handle.datasync();
  }

  /** Syncs and closes. */
  async close(): Promise<void> {
    await this.handle.datasync();
    await this.handle.close();
  }
}

function trimSlot(bytes: Buffer): Buffer {
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0x20 || bytes[end - 1] === 0x0a || bytes[end - 1] === 0x00)) end -= 1;
  return bytes.subarray(0, end);
}

function isCheckpoint(v: unknown): v is Checkpoint {
  return (
    isObject(v) &&
    v.kind === 'head' &&
    typeof v.logId === 'string' &&
    typeof v.file === 'string' &&
    typeof v.time === 'string' &&
    typeof v.hash === 'string' &&
    /^[0-9a-f]{64}$/.test(v.hash) &&
    Number.isSafeInteger(v.version) &&
    Number.isSafeInteger(v.bytes) &&
    Number.isSafeInteger(v.seq)
  );
}
