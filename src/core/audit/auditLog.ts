/**
 * Warden's audit log: every tool call, signed and chained, in a directory the host chooses. The
 * gate calls `started` before a call runs, `finished` after, and `refused` for a call that never
 * ran; each resolves once its record is written as far as the log's durability asks (see
 * `AuditDurability`). Views read the newest calls, `verify` proves the chain, `exportTo` copies it
 * out. The format is described in records.ts.
 */
import { promises as fsp } from 'node:fs';
import { Emitter, type Event } from 'vscode-jsonrpc/node';
import { callBody, finishedBody, refusedBody, startedBody, type CallEntry, type FinishedEntry, type RefusedEntry, type StartedEntry } from './callEntries';
import { CheckpointWriter, type Checkpoint } from './checkpoint';
import { ChainWriter, DEFAULT_SYNC_INTERVAL_MS, type AuditDurability } from './chainWriter';

export type { AuditDurability } from './chainWriter';
import { exportAuditLog, type ExportFormat, type ExportResult } from './exporter';
import { findCall, readRecentCalls, readRecentRecords, type AuditCall, type CallQuery, type ReadLimit } from './history';
import { openChain, type OpenReport } from './logOpening';
import { RecordCodec } from './recordCodec';
import type { LogRecord, RecordBody, RecordKind } from './records';
import { Redactor } from './redaction';
import { applyRetention, planRetention } from './retention';
import { listSegments, syncDirectory } from './segments';
import { verifyAuditLog } from './verifier';
import type { VerifyReport } from './verifyReport';
import { WriterLock } from './writerLock';

export const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;

export interface AuditLogOptions {
  /** The log's directory, one per workspace; created if missing. */
  readonly dir: string;
  /** The installation's signing key, at least 32 bytes. Whoever lacks it cannot forge records. */
  readonly key: Buffer;
  /** A file is closed once it reaches this size. Default 10 MiB. */
  readonly maxFileBytes?: number;
  /** Files last written more than this many days ago are deleted at open and rotation. Absent: kept forever. */
  readonly retentionDays?: number;
  /** What an acknowledged record survives; see `AuditDurability`. Default `flush`. */
  readonly durability?: AuditDurability;
  /** With `flush`: the longest a record waits for its fdatasync, in ms. Default 100. */
  readonly syncIntervalMs?: number;
  /** Strings to mask wherever they appear, such as the values of servers' secret environment variables. */
  readonly secretValues?: readonly string[];
  readonly now?: () => number;
}

export class AuditLog {
  private redactor: Redactor;
  private closing: Promise<void> | undefined;
  private retention: Promise<void> = Promise.resolve();
  private verifying = 0;
  private readonly problemEmitter = new Emitter<string>();
  private readonly problemList: string[] = [];
  private readonly rotation: { dispose(): void };

  /** Fires after each durable batch with its records, oldest first. */
  readonly onDidAppend: Event<readonly LogRecord[]>;
  /** Fires with a sentence when something in the background failed (retention); `problems` keeps the last few. */
  readonly onDidReportProblem: Event<string> = this.problemEmitter.event;

  private constructor(
    private readonly options: AuditLogOptions,
    private readonly writer: ChainWriter,
    private readonly checkpoint: CheckpointWriter,
    private readonly lock: WriterLock,
    private readonly codec: RecordCodec,
    private readonly logId: string,
    /** What recovery found when the log was opened. */
    readonly openReport: OpenReport,
  ) {
    this.redactor = new Redactor(options.secretValues ?? []);
    this.onDidAppend = writer.onDidCommit;
    this.rotation = writer.onDidRotate(() => this.scheduleRetention());
  }

  /** Opens (or creates) the log: takes the writer's lock, recovers a torn tail, applies retention. */
  static async open(options: AuditLogOptions): Promise<AuditLog> {
    const codec = new RecordCodec(options.key);
    if (options.maxFileBytes !== undefined && !(Number.isSafeInteger(options.maxFileBytes) && options.maxFileBytes > 0)) {
      throw new Error(`The audit log's file size limit must be a positive number of bytes, not ${options.maxFileBytes}.`);
    }
    if (options.durability !== undefined && options.durability !== 'flush' && options.durability !== 'sync') {
      throw new Error(`The audit log's durability must be "flush" or "sync", not ${JSON.stringify(options.durability)}.`);
    }
    if (options.syncIntervalMs !== undefined && !(Number.isFinite(options.syncIntervalMs) && options.syncIntervalMs > 0 && options.syncIntervalMs <= 60_000)) {
      throw new Error(`The audit log's sync interval must be between 1 and 60000 ms, not ${options.syncIntervalMs}.`);
    }
    if (options.retentionDays !== undefined && !(Number.isFinite(options.retentionDays) && options.retentionDays > 0)) {
      throw new Error(`The audit log's retention must be a positive number of days, not ${options.retentionDays}; leave it out to keep every file.`);
    }
    const now = options.now ?? Date.now;
    await fsp.mkdir(options.dir, { recursive: true });
    const lock = await WriterLock.acquire(options.dir);
    let checkpoint: CheckpointWriter | undefined;
    let writer: ChainWriter | undefined;
    try {
      const opening = await openChain(options.dir, codec);
      checkpoint = await CheckpointWriter.open(options.dir, opening.checkpoint);
      const { segment, bytes, seq, hash } = opening.start;
      if (opening.fresh) await checkpoint.write({ logId: opening.logId, file: segment.name, bytes, seq, hash, time: new Date(now()).toISOString() }, codec, true);
      writer = new ChainWriter({
        dir: options.dir,
        logId: opening.logId,
        codec,
        checkpoint,
        maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
        durability: options.durability ?? 'flush',
        syncIntervalMs: options.syncIntervalMs ?? DEFAULT_SYNC_INTERVAL_MS,
        now,
        start: opening.start,
      });
      const log = new AuditLog(options, writer, checkpoint, lock, codec, opening.logId, opening.report);
      if (opening.recovered) await writer.append(opening.recovered);
      await writer.append({ kind: 'opened', pid: process.pid });
      log.scheduleRetention();
      await log.retention;
      return log;
    } catch (error) {
      await writer?.close();
      await checkpoint?.close();
      await lock.release();
      throw error;
    }
  }

