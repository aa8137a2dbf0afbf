import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import type { OpenReport } from '../../src/core/audit/logOpening';
import { verifyAuditLog } from '../../src/core/audit/verifier';
import { allRecords, KEY, openLog, segmentNames, tempDir } from '../fixtures/audit/logFixtures';
import { projectRoot } from '../helpers/processes';

const writerScript = path.join(projectRoot, 'out/test/fixtures/audit/writer.js');
const ROUNDS = 25;

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32), so a failure can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Round {
  readonly report: OpenReport;
  readonly acks: Map<number, string>;
  readonly signal: NodeJS.Signals | null;
}

/** Starts the writer, waits for `ready`, and SIGKILLs it once it has acknowledged `killAfter` records. */
function runRound(dir: string, prefix: string, killAfter: number, children: Set<ChildProcess>): Promise<Round> {
  const child = spawn(process.execPath, [writerScript, '--dir', dir, '--key', KEY.toString('hex'), '--max-file-bytes', String(16 * 1024), '--in-flight', '24', '--prefix', prefix], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const acks = new Map<number, string>();
  let report: OpenReport | undefined;
  const lines = createInterface({ input: child.stdout });
  lines.on('line', (line) => {
    if (line.startsWith('ready ')) {
      report = JSON.parse(line.slice(6)) as OpenReport;
      return;
    }
    const match = /^ack (\d+) (started|finished) (\S+)$/.exec(line);
    assert.ok(match, `unexpected line from the writer: ${line}`);
    acks.set(Number(match[1]), `${match[2]} ${match[3]}`);
    if (acks.size === killAfter) child.kill('SIGKILL');
  });
  return new Promise((resolve, reject) => {
    child.on('close', (code, signal) => {
      children.delete(child);
      if (!report) reject(new Error(`The writer exited (code ${code}, signal ${signal}) before it was ready:\n${stderr}`));
      else if (signal !== 'SIGKILL') reject(new Error(`The writer stopped by itself (code ${code}):\n${stderr}`));
      else resolve({ report, acks, signal });
    });
  });
}

describe('the audit log under SIGKILL', () => {
  const { dir: root, cleanup } = tempDir('audit-crash');
  const children = new Set<ChildProcess>();
  after(() => {
    for (const child of children) child.kill('SIGKILL');
    cleanup();
  });

  it(`keeps every acknowledged record and a verifiable chain through ${ROUNDS} kills at random points`, async (t) => {
    const dir = path.join(root, 'log');
    const random = seeded(0x5eed_a0d1);
    const acknowledged = new Map<number, string>();
    let tornInjected = 0;
    let pendingTorn = 0;
    let tornRecovered = 0;

    for (let round = 0; round < ROUNDS; round++) {
      const killAfter = 1 + Math.floor(random() * 400);
      const result = await runRound(dir, `r${round}`, killAfter, children);
      const highest = Math.max(0, ...acknowledged.keys());
      assert.ok(result.report.lastSeq >= highest, `round ${round}: the log reopened at seq ${result.report.lastSeq}, but seq ${highest} had been acknowledged`);
      assert.equal(result.report.checkpoint, 'ok', `round ${round}: ${result.report.message ?? ''}`);
      assert.ok(result.report.discardedBytes >= pendingTorn, `round ${round}: ${pendingTorn} torn bytes were left, ${result.report.discardedBytes} discarded`);
      if (result.report.discardedBytes > 0) tornRecovered += 1;
      assert.ok(result.acks.size >= killAfter, `round ${round}: killed after ${killAfter} acknowledgements`);
      for (const [seq, what] of result.acks) {
        assert.equal(acknowledged.has(seq), false, `seq ${seq} acknowledged twice`);
        acknowledged.set(seq, what);
      }
      // Now and then, leave a line half written, as a crash in the middle of a write would.
      pendingTorn = 0;
      if (random() < 0.3) {
        const newest = segmentNames(dir).at(-1)!;
        const fake = `{"seq":${highest + 1000},"prev":"${'ab'.repeat(32)}","time":"2026-01-01T00:00:00.000Z","kind":"finished"}`;
        pendingTorn = 1 + Math.floor(random() * (fake.length - 1));
        appendFileSync(path.join(dir, newest), fake.slice(0, pendingTorn));
        tornInjected += 1;
      }
    }

    // One last clean open recovers whatever the last round left, then the whole log is checked.
    const last = await openLog(dir);
    if (pendingTorn > 0) assert.ok(last.openReport.discardedBytes >= pendingTorn);
    await last.close();
    const report = await verifyAuditLog(dir, KEY);
    assert.deepEqual(report.breaks, [], report.summary);
    assert.equal(report.ok, true);

    const records = new Map(allRecords(dir).map((r) => [r.seq, r]));
    for (const [seq, what] of acknowledged) {
      const record = records.get(seq);
      assert.ok(record, `acknowledged seq ${seq} (${what}) is missing`);
      assert.ok(record.kind === 'started' || record.kind === 'finished');
      assert.equal(`${record.kind} ${record.id}`, what, `seq ${seq} holds another record than the one acknowledged`);
    }
    const recoveredRecords = [...records.values()].filter((r) => r.kind === 'recovered' && r.discardedBytes > 0).length;
    assert.ok(tornInjected > 0, 'the seed injected torn writes');
    assert.ok(tornRecovered >= tornInjected - (pendingTorn > 0 ? 1 : 0));
    assert.ok(recoveredRecords >= tornInjected, `${tornInjected} torn writes, ${recoveredRecords} recovered records`);
    assert.ok(segmentNames(dir).length > 1, 'the rounds crossed file rotations');
    t.diagnostic(`${acknowledged.size} records acknowledged, ${report.records} in the log across ${report.files.length} files; ${tornInjected} torn writes injected, ${tornRecovered} openings discarded bytes`);
  });
});
