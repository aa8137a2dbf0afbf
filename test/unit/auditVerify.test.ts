import assert from 'node:assert/strict';
import { appendFileSync, cpSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { verifyAuditLog } from '../../src/core/audit/verifier';
import type { ChainBreak } from '../../src/core/audit/verifyReport';
import { hashOf, KEY, openLog, OTHER_KEY, parseLine, readLines, reseal, segmentNames, tempDir, writeLines, writeLog } from '../fixtures/audit/logFixtures';

const { dir: root, cleanup } = tempDir('audit-verify');
const base = path.join(root, 'base');
let copies = 0;

/** A fresh copy of the base log to tamper with. */
function copy(): { dir: string; file: (n: number) => string; names: string[] } {
  const dir = path.join(root, `copy-${++copies}`);
  cpSync(base, dir, { recursive: true });
  const names = segmentNames(dir);
  return { dir, names, file: (n) => path.join(dir, names[n]!) };
}

function only(breaks: readonly ChainBreak[]): ChainBreak {
  assert.equal(breaks.length, 1, `expected one break, got ${JSON.stringify(breaks, null, 2)}`);
  return breaks[0]!;
}

const seqAt = (file: string, line: number): number => parseLine(readLines(file)[line - 1]!).seq;

before(async () => {
  // About seven records per file: 23 calls make seven or eight files.
  await writeLog(base, 23, { maxFileBytes: 2500 });
  assert.ok(segmentNames(base).length >= 5, 'the base log spans several files');
});
after(cleanup);

describe('verifying an intact log', () => {
  it('says the chain is intact, with its record and file counts', async () => {
    const report = await verifyAuditLog(base, KEY);
    const lines = segmentNames(base).reduce((n, name) => n + readLines(path.join(base, name)).length, 0);
    assert.deepEqual(report.breaks, []);
    assert.equal(report.ok, true);
    assert.equal(report.records, lines);
    assert.deepEqual(report.anchor, { kind: 'genesis' });
    assert.equal(report.summary, `The audit log verifies: ${lines} records in ${segmentNames(base).length} files, chain intact.`);
    assert.deepEqual(report.openCalls, []);
  });

  it('fails every record under another key', async () => {
    const report = await verifyAuditLog(base, OTHER_KEY);
    assert.equal(report.ok, false);
    assert.equal(report.records, 0);
    assert.ok(report.breaks.every((b) => b.kind === 'bad-mac' || b.kind === 'checkpoint'));
  });
});

describe('verifying a tampered log: each kind is found where it happened', () => {
  it('an edited field', async () => {
    const log = copy();
    const lines = readLines(log.file(2));
    const seq = parseLine(lines[2]!).seq;
    lines[2] = lines[2]!.replace(/"outcome":"ok"|"path":"file-\d+\.txt"/, (m) => (m.startsWith('"outcome"') ? '"outcome":"failed"' : '"path":"other.txt"'));
    writeLines(log.file(2), lines);
    const found = only((await verifyAuditLog(log.dir, KEY)).breaks);
    assert.deepEqual([found.kind, found.file, found.line, found.seq], ['edited', log.names[2], 3, seq]);
    assert.equal(found.path, log.file(2));
    assert.match(found.message, /line 3 \(seq \d+\) was changed after it was written/);
  });

  it('a deleted line', async () => {
    const log = copy();
    const lines = readLines(log.file(2));
    const seq = parseLine(lines[3]!).seq;
    lines.splice(3, 1);
    writeLines(log.file(2), lines);
    const found = only((await verifyAuditLog(log.dir, KEY)).breaks);
    assert.deepEqual([found.kind, found.file, found.line, found.seq, found.toSeq], ['missing', log.names[2], 4, seq, seq]);
    assert.match(found.message, new RegExp(`seq ${seq} is missing between .* line 3 and .* line 4: deleted`));
  });

  it('an inserted line that was forged without the key', async () => {
    const log = copy();
    const lines = readLines(log.file(1));
    lines.splice(2, 0, reseal(lines[1]!, OTHER_KEY, hashOf(lines[1]!), { id: 'forged' }));
    writeLines(log.file(1), lines);
    const found = only((await verifyAuditLog(log.dir, KEY)).breaks);
    assert.deepEqual([found.kind, found.file, found.line], ['inserted', log.names[1], 3]);
  });

  it('an inserted copy of a valid record', async () => {
    const log = copy();
    const earlier = readLines(log.file(0))[3]!;
    const lines = readLines(log.file(3));
    lines.splice(2, 0, earlier);
    writeLines(log.file(3), lines);
    const found = only((await verifyAuditLog(log.dir, KEY)).breaks);
    assert.deepEqual([found.kind, found.file, found.line, found.seq], ['duplicate', log.names[3], 3, parseLine(earlier).seq]);
  });

  it('two lines swapped', async () => {
    const log = copy();
    const lines = readLines(log.file(2));
    [lines[2], lines[3]] = [lines[3]!, lines[2]!];
    writeLines(log.file(2), lines);
    const found = only((await verifyAuditLog(log.dir, KEY)).breaks);
    assert.deepEqual([found.kind, found.file, found.line, found.seq], ['reordered', log.names[2], 4, parseLine(lines[3]!).seq]);
  });

  it('the newest records cut off the end', async () => {
    const log = copy();
    const last = log.file(log.names.length - 1);
    const lines = readLines(last);
    const lastSeq = parseLine(lines.at(-1)!).seq;
    writeLines(last, lines.slice(0, -3));
    const found = only((await verifyAuditLog(log.dir, KEY)).breaks);
    assert.deepEqual([found.kind, found.file, found.line, found.seq, found.toSeq], ['truncated', log.names.at(-1), lines.length - 2, lastSeq - 2, lastSeq]);
    assert.match(found.message, /the checkpoint written at .* says it reached seq/);
  });

  it('a tail recomputed, consistently chained, without the key', async () => {
    const log = copy();
    const last = log.file(log.names.length - 1);
    const lines = readLines(last);
    let prev = hashOf(lines[0]!);
    for (let i = 1; i < lines.length; i++) {
      lines[i] = reseal(lines[i]!, OTHER_KEY, prev, lines[i]!.includes('"kind":"finished"') ? { outcome: 'ok', durationMs: 0 } : {});
      prev = hashOf(lines[i]!);
    }
    writeLines(last, lines);
    const found = only((await verifyAuditLog(log.dir, KEY)).breaks);
    assert.deepEqual([found.kind, found.file, found.line, found.toLine], ['bad-mac', log.names.at(-1), 2, lines.length]);
    assert.equal(found.toSeq, parseLine(lines.at(-1)!).seq);
    assert.match(found.message, /rewritten without the key/);
  });

  it('a record moved from the end of one file to the start of the next', async () => {
    const log = copy();
    const from = readLines(log.file(2));
    const to = readLines(log.file(3));
    const moved = from.pop()!;
    to.splice(1, 0, moved);
    writeLines(log.file(2), from);
    writeLines(log.file(3), to);
    const found = only((await verifyAuditLog(log.dir, KEY)).breaks);
    assert.deepEqual([found.kind, found.file, found.line, found.seq], ['moved', log.names[3], 2, parseLine(moved).seq]);
    assert.match(found.message, new RegExp(`belongs in ${log.names[2]!.replace('.', '\\.')}, after .* line ${from.length}`));
  });

  it('a whole file removed from the middle', async () => {
    const log = copy();
    rmSync(log.file(2));
    const found = only((await verifyAuditLog(log.dir, KEY)).breaks);
    assert.deepEqual([found.kind, found.file, found.line], ['missing-file', log.names[3], 1]);
    assert.match(found.message, new RegExp(`${log.names[2]!.replace('.', '\\.')}, which came before`));
  });

  it('the oldest file removed with no retention record to say so', async () => {
    const log = copy();
    rmSync(log.file(0));
    const report = await verifyAuditLog(log.dir, KEY);
    const found = only(report.breaks);
    assert.deepEqual([found.kind, found.file, found.line, found.seq], ['start', log.names[1], 1, seqAt(path.join(base, log.names[1]!), 1)]);
    assert.equal(report.anchor.kind, 'unexplained');
  });

  it('the checkpoint deleted', async () => {
    const log = copy();
    rmSync(path.join(log.dir, 'audit.head'));
    const found = only((await verifyAuditLog(log.dir, KEY)).breaks);
    assert.equal(found.kind, 'checkpoint');
    assert.match(found.message, /audit\.head, the checkpoint, is missing/);
  });

  it('a line that is not a record', async () => {
    const log = copy();
    const lines = readLines(log.file(1));
    lines.splice(3, 0, 'rm -rf /');
    writeLines(log.file(1), lines);
    const found = only((await verifyAuditLog(log.dir, KEY)).breaks);
    assert.deepEqual([found.kind, found.file, found.line], ['malformed', log.names[1], 4]);
  });
});

describe('verifying what is not tampering', () => {
  it('reports an unfinished last line as a notice, not a break', async () => {
    const log = copy();
    appendFileSync(log.file(log.names.length - 1), '{"seq":999,"prev":"ab');
    const report = await verifyAuditLog(log.dir, KEY);
    assert.deepEqual(report.breaks, []);
    assert.match(report.notices.join('\n'), /ends with 21 bytes of an unfinished line/);
  });

  it('reports calls that started and never finished, and which were cut short by a restart', async () => {
    const { dir, cleanup: done } = tempDir('audit-open');
    try {
      const log = await openLog(dir);
      await log.started({ id: 'left-open', caller: 'copilot', server: 'fs', tool: 'list_dir', args: {}, decision: { effect: 'allow', rule: { id: 'r' } } });
      await log.close();
      let report = await verifyAuditLog(dir, KEY);
      assert.equal(report.ok, true);
      assert.deepEqual(
        report.openCalls.map((c) => [c.id, c.tool, c.file, c.line, c.interrupted]),
        [['left-open', 'list_dir', 'audit-000001.jsonl', 3, false]],
      );
      await (await openLog(dir)).close();
      report = await verifyAuditLog(dir, KEY);
      assert.deepEqual(report.openCalls.map((c) => [c.id, c.interrupted]), [['left-open', true]]);
    } finally {
      done();
    }
  });

  it('says an empty directory has nothing to verify', async () => {
    const { dir, cleanup: done } = tempDir('audit-empty');
    try {
      writeFileSync(path.join(dir, 'unrelated.txt'), 'x');
      const report = await verifyAuditLog(dir, KEY);
      assert.equal(report.ok, true);
      assert.equal(report.summary, 'The audit log is empty: nothing to verify.');
    } finally {
      done();
    }
  });
});
