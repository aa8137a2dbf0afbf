#!/usr/bin/env node
// Warden's benchmarks: each case runs Warden's code and its peers side by side in one process tree
// (ours and the peer alternating, after a warm-up) and reports ratios, which are the result;
// absolute times on a shared machine are noise.
//
// Usage: node bench/run.mjs [--smoke] [--only <case>[,<case>...]] [--cpus <list> | --no-pin]
//                           [--json <file>] [--markdown <file>]
//   --smoke      tiny counts: checks that every case runs and produces numbers (never a time).
//   --only       run these cases: small-call, fs-read, cold-start, sqlite, audit, policy.
//   --cpus       the CPUs each case's processes are pinned to with taskset (default 0; all
//                processes of a case share it, which keeps ping-pong latency stable).
//   --json/--markdown  also write the results to a file.
// Needs a prior build: node scripts/build.mjs (the cases load out/ and dist/).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { fmt } from './lib/report.mjs';

const CASES = ['small-call', 'fs-read', 'cold-start', 'sqlite', 'audit', 'policy'];
const FILES = { 'small-call': 'smallCall', 'fs-read': 'fsRead', 'cold-start': 'coldStart', sqlite: 'sqlite', audit: 'audit', policy: 'policy' };
const self = fileURLToPath(import.meta.url);
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const value = (name) => {
  const i = argv.indexOf(name);
  return i === -1 ? undefined : argv[i + 1];
};
const smoke = flag('--smoke');

if (value('--child')) {
  await runChild(value('--child'), value('--result'));
} else {
  process.exitCode = await main();
}

/** In the pinned child: runs one case and writes its result as JSON. */
async function runChild(name, resultFile) {
  const module = await import(`./cases/${FILES[name]}.mjs`);
  const log = (line) => process.stderr.write(`${line}\n`);
  const started = performance.now();
  const result = await module.default.run({ smoke, log });
  writeFileSync(resultFile, JSON.stringify({ ...result, name, title: module.default.title, seconds: (performance.now() - started) / 1000 }));
  // Servers and timers a case forgot must not keep the child alive.
  process.exit(0);
}

