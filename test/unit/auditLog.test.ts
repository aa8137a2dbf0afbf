import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { AuditLog } from '../../src/core/audit/auditLog';
import { readCheckpoint } from '../../src/core/audit/checkpoint';
import { RecordCodec } from '../../src/core/audit/recordCodec';
import type { LogRecord } from '../../src/core/audit/records';
import { DAY_MS } from '../../src/core/audit/retention';
import { verifyAuditLog } from '../../src/core/audit/verifier';
import { allRecords, appendCalls, hashOf, KEY, openLog, OTHER_KEY, parseLine, readLines, segmentNames, tempDir, writeLines, writeLog } from '../fixtures/audit/logFixtures';

const dirs: (() => void)[] = [];
after(() => dirs.forEach((cleanup) => cleanup()));
function fresh(name: string): string {
  const { dir, cleanup } = tempDir(`audit-${name}`);
  dirs.push(cleanup);
  return dir;
}

const decision = { effect: 'allow', rule: { id: 'r' } } as const;

function started(log: AuditLog, id: string, args: Record<string, unknown> = {}): Promise<LogRecord> {
  return log.append({ kind: 'started', id, caller: 'copilot', server: 'fs', tool: 'read_text', args, decision });
}

describe('appending', () => {
  it('commits appends made while a write is in flight together, in call order', async () => {
    const log = await openLog(fresh('group'));
    const batches: number[] = [];
    log.onDidAppend((records) => batches.push(records.length));
    const records = await Promise.all(Array.from({ length: 300 }, (_, i) => started(log, `c${i}`)));
    await log.close();
    const first = records[0]!.seq;
    assert.deepEqual(
      records.map((r) => r.seq),
      records.map((_, i) => first + i),
    );
    assert.deepEqual(batches, [1, 299], 'the first append is written alone; the 299 queued behind it go in one write');
  });

  it('resolves only once the record is in the file; the checkpoint names it once synced', async () => {
    const dir = fresh('durable');
    const log = await openLog(dir, { syncIntervalMs: 60_000 });
    const record = await started(log, 'x');
    const lines = readLines(path.join(dir, 'audit-000001.jsonl'));
    assert.equal(parseLine(lines.at(-1)!).seq, record.seq);
    const before = await readCheckpoint(dir, new RecordCodec(KEY));
    assert.ok(before.kind === 'valid');
    assert.ok(before.checkpoint.seq < record.seq, 'with "flush" the checkpoint waits for the sync');
    await log.sync();
    const after = await readCheckpoint(dir, new RecordCodec(KEY));
    assert.ok(after.kind === 'valid');
    assert.equal(after.checkpoint.seq, record.seq);
    assert.equal(after.checkpoint.hash, hashOf(lines.at(-1)!));
    await log.close();
  });

  it('rejects a record it cannot serialise, alone, and goes on', async () => {
    const log = await openLog(fresh('bad-record'));
    const good = started(log, 'a');
    const bad = started(log, 'b', { n: 10n });
    const next = started(log, 'c');
    await assert.rejects(bad, /BigInt/);
    const [a, c] = await Promise.all([good, next]);
    assert.equal(c.seq, a.seq + 1);
    await log.close();
  });

  it('masks configured secret values in the records written after they are set', async () => {
    const dir = fresh('secrets');
    const log = await openLog(dir, { secretValues: ['first-secret'] });
    await started(log, 'a', { q: 'first-secret second-secret' });
    log.setSecretValues(['second-secret']);
    await started(log, 'b', { q: 'first-secret second-secret' });
    await log.close();
    const args = allRecords(dir).flatMap((r) => (r.kind === 'started' ? [r.args] : []));
    assert.deepEqual(args, [{ q: '[redacted] second-secret' }, { q: 'first-secret [redacted]' }]);
  });

  it('stops at a failed write, rejecting that batch and every later append with the cause', async () => {
    const dir = fresh('write-failure');
    const log = await openLog(dir, { maxFileBytes: 1500 });
    await appendCalls(log, 2);
    // The file the next rotation would create is already there: creating it fails.
    const next = `audit-${String(segmentNames(dir).length + 1).padStart(6, '0')}.jsonl`;
    writeFileSync(path.join(dir, next), 'not a record\n');
    const failure = /Could not write the audit log in .*EEXIST.*No further calls can be recorded until the log is reopened/;
    await assert.rejects(appendCalls(log, 10, 2), failure);
    await assert.rejects(started(log, 'after-failure'), failure);
    await log.close();

    const reopened = await openLog(dir, { maxFileBytes: 1500 });
    assert.equal(reopened.openReport.discardedBytes, 'not a record\n'.length);
    await appendCalls(reopened, 3, 50);
    await reopened.close();
    assert.deepEqual((await verifyAuditLog(dir, KEY)).breaks, []);
  });

  it('with durability "sync", writes the same chain: every record in the file and named by the checkpoint when acknowledged', async () => {
    const dir = fresh('sync');
    const log = await openLog(dir, { durability: 'sync' });
    const records = await Promise.all(Array.from({ length: 20 }, (_, i) => started(log, `s${i}`)));
    const lines = readLines(path.join(dir, 'audit-000001.jsonl'));
    assert.equal(parseLine(lines.at(-1)!).seq, records.at(-1)!.seq);
    const checkpoint = await readCheckpoint(dir, new RecordCodec(KEY));
    assert.ok(checkpoint.kind === 'valid');
    assert.equal(checkpoint.checkpoint.hash, hashOf(lines.at(-1)!));
    await log.close();
    assert.deepEqual((await verifyAuditLog(dir, KEY)).breaks, []);
  });

  it('refuses a durability or sync interval it does not know, and creates nothing', async () => {
    const dir = path.join(fresh('bad-options'), 'log');
    await assert.rejects(openLog(dir, { durability: 'fsync' as never }), /durability must be "flush" or "sync", not "fsync"/);
    await assert.rejects(openLog(dir, { syncIntervalMs: 0 }), /sync interval must be between 1 and 60000 ms, not 0/);
    assert.equal(existsSync(dir), false);
  });

  it('refuses appends after close, saying so', async () => {
    const log = await openLog(fresh('closed'));
    await log.close();
    await assert.rejects(started(log, 'late'), /The audit log is closed; the record was not written/);
  });
});