  /** The last few background failures, including any while the log was opened. */
  get problems(): readonly string[] {
    return this.problemList;
  }

  get dir(): string {
    return this.options.dir;
  }

  /** The end of what is durable now. */
  get durableEnd(): Omit<Checkpoint, 'version'> {
    const end = this.writer.durable;
    return { logId: this.logId, file: end.segment.name, bytes: end.bytes, seq: end.seq, hash: end.hash, time: new Date().toISOString() };
  }

  setSecretValues(values: readonly string[]): void {
    this.redactor = new Redactor(values);
  }

  /** Appends one record; resolves with it, sealed, once it is written. */
  append(entry: CallEntry): Promise<LogRecord> {
    return this.write(() => callBody(entry, this.redactor), entry.time);
  }

  /** Before a call runs. Resolves once the record is written; the call should not run before. */
  async started(entry: StartedEntry): Promise<void> {
    await this.write(() => startedBody(entry, this.redactor), entry.time);
  }

  /** After a call ended, however it ended. */
  async finished(entry: FinishedEntry): Promise<void> {
    await this.write(() => finishedBody(entry, this.redactor), entry.time);
  }

  /** A call that never ran: denied, rate-limited, unknown tool, invalid arguments… */
  async refused(entry: RefusedEntry): Promise<void> {
    await this.write(() => refusedBody(entry, this.redactor), entry.time);
  }

  async verify(onProgress?: (done: number, total: number) => void): Promise<VerifyReport> {
    this.verifying += 1;
    try {
      await this.retention;
      return await verifyAuditLog(this.dir, this.options.key, { end: this.durableEnd, ...(onProgress && { onProgress }) });
    } finally {
      this.verifying -= 1;
    }
  }

  recentCalls(query: CallQuery): Promise<AuditCall[]> {
    return readRecentCalls(this.dir, query, this.readLimit());
  }

  recentRecords(query: { limit: number; kinds?: readonly RecordKind[] }): Promise<LogRecord[]> {
    return readRecentRecords(this.dir, query, this.readLimit());
  }

  findCall(id: string): Promise<AuditCall | undefined> {
    return findCall(this.dir, id, this.readLimit());
  }

  exportTo(options: { format: ExportFormat; path: string }): Promise<ExportResult> {
    return exportAuditLog(this.dir, { ...options, end: this.readLimit() });
  }

  /** Puts everything written so far on disk and names it in the checkpoint, without waiting for the interval. */
  sync(): Promise<void> {
    return this.writer.syncNow();
  }

  /** Writes what is queued, then syncs and releases the log. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.rotation.dispose();
      await this.retention;
      await this.writer.close();
      await this.checkpoint.close();
      await this.lock.release();
      this.problemEmitter.dispose();
    })();
    return this.closing;
  }

  private write(build: () => RecordBody, time: string | undefined): Promise<LogRecord> {
    let body: RecordBody;
    try {
      body = build();
    } catch (error) {
      return Promise.reject(error);
    }
    return this.writer.append(body, time);
  }

  private readLimit(): ReadLimit {
    const end = this.writer.durable;
    return { file: end.segment.name, bytes: end.bytes };
  }

  private scheduleRetention(): void {
    const days = this.options.retentionDays;
    if (days === undefined || this.verifying > 0 || this.closing) return;
    this.retention = this.retention.then(() =>
      this.removeOldFiles(days).catch((error: unknown) => {
        const problem = `Audit log retention failed in ${this.dir}: ${error instanceof Error ? error.message : String(error)}. Old files are kept; they will be tried again at the next rotation.`;
        this.problemList.push(problem);
        if (this.problemList.length > 10) this.problemList.shift();
        this.problemEmitter.fire(problem);
      }),
    );
  }

  private async removeOldFiles(days: number): Promise<void> {
    const now = (this.options.now ?? Date.now)();
    const segments = await listSegments(this.dir);
    const plan = await planRetention(segments, this.writer.durable.segment.index, days, now, this.codec);
    if (plan.removed.length === 0) return;
    await this.writer.append({ kind: 'retention', retentionDays: days, removed: plan.removed });
    await applyRetention(plan);
    await syncDirectory(this.dir);
  }
}