async function main() {
  const only = value('--only')?.split(',') ?? CASES;
  const unknown = only.filter((c) => !CASES.includes(c));
  if (unknown.length > 0) {
    console.error(`Unknown case ${unknown.join(', ')}. Cases: ${CASES.join(', ')}.`);
    return 2;
  }
  const pin = pinning();
  const startedAt = new Date();
  const machine = {
    cpu: `${os.cpus()[0]?.model ?? 'unknown'} × ${os.cpus().length}`,
    memory: `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    date: startedAt.toISOString(),
    loadBefore: os.loadavg().map((l) => l.toFixed(2)).join(' '),
    pinning: pin.describe,
    mode: smoke ? 'smoke (tiny counts: numbers are not meaningful)' : 'full',
  };
  console.log(`Warden benchmarks (${machine.mode})`);
  for (const [k, v] of Object.entries(machine)) console.log(`  ${k}: ${v}`);
  console.log('  NODE_EXTRA_CA_CERTS is unset for every benchmarked process.');

  const results = [];
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'warden-bench-run-'));
  const total = performance.now();
  try {
    for (const name of only) {
      console.log(`\n=== ${name}`);
      results.push(await runCase(name, pin, scratch));
      printCase(results.at(-1));
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  machine.loadAfter = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  machine.seconds = (performance.now() - total) / 1000;
  printSummary(results, machine);
  if (value('--json')) writeFileSync(value('--json'), JSON.stringify({ machine, results }, null, 2));
  if (value('--markdown')) writeFileSync(value('--markdown'), markdown(results, machine));
  const failures = checkResults(results);
  for (const f of failures) console.log(`FAILED: ${f}`);
  if (smoke) console.log(failures.length === 0 ? `\nSmoke check passed: every case ran and produced numbers (${machine.seconds.toFixed(1)} s).` : '\nSmoke check failed.');
  return failures.length === 0 ? 0 : 1;
}

function pinning() {
  if (flag('--no-pin')) return { prefix: [], describe: 'none (--no-pin)' };
  const cpus = value('--cpus') ?? '0';
  const probe = spawnSync('taskset', ['-c', cpus, 'true']);
  if (probe.error || probe.status !== 0) return { prefix: [], describe: `none (taskset -c ${cpus} is not available here)` };
  return { prefix: ['taskset', '-c', cpus], describe: `every process of a case on CPU ${cpus} (taskset)` };
}

function runCase(name, pin, scratch) {
  const resultFile = path.join(scratch, `${name}.json`);
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  const args = [process.execPath, self, '--child', name, '--result', resultFile, ...(smoke ? ['--smoke'] : [])];
  const command = [...pin.prefix, ...args];
  const limitMs = (smoke ? 5 : 60) * 60_000;
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(command[0], command.slice(1), { env, stdio: ['ignore', 'inherit', 'inherit'], detached: true });
    const timer = setTimeout(() => {
      process.kill(-child.pid, 'SIGKILL');
    }, limitMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const seconds = (performance.now() - started) / 1000;
      if (code === 0) {
        resolve(JSON.parse(readFileSync(resultFile, 'utf8')));
        return;
      }
      const why = signal === 'SIGKILL' ? `it did not finish within ${limitMs / 60_000} minutes` : `it exited with ${signal ?? `code ${code}`} (its error is above)`;
      resolve({ name, failed: `The case ${name} failed: ${why}.`, seconds });
    });
  });
}

function table(section) {
  const widths = section.columns.map((c, i) => Math.max(c.length, ...section.rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  return [section.title, line(section.columns), ...section.rows.map(line)].join('\n');
}

function describeTarget(t) {
  return `${t.met ? 'met   ' : 'MISSED'}  ${t.what}: ${fmt(t.value, t.value >= 1000 ? 0 : 2)} (target ${t.op} ${fmt(t.limit)})`;
}

function printCase(r) {
  if (r.failed) return console.log(r.failed);
  if (r.skipped) return console.log(`SKIPPED: ${r.skipped}`);
  for (const section of r.sections) console.log(`\n${table(section)}`);
  const ratios = Object.entries(r.ratios ?? {});
  if (ratios.length > 0) console.log(`\nRatios:\n${ratios.map(([k, v]) => `  ${k}: ${fmt(v, 2)}`).join('\n')}`);
  if (r.targets.length > 0) console.log(`\nTargets:\n${r.targets.map((t) => `  ${describeTarget(t)}`).join('\n')}`);
  for (const p of r.problems ?? []) console.log(`PROBLEM: ${p}`);
  for (const n of r.notes ?? []) console.log(`Note: ${n}`);
  console.log(`(${r.seconds.toFixed(1)} s)`);
}

function printSummary(results, machine) {
  console.log(`\n=== summary (load before ${machine.loadBefore}, after ${machine.loadAfter}; ${machine.seconds.toFixed(1)} s)`);
  for (const r of results) {
    if (r.failed || r.skipped) {
      console.log(`  ${r.name}: ${r.failed ?? `skipped: ${r.skipped}`}`);
      continue;
    }
    for (const t of r.targets) console.log(`  ${r.name}: ${describeTarget(t)}`);
    for (const p of r.problems ?? []) console.log(`  ${r.name}: PROBLEM: ${p}`);
  }
}

/** What the smoke mode asserts: every case ran (or said why it was skipped) and every number is a number. */
function checkResults(results) {
  const failures = [];
  for (const r of results) {
    if (r.failed) {
      failures.push(r.failed);
      continue;
    }
    if (r.skipped) continue;
    const numbers = Object.entries(r.numbers ?? {});
    if (numbers.length === 0) failures.push(`${r.name} produced no numbers.`);
    for (const [k, v] of numbers) if (!(typeof v === 'number' && Number.isFinite(v) && v > 0)) failures.push(`${r.name}: ${k} is ${v}, not a positive number.`);
  }
  return failures;
}

function markdown(results, machine) {
  const md = (section) => {
    const header = `| ${section.columns.join(' | ')} |\n|${section.columns.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`;
    return `**${section.title}**\n\n${header}\n${section.rows.map((r) => `| ${r.join(' | ')} |`).join('\n')}`;
  };
  const parts = [`Machine: ${machine.cpu}, ${machine.memory}, ${machine.os}, Node ${machine.node}; ${machine.date}; load ${machine.loadBefore} → ${machine.loadAfter}; ${machine.pinning}.`];
  for (const r of results) {
    parts.push(`### ${r.name}`);
    if (r.failed || r.skipped) {
      parts.push(r.failed ?? `Skipped: ${r.skipped}`);
      continue;
    }
    parts.push(...r.sections.map(md));
    if (r.targets.length > 0) parts.push(r.targets.map((t) => `- ${describeTarget(t)}`).join('\n'));
    const ratios = Object.entries(r.ratios ?? {});
    if (ratios.length > 0) parts.push(ratios.map(([k, v]) => `- ${k}: ${fmt(v, 2)}`).join('\n'));
    for (const p of r.problems ?? []) parts.push(`Problem: ${p}`);
  }
  return `${parts.join('\n\n')}\n`;
}
