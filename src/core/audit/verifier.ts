/**
 * `verifyAuditLog(dir, key)`: reads every file of a log once, front to back, and reports each
 * break in the chain with its file, line and seq, the calls left open, and what anchors the chain.
 * The checkpoint is read before the files, so a writer appending meanwhile cannot make the log
 * look truncated.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { readCheckpoint, type Checkpoint, type CheckpointRead } from './checkpoint';
import { ChainChecker } from './chainChecker';
import { linesForward } from './lineReaders';
import { RecordCodec } from './recordCodec';
import { listSegments } from './segments';
import { summarise, type VerifiedFile, type VerifyReport } from './verifyReport';

export interface VerifyOptions {
  /** Called now and then with bytes read so far and the total. */
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * For a log being written: the writer's durable end. Reading stops there (a batch being written
   * is not read half-done) and it stands in for the checkpoint file.
   */
  readonly end?: Omit<Checkpoint, 'version'>;
}

const PROGRESS_EVERY = 4 * 1024 * 1024;

export async function verifyAuditLog(dir: string, key: Buffer, options: VerifyOptions = {}): Promise<VerifyReport> {
  const codec = new RecordCodec(key);
  const checkpoint: CheckpointRead = options.end ? { kind: 'valid', slot: 0, checkpoint: { ...options.end, version: 0 } } : await readCheckpoint(dir, codec);
  let segments = await listSegments(dir);
  const end = options.end;
  if (end) {
    const last = segments.findIndex((s) => s.name === end.file);
    segments = last >= 0 ? segments.slice(0, last + 1) : segments;
  }
  const sizes = await Promise.all(segments.map(async (s) => (end && s.name === end.file ? end.bytes : (await fsp.stat(s.path)).size)));
  const total = sizes.reduce((a, b) => a + b, 0);
  const checker = new ChainChecker(checkpoint, (file) => path.join(dir, file));
  const files: VerifiedFile[] = [];
  let done = 0;
  let reported = 0;
  for (const [i, segment] of segments.entries()) {
    checker.beginFile(segment.name, segments[i - 1]?.name);
    let lines = 0;
    for await (const line of linesForward(segment.path, sizes[i])) {
      lines = line.line;
      const loc = { file: segment.name, line: line.line };
      if (line.complete) checker.line(loc, codec.decode(line.bytes));
      else checker.tornTail(loc, line.bytes.length, i === segments.length - 1);
      done += line.bytes.length + 1;
      if (options.onProgress && done - reported >= PROGRESS_EVERY) {
        reported = done;
        options.onProgress(Math.min(done, total), total);
      }
    }
    files.push({ name: segment.name, path: segment.path, bytes: sizes[i] ?? 0, lines });
  }
  options.onProgress?.(total, total);
  const outcome = checker.finish();
  const order = new Map(segments.map((s, i) => [s.name, i]));
  const breaks = [...checker.breaks].sort((a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0) || a.line - b.line);
  const report = {
    ok: breaks.length === 0,
    dir,
    files,
    records: checker.records,
    ...(outcome.firstSeq !== undefined && { firstSeq: outcome.firstSeq }),
    ...(outcome.lastSeq !== undefined && { lastSeq: outcome.lastSeq }),
    anchor: outcome.anchor,
    breaks,
    notices: checker.notices,
    openCalls: outcome.openCalls,
  };
  return { ...report, summary: summarise(report) };
}
