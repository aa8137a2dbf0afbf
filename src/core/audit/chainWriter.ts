/**
 * The write path: group commit. One batch is written at a time; records appended meanwhile queue
 * and go out together in the next one. Each record is sealed (seq, prev, mac) when its batch is
 * taken, in the order appends were called; a promise resolves only after its batch is written, so
 * nothing acknowledged can be lost by a crash.
 *
 * How far "written" goes is the log's durability (see `AuditDurability`):
 * - `sync`: each batch is fdatasync-ed, then the checkpoint is rewritten to name it, then the
 *   batch is acknowledged.
 * - `flush`: each batch is acknowledged once the operating system has it. Within `syncIntervalMs`
 *   the file is fdatasync-ed and the checkpoint rewritten to name everything synced, so the
 *   checkpoint never names records that are not on disk (a power loss does not look like
 *   tampering), and a truncation of the log is detectable for all but the last interval's records.
 *
 * A file is closed once it has reached `maxFileBytes` (it may exceed it by one record); the next
 * starts with a header record chained to the last record of the previous one.
 *
 * A failed write or sync leaves the file in an unknown state, so the writer stops: that batch and
 * every later append are rejected with the cause, and the next open recovers the file.
 */
import { promises as fsp, writeSync } from 'node:fs';
import path from 'node:path';
import { Emitter, type Event } from 'vscode-jsonrpc/node';
import type { CheckpointWriter } from './checkpoint';
import { bodyMembers, type RecordCodec, type SealedLine } from './recordCodec';
import type { LogRecord, RecordBody } from './records';
import { segmentAt, syncDirectory, type Segment } from './segments';

export interface ChainPosition {
  readonly segment: Segment;
  /** Durable length of the segment. */
  readonly bytes: number;
  readonly seq: number;
  readonly hash: string;
}

/**
 * What an acknowledged record survives.
 * - `flush`: a crash of the process (or of VS Code) loses nothing: the record is in the operating
 *   system's hands before the call goes on. A power failure or kernel crash may lose the records of
 *   the last `syncIntervalMs`. This is what audit daemons do by default (auditd's incremental_async).
 * - `sync`: nothing acknowledged is lost even on power failure; every call waits for the disk.
 */
export type AuditDurability = 'flush' | 'sync';

export const DEFAULT_SYNC_INTERVAL_MS = 100;

export interface ChainWriterOptions {
  readonly dir: string;
  readonly logId: string;
  readonly codec: RecordCodec;
  readonly checkpoint: CheckpointWriter;
  readonly maxFileBytes: number;
  readonly now: () => number;
  readonly durability: AuditDurability;
  /** `flush` only: the longest a written record waits for its fdatasync. */
  readonly syncIntervalMs: number;
  /** Where the chain ends now; `needsHeader` when the segment has no record yet. */
  readonly start: ChainPosition & { readonly needsHeader: boolean };
}

interface Pending {
  readonly body: RecordBody;
  /** The body's members as written, computed when appended so a bad body fails its own append only. */
  readonly members: string;
  readonly time: string;
  readonly resolve: (record: LogRecord) => void;
  readonly reject: (error: Error) => void;
}

interface Group {
  readonly segment: Segment;
  /** existing: append to the open file; create: the first file of a log; exclusive: a rotation's new file. */
  readonly opening: 'existing' | 'create' | 'exclusive';
  readonly lines: string[];
  bytes: number;
}

export class ChainWriter {
  private queue: Pending[] = [];
  private draining: Promise<void> | undefined;
  private failure: Error | undefined;
  private closed = false;
  private handle: fsp.FileHandle | undefined;
  private position: ChainPosition;
  private needsHeader: boolean;
  private clock = { ms: Number.NaN, iso: '' };
  /** `flush` only: bytes written to the open file since its last fdatasync, and the timer that will sync them. */
  private unsynced = false;
  /** `flush` only: the checkpoint names an older end than `position`. */
  private checkpointBehind = false;
  private syncDue = false;
  private syncTimer: NodeJS.Timeout | undefined;
  private readonly commitEmitter = new Emitter<readonly LogRecord[]>();
  private readonly rotateEmitter = new Emitter<Segment>();

