// Case 6: audit records per second with many calls in flight, through the router's CallAudit
// interface (lib/auditTarget.mjs says which log), against the floor of any append-only log: raw
// group commit of lines of the same size, without and with fdatasync; and, one call at a time, the
// wait for a call's records against one raw durable append. Then the durability check:
// a writer child is killed with SIGKILL mid-stream, and every call it had acknowledged must be in
// the files.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { benchDir, childEnv, exited } from '../lib/common.mjs';
import { AUDIT_DURABILITY, openCallAudit } from '../lib/auditTarget.mjs';
import { auditLoad, auditOneCall, scanAuditFiles } from '../lib/auditLoad.mjs';
import { median, sequentialFor } from '../lib/measure.mjs';
import { RawGroupCommit } from '../lib/rawGroupCommit.mjs';
import { fmt, target } from '../lib/report.mjs';

const SYNC = { durability: 'sync' };

const IN_FLIGHT = 256;

async function runOurs(total, options) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'warden-bench-audit-'));
  try {
    const { audit, close } = await openCallAudit(dir, options);
    const start = performance.now();
    await auditLoad(audit, { inFlight: IN_FLIGHT, total });
    const seconds = (performance.now() - start) / 1000;
    await close();
    const scan = scanAuditFiles(dir);
    let lost = 0;
    for (let n = 0; n < total; n++) if (!scan.ids.has(n)) lost++;
    return { callsPerSecond: total / seconds, recordsPerSecond: scan.lines / seconds, lines: scan.lines, lineBytes: scan.bytes / scan.lines, lost };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runRaw(records, lineBytes, sync) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'warden-bench-raw-'));
  try {
    const log = await RawGroupCommit.open(path.join(dir, 'raw.log'), sync);
    const line = `${'x'.repeat(Math.max(1, Math.round(lineBytes) - 1))}\n`;
    let next = 0;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < records) {
          next++;
          await log.append(line);
        }
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    await log.close();
    return records / seconds;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One call at a time: how long a call waits for its records (what the gate adds to a call). */
