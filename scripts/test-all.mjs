// `npm test`: builds once, then runs every tier in order and ends with one summary line.
//   1. in memory and 2. real processes: Node's test runner over out/test/{unit,process}
//   then the MCP conformance suite against the gateway over HTTP: scripts/conformance.mjs
//   3. a real VS Code extension host (code-server + Chromium): scripts/host/run-tests.mjs
//   then the benchmarks in smoke mode, so they cannot rot
// Set WARDEN_SKIP_HOST=1 to leave out tier 3 while iterating locally; CI never sets it.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tapFile = path.join(root, 'out', 'node-tests.tap');

function run(command, args, { capture = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'] });
    let output = '';
    child.stdout?.on('data', (chunk) => {
      process.stdout.write(chunk);
      output += chunk.toString('utf8');
    });
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

function count(text, pattern) {
  const matches = [...text.matchAll(pattern)];
  return matches.length === 0 ? undefined : Number(matches[matches.length - 1][1]);
}

const tiers = [];

console.log('\n== Build');
const build = await run(process.execPath, ['scripts/build.mjs', '--clean']);
if (build.code !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}

console.log('\n== Tiers 1 and 2: in memory and real processes');
const nodeTests = await run(process.execPath, [
  '--test',
  '--test-reporter=spec',
  '--test-reporter-destination=stdout',
  '--test-reporter=tap',
  `--test-reporter-destination=${tapFile}`,
  'out/test/unit/',
  'out/test/process/',
]);
const tap = readFileSync(tapFile, 'utf8');
tiers.push({
  name: 'in-memory and process',
  code: nodeTests.code,
  passed: count(tap, /^# pass (\d+)$/gm) ?? 0,
  failed: count(tap, /^# fail (\d+)$/gm) ?? (nodeTests.code === 0 ? 0 : 1),
});

console.log('\n== MCP conformance suite against the gateway (Streamable HTTP)');
const conformance = await run(process.execPath, ['scripts/conformance.mjs'], { capture: true });
// Each scenario counts once: passed, or failed exactly as test/conformance/baseline.json expects.
const asExpected = (count(conformance.output, /^ {2}passed \((\d+)\)/gm) ?? 0) + (count(conformance.output, /^ {2}failed as the baseline expects \((\d+)\)/gm) ?? 0);
const unexpected = [...conformance.output.matchAll(/^ {2}(?:FAILED|PASSES|NOT RUN|REQUIRED)/gm)].length;
tiers.push({
  name: 'conformance',
  code: conformance.code,
  passed: asExpected,
  failed: conformance.code === 0 ? unexpected : Math.max(unexpected, 1),
});

if (process.env.WARDEN_SKIP_HOST === '1') {
  console.log('\n== Tier 3 skipped (WARDEN_SKIP_HOST=1)');
} else {
  console.log('\n== Tier 3: a real VS Code extension host');
  const host = await run(process.execPath, ['scripts/host/run-tests.mjs'], { capture: true });
  tiers.push({
    name: 'extension host',
    code: host.code,
    passed: count(host.output, /^(\d+) passed, \d+ failed$/gm) ?? 0,
    failed: count(host.output, /^\d+ passed, (\d+) failed$/gm) ?? (host.code === 0 ? 0 : 1),
  });
}

console.log('\n== Benchmarks, smoke mode: every case runs and yields numbers (no time is asserted)');
const smoke = await run(process.execPath, ['bench/run.mjs', '--smoke']);
tiers.push({ name: 'benchmark smoke', code: smoke.code, passed: smoke.code === 0 ? 1 : 0, failed: smoke.code === 0 ? 0 : 1 });

console.log('\n== Summary');
for (const tier of tiers) console.log(`${tier.name}: ${tier.passed} passed, ${tier.failed} failed${tier.code === 0 ? '' : ` (exit ${tier.code})`}`);
const passed = tiers.reduce((sum, t) => sum + t.passed, 0);
const failed = tiers.reduce((sum, t) => sum + t.failed, 0);
const ok = tiers.every((t) => t.code === 0) && failed === 0;
console.log(`total: ${passed} passed, ${ok ? failed : Math.max(failed, 1)} failed`);
process.exit(ok ? 0 : 1);