  /** Fires after each durable batch with its records, in order. */
  readonly onDidCommit: Event<readonly LogRecord[]> = this.commitEmitter.event;
  /** Fires when a new file was started. */
  readonly onDidRotate: Event<Segment> = this.rotateEmitter.event;

  constructor(private readonly options: ChainWriterOptions) {
    this.position = options.start;
    this.needsHeader = options.start.needsHeader;
  }

  /** The end of what is durable: readers stop there, so they never see a batch half written. */
  get durable(): ChainPosition {
    return this.position;
  }

  append(body: RecordBody, time?: string): Promise<LogRecord> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new Error('The audit log is closed; the record was not written. Reopen the log to record more.'));
    let members: string;
    try {
      members = bodyMembers(body);
    } catch (error) {
      return Promise.reject(new Error(`The audit record could not be serialised, so it was not written: ${error instanceof Error ? error.message : String(error)}`));
    }
    return new Promise<LogRecord>((resolve, reject) => {
      this.queue.push({ body, members, time: time ?? this.isoNow(), resolve, reject });
      this.draining ??= this.drain();
    });
  }

  /**
   * Syncs what was written and rewrites the checkpoint now, rather than within the interval:
   * resolves once both are done (at once with `sync`, where every batch is both already).
   */
  async syncNow(): Promise<void> {
    if (this.failure) throw this.failure;
    this.syncDue = true;
    this.draining ??= this.drain();
    await this.draining;
    if (this.failure) throw this.failure;
  }

  /** Waits for everything queued, then syncs and closes. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.syncTimer);
    if (!this.failure) this.syncDue = true;
    this.draining ??= this.drain();
    await this.draining;
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close();
    this.commitEmitter.dispose();
    this.rotateEmitter.dispose();
  }

  private async drain(): Promise<void> {
    while ((this.queue.length > 0 || this.syncDue) && !this.failure) {
      if (this.queue.length === 0) {
        await this.syncInBackground();
        continue;
      }
      const batch = this.queue;
      this.queue = [];
      await this.commit(batch);
    }
    for (const pending of this.queue.splice(0)) pending.reject(this.failure ?? new Error('The audit log stopped.'));
    this.draining = undefined;
  }

  private async commit(batch: readonly Pending[]): Promise<void> {
    const acknowledged: { pending: Pending; record: LogRecord }[] = [];
    const records: LogRecord[] = [];
    const groups: Group[] = [];
    let { segment, bytes, seq, hash } = this.position;
    let needsHeader = this.needsHeader;
    const add = (line: SealedLine): LogRecord => {
      const size = Buffer.byteLength(line.line) + 1;
      let group = groups.at(-1);
      if (!group || group.segment !== segment) {
        // A segment with no bytes yet is a new file; one made by rotation must not exist already.
        const opening = bytes > 0 ? 'existing' : segment.index !== this.position.segment.index ? 'exclusive' : 'create';
        group = { segment, opening, lines: [], bytes: 0 };
        groups.push(group);
      }
      group.lines.push(line.line);
      group.bytes += size;
      bytes += size;
      seq = line.record.seq;
      hash = line.hash;
      records.push(line.record);
      return line.record;
    };
    for (const pending of batch) {
      if (bytes >= this.options.maxFileBytes && !needsHeader) {
        const previous = segment;
        segment = segmentAt(this.options.dir, segment.index + 1);
        bytes = 0;
        add(this.sealHeader(seq + 1, hash, pending.time, segment, previous));
      } else if (needsHeader) {
        add(this.sealHeader(seq + 1, hash, pending.time, segment, undefined));
      }
      needsHeader = false;
      const line = this.options.codec.seal(seq + 1, hash, pending.time, pending.body, pending.members);
      acknowledged.push({ pending, record: add(line) });
    }
    if (groups.length === 0) return;
    const rotated = groups.some((g) => g.opening !== 'existing');
    try {
      for (const group of groups) await this.writeGroup(group);
      this.position = { segment, bytes, seq, hash };
      this.needsHeader = false;
      // A new file is named by the checkpoint at once: a reader must never look for the chain's
      // end in a file that no longer is the last.
      if (this.options.durability === 'sync' || rotated) await this.writeCheckpoint(rotated);
      else this.checkpointBehind = true;
    } catch (error) {
      this.failure = new Error(
        `Could not write the audit log in ${this.options.dir}: ${error instanceof Error ? error.message : String(error)}. ` +
          'No further calls can be recorded until the log is reopened (reload the window); check the disk.',
      );
      for (const { pending } of acknowledged) pending.reject(this.failure);
      return;
    }
    if (this.options.durability === 'flush') this.scheduleSync();
    for (const { pending, record } of acknowledged) pending.resolve(record);
    this.commitEmitter.fire(records);
    for (const group of groups) if (group.opening === 'exclusive') this.rotateEmitter.fire(group.segment);
  }

  private scheduleSync(): void {
    this.unsynced = true;
    if (this.syncTimer !== undefined || this.closed) return;
    this.syncTimer = setTimeout(() => {
      this.syncTimer = undefined;
      this.syncDue = true;
      this.draining ??= this.drain();
    }, this.options.syncIntervalMs);
    // The data is the operating system's already; a timer must not keep a finished process alive.
    this.syncTimer.unref();
  }

  /** Runs between batches, never during one, so the handle it syncs is the one written to. */
  private async syncInBackground(): Promise<void> {
    this.syncDue = false;
    try {
      if (this.unsynced && this.handle) {
        this.unsynced = false;
        await this.handle.datasync();
      }
      if (this.checkpointBehind) await this.writeCheckpoint(false);
    } catch (error) {
      this.failure = new Error(
        `Could not sync the audit log in ${this.options.dir} to disk: ${error instanceof Error ? error.message : String(error)}. ` +
          'No further calls can be recorded until the log is reopened (reload the window); check the disk.',
      );
    }
  }

  private async writeCheckpoint(sync: boolean): Promise<void> {
    const { segment, bytes, seq, hash } = this.position;
    this.checkpointBehind = false;
    await this.options.checkpoint.write({ logId: this.options.logId, file: segment.name, bytes, seq, hash, time: this.isoNow() }, this.options.codec, sync);
  }

  /** The log's clock as ISO text, formatted once per millisecond. */
  private isoNow(): string {
    const ms = this.options.now();
    if (ms !== this.clock.ms) this.clock = { ms, iso: new Date(ms).toISOString() };
    return this.clock.iso;
  }

  private sealHeader(seq: number, prev: string, time: string, segment: Segment, previous: Segment | undefined): SealedLine {
    const body: RecordBody = { kind: 'header', logId: this.options.logId, file: segment.name, ...(previous && { previousFile: previous.name }) };
    return this.options.codec.seal(seq, prev, time, body, bodyMembers(body));
  }

  private async writeGroup(group: Group): Promise<void> {
    let handle = this.handle;
    if (group.opening !== 'existing' || !handle) {
      handle = await fsp.open(group.segment.path, group.opening === 'exclusive' ? 'ax' : 'a');
      if (group.opening !== 'existing') await syncDirectory(path.dirname(group.segment.path));
      const old = this.handle;
      this.handle = handle;
      // A file is left only once it is on disk, whatever the durability.
      if (old && this.unsynced) await old.datasync();
      this.unsynced = false;
      await old?.close();
    }
    const data = Buffer.from(`${group.lines.join('\n')}\n`, 'utf8');
    if (this.options.durability === 'sync') {
      await handle.appendFile(data);
      await handle.datasync();
      return;
    }
    // A few hundred bytes into the page cache: a direct write costs microseconds, where a trip
    // through libuv's thread pool costs tens of them and lets the call's answer wait for it.
    writeAll(handle.fd, data);
  }
}

/** Writes every byte at the file's end (it is opened for appending); a short write goes on from where it stopped. */
function writeAll(fd: number, data: Buffer): void {
  let offset = 0;
  while (offset < data.length) offset += writeSync(fd, data, offset, data.length - offset);
}