describe('rotation', () => {
  it('starts a new file at the size limit, chained to the last record of the one before', async () => {
    const dir = fresh('rotation');
    await writeLog(dir, 12, { maxFileBytes: 1500 });
    const names = segmentNames(dir);
    assert.ok(names.length >= 4, `expected several files, got ${names.join(', ')}`);
    for (let i = 1; i < names.length; i++) {
      const before = readLines(path.join(dir, names[i - 1]!));
      const header = parseLine(readLines(path.join(dir, names[i]!))[0]!);
      assert.ok(header.kind === 'header');
      assert.equal(header.file, names[i]);
      assert.equal(header.previousFile, names[i - 1]);
      assert.equal(header.prev, hashOf(before.at(-1)!));
      assert.equal(header.seq, parseLine(before.at(-1)!).seq + 1);
    }
    const report = await verifyAuditLog(dir, KEY);
    assert.equal(report.summary, `The audit log verifies: ${report.records} records in ${names.length} files, chain intact.`);
  });
});

describe('retention', () => {
  it('deletes the oldest files at open, never the current one, and the verifier anchors on the retention record', async () => {
    const dir = fresh('retention');
    await writeLog(dir, 12, { maxFileBytes: 1500 });
    const names = segmentNames(dir);
    const old = (Date.now() - 10 * DAY_MS) / 1000;
    for (const name of names) utimesSync(path.join(dir, name), old, old);
    const firstKept = parseLine(readLines(path.join(dir, names.at(-1)!))[0]!).seq;

    const log = await openLog(dir, { retentionDays: 7 });
    await log.close();

    assert.deepEqual(segmentNames(dir), [names.at(-1)]);
    const retention = allRecords(dir).find((r) => r.kind === 'retention');
    assert.ok(retention?.kind === 'retention');
    assert.deepEqual(
      retention.removed.map((r) => r.file),
      names.slice(0, -1),
    );
    const report = await verifyAuditLog(dir, KEY);
    assert.deepEqual(report.breaks, []);
    assert.deepEqual(report.anchor, { kind: 'retention', fromSeq: firstKept, recordedAtSeq: retention.seq });
    assert.match(report.summary, new RegExp(`chain verified from seq ${firstKept} \\(older files removed by retention\\)`));
  });

  it('deletes files that aged out when the log rotates', async () => {
    const dir = fresh('retention-rotation');
    const later = Date.now() + 30 * DAY_MS;
    const log = await openLog(dir, { retentionDays: 7, maxFileBytes: 1500, now: () => later });
    await appendCalls(log, 12);
    await log.close();
    const names = segmentNames(dir);
    assert.ok(names.length <= 2, `old files are gone: ${names.join(', ')}`);
    assert.notEqual(names[0], 'audit-000001.jsonl');
    const report = await verifyAuditLog(dir, KEY);
    assert.deepEqual(report.breaks, []);
    assert.equal(report.anchor.kind, 'retention');
  });
});