async function oursSequential(seconds, options) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'warden-bench-audit-seq-'));
  try {
    const { audit, close } = await openCallAudit(dir, options);
    let n = 0;
    await sequentialFor(() => auditOneCall(audit, n++), seconds / 4);
    const samples = await sequentialFor(() => auditOneCall(audit, n++), seconds);
    await close();
    return median(samples);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One record at a time through the raw writer: the latency floor of a durable append. */
async function rawSequential(lineBytes, sync, seconds) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'warden-bench-raw-seq-'));
  try {
    const log = await RawGroupCommit.open(path.join(dir, 'raw.log'), sync);
    const line = `${'x'.repeat(Math.max(1, Math.round(lineBytes) - 1))}\n`;
    await sequentialFor(() => log.append(line), seconds / 4);
    const samples = await sequentialFor(() => log.append(line), seconds);
    await log.close();
    return median(samples);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Starts a writer child, kills it once it has acknowledged `after` calls, and counts what is missing. */
async function crashCheck(after) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'warden-bench-crash-'));
  try {
    const child = spawn(process.execPath, [path.join(benchDir, 'lib/auditWriterChild.mjs'), dir, String(IN_FLIGHT)], { env: childEnv(), stdio: ['ignore', 'pipe', 'inherit'] });
    const acked = [];
    let partial = '';
    let killed = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop();
      for (const line of lines) if (line !== '') acked.push(Number(line));
      if (!killed && acked.length >= after) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    await exited(child);
    if (!killed) throw new Error(`The audit writer exited by itself after ${acked.length} acknowledgements.`);
    const scan = scanAuditFiles(dir);
    const lost = acked.filter((n) => !scan.ids.has(n));
    return { acked: acked.length, lost: lost.length, example: lost.slice(0, 3) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export default {
  name: 'audit',
  title: 'Audit log: records per second, and nothing acknowledged lost',
  async run({ smoke, log }) {
    const total = smoke ? 2_000 : 200_000;
    const rounds = smoke ? 1 : 3;
    await runOurs(Math.min(total, 20_000)); // warm-up
    const results = { ours: [], oursSync: [], raw: [], rawSync: [] };
    let shape;
    for (let round = 0; round < rounds; round++) {
      const ours = await runOurs(total);
      shape ??= ours;
      const oursSync = await runOurs(total, SYNC);
      for (const run of [ours, oursSync]) if (run.lost > 0) throw new Error(`${run.lost} acknowledged calls are missing from the audit files.`);
      results.ours.push(ours);
      results.oursSync.push(oursSync);
      const raws = round % 2 === 0 ? [false, true] : [true, false];
      for (const sync of raws) results[sync ? 'rawSync' : 'raw'].push(await runRaw(ours.lines, ours.lineBytes, sync));
      log(`  round ${round + 1}/${rounds} done`);
    }
    const seqSeconds = smoke ? 0.05 : 1;
    const latency = { ours: [], oursSync: [], raw: [], rawSync: [] };
    for (let round = 0; round < rounds; round++) {
      latency.ours.push(await oursSequential(seqSeconds));
      latency.oursSync.push(await oursSequential(seqSeconds, SYNC));
      latency.rawSync.push(await rawSequential(shape.lineBytes, true, seqSeconds));
      latency.raw.push(await rawSequential(shape.lineBytes, false, seqSeconds));
    }
    const seq = { ours: median(latency.ours), oursSync: median(latency.oursSync), raw: median(latency.raw), rawSync: median(latency.rawSync) };
    log('  sequential latency done');
    const crashes = [];
    for (let i = 0; i < (smoke ? 1 : 3); i++) crashes.push(await crashCheck(smoke ? 1_000 : 50_000));
    log('  kill checks done');
    const records = median(results.ours.map((r) => r.recordsPerSecond));
    const calls = median(results.ours.map((r) => r.callsPerSecond));
    const recordsSync = median(results.oursSync.map((r) => r.recordsPerSecond));
    const callsSync = median(results.oursSync.map((r) => r.callsPerSecond));
    const raw = median(results.raw);
    const rawSync = median(results.rawSync);
    const lostAfterKill = crashes.reduce((a, c) => a + c.lost, 0);
    return {
      sections: [
        {
          title: `Audit appends, ${IN_FLIGHT} calls in flight, ${total.toLocaleString('en-US')} calls per run (${fmt(shape.lines / total, 2)} records per call, ${fmt(shape.lineBytes, 0)} bytes per record)`,
          columns: ['writer', 'records/s', 'calls/s', 'ours / this'],
          rows: [
            ['ours: CallAudit → the audit log (durability "flush", the default)', fmt(records), fmt(calls), '1.00'],
            ['ours, durability "sync"', fmt(recordsSync), fmt(callsSync), fmt(records / recordsSync, 2)],
            ['floor: raw group commit, write only', fmt(raw), '–', fmt(records / raw, 2)],
            ['floor: raw group commit, write + fdatasync', fmt(rawSync), '–', fmt(records / rawSync, 2)],
          ],
        },
        {
          title: 'One call at a time: the wait for its records (p50 µs)',
          columns: ['writer', 'p50 µs', 'ours / this'],
          rows: [
            [`ours: one call's records (${fmt(shape.lines / total, 0)} per call), each awaited as the gate does ("flush")`, fmt(seq.ours), '1.00'],
            ['ours, durability "sync"', fmt(seq.oursSync), fmt(seq.ours / seq.oursSync, 2)],
            ['floor: one raw record, write only', fmt(seq.raw), fmt(seq.ours / seq.raw, 1)],
            ['floor: one raw record, write + fdatasync', fmt(seq.rawSync), fmt(seq.ours / seq.rawSync, 1)],
          ],
        },
        {
          title: 'Killed mid-stream (SIGKILL): acknowledged calls missing from the files',
          columns: ['run', 'acknowledged before the kill', 'missing'],
          rows: crashes.map((c, i) => [String(i + 1), fmt(c.acked), `${c.lost}${c.lost > 0 ? ` (e.g. ${c.example.join(', ')})` : ''}`]),
        },
      ],
      targets: [
        target('audit records/s with many in flight', records, '>=', 100_000),
        target('acknowledged calls lost (after close, and after SIGKILL)', lostAfterKill, '<=', 0),
      ],
      ratios: {
        'records/s, ours / raw group commit (write only)': records / raw,
        'records/s, ours / raw group commit (write + fdatasync)': records / rawSync,
        "one call's wait for its records / one raw write + fdatasync": seq.ours / seq.rawSync,
        "one call's wait for its records / one raw write (no fdatasync)": seq.ours / seq.raw,
        "one call's wait, durability sync / one raw write + fdatasync": seq.oursSync / seq.rawSync,
      },
      numbers: { records, calls, recordsSync, callsSync, raw, rawSync, seqOurs: seq.ours, seqOursSync: seq.oursSync, seqRaw: seq.raw, seqRawSync: seq.rawSync, killChecks: crashes.length },
      notes: [`Durability of an acknowledged append: ${AUDIT_DURABILITY}. The SIGKILL test covers a process crash (with the default); only "sync" covers a power loss.`],
    };
  },
};