describe('opening a log that was not closed cleanly', () => {
  it('cuts off a torn last line, says how many bytes, and continues the chain', async () => {
    const dir = fresh('torn');
    await writeLog(dir, 3);
    const torn = '{"seq":9,"prev":"0123456789abcdef","ti';
    const file = path.join(dir, 'audit-000001.jsonl');
    const lastBefore = parseLine(readLines(file).at(-1)!);
    appendFileSync(file, torn);

    const log = await openLog(dir);
    assert.equal(log.openReport.discardedBytes, torn.length);
    assert.equal(log.openReport.lastSeq, lastBefore.seq);
    assert.match(log.openReport.message ?? '', new RegExp(`${torn.length} bytes of an interrupted write were cut off after seq ${lastBefore.seq}`));
    await started(log, 'after');
    await log.close();

    assert.equal(readFileSync(file, 'utf8').includes(torn), false, 'the torn bytes are gone');
    const recovered = allRecords(dir).find((r) => r.kind === 'recovered');
    assert.ok(recovered?.kind === 'recovered');
    assert.equal(recovered.seq, lastBefore.seq + 1);
    assert.equal(recovered.discardedBytes, torn.length);
    assert.equal(recovered.discardedSha256, createHash('sha256').update(torn).digest('hex'));
    const report = await verifyAuditLog(dir, KEY);
    assert.deepEqual(report.breaks, []);
    assert.match(report.notices.join('\n'), new RegExp(`${torn.length} bytes of an interrupted write were discarded`));
  });

  it('cuts off complete lines of garbage after the last record too', async () => {
    const dir = fresh('garbage');
    await writeLog(dir, 2);
    appendFileSync(path.join(dir, 'audit-000001.jsonl'), '\0\0\0\0\n{"half":\n');
    const log = await openLog(dir);
    assert.equal(log.openReport.discardedBytes, 14);
    await log.close();
    assert.deepEqual((await verifyAuditLog(dir, KEY)).breaks, []);
  });

  it('finds records removed from the end while it was closed, and the verifier keeps reporting it', async () => {
    const dir = fresh('cut');
    await writeLog(dir, 4);
    const file = path.join(dir, 'audit-000001.jsonl');
    const lines = readLines(file);
    const lastSeq = parseLine(lines.at(-1)!).seq;
    writeLines(file, lines.slice(0, -2));

    const log = await openLog(dir);
    assert.equal(log.openReport.checkpoint, 'ahead');
    assert.deepEqual(log.openReport.missing, { fromSeq: lastSeq - 1, toSeq: lastSeq });
    await log.close();

    const report = await verifyAuditLog(dir, KEY);
    assert.equal(report.breaks.length, 1);
    assert.deepEqual([report.breaks[0]!.kind, report.breaks[0]!.seq, report.breaks[0]!.toSeq, report.breaks[0]!.line], ['records-lost', lastSeq - 1, lastSeq, lines.length - 1]);
  });

  it('drops a new file that a crash left empty, and rotates again from the full one', async () => {
    const dir = fresh('empty-next');
    await writeLog(dir, 6, { maxFileBytes: 1500 });
    const names = segmentNames(dir);
    const next = `audit-${String(names.length + 1).padStart(6, '0')}.jsonl`;
    writeFileSync(path.join(dir, next), '');
    const log = await openLog(dir, { maxFileBytes: 1500 });
    await appendCalls(log, 4, 100);
    await log.close();
    assert.ok(existsSync(path.join(dir, next)));
    assert.deepEqual((await verifyAuditLog(dir, KEY)).breaks, []);
  });

  it('takes a checkpoint file that was created but never written (a crash in the first open) for a new log', async () => {
    const dir = fresh('blank-head');
    writeFileSync(path.join(dir, 'audit.head'), '');
    const log = await openLog(dir);
    assert.equal(log.openReport.created, true);
    assert.equal(log.openReport.checkpoint, 'ok');
    await log.close();
    assert.deepEqual((await verifyAuditLog(dir, KEY)).breaks, []);
  });

  it('keeps a last record that does not verify with the key, and says the key changed', async () => {
    const dir = fresh('other-key');
    await writeLog(dir, 1);
    const log = await openLog(dir, { key: OTHER_KEY });
    assert.equal(log.openReport.lastRecordVerified, false);
    assert.equal(log.openReport.checkpoint, 'invalid');
    assert.match(log.openReport.message ?? '', /does not verify with this key: the key changed, or the record was altered/);
    await log.close();
    const kinds = allRecords(dir).map((r) => r.kind);
    assert.deepEqual(kinds.slice(-2), ['recovered', 'opened']);
  });
});

describe('the writer lock', () => {
  it('lets one writer at a time open a log, and explains who holds it', async () => {
    const dir = fresh('lock');
    const first = await openLog(dir);
    await assert.rejects(openLog(dir), /is in use: this process already has it open\. Only one Warden window may write/);
    await first.close();
    const second = await openLog(dir);
    await second.close();
  });

  it('takes over the lock of a process that is gone', async () => {
    const dir = fresh('stale-lock');
    await writeLog(dir, 1);
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    assert.ok(gone);
    writeFileSync(path.join(dir, 'audit.lock'), `${gone}\n`);
    const log = await openLog(dir);
    await log.close();
    assert.equal(existsSync(path.join(dir, 'audit.lock')), false);
  });
});
