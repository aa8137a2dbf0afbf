// Runs the MCP conformance suite (@modelcontextprotocol/conformance, server scenarios) against
// the gateway over Streamable HTTP, and compares the outcome with test/conformance/baseline.json.
//
// Builds nothing: run `npm run build` first (it needs dist/gateway.js and dist/servers/fs.js).
// The suite needs Node >= 22, so it runs on the Node 24 the host tests install under
// .vscode-test/ (`node scripts/host/install.mjs`). Offline: everything talks over localhost.
//
// The gateway hosts the built-in filesystem server on a temporary folder, with a token; the suite
// cannot send a token, so it talks to a local proxy that adds it (see conformance/authProxy.mjs).
//
// Exit code 0 when every scenario passes or fails as the baseline says; 1 when a scenario fails
// that the baseline does not list, when a listed scenario passes (trim the baseline), or when the
// suite could not run. Usage: node scripts/conformance.mjs [--scenario <name>] [--verbose]
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAuthProxy } from './conformance/authProxy.mjs';
import { hostPaths } from './host/install.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const baselineFile = path.join(root, 'test/conformance/baseline.json');
const suiteCli = path.join(root, 'node_modules/@modelcontextprotocol/conformance/dist/index.js');
const gatewayJs = path.join(root, 'dist/gateway.js');
/** Scenarios the gateway must pass: the baseline may never list them. */
const REQUIRED = ['server-initialize', 'ping', 'tools-list', 'logging-set-level', 'dns-rebinding-protection'];
const SUITE_LIMIT_MS = 300_000;

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const scenarioIndex = args.indexOf('--scenario');
const onlyScenario = scenarioIndex >= 0 ? args[scenarioIndex + 1] : undefined;

function fail(message) {
  console.error(`conformance: ${message}`);
  process.exit(1);
}

function readBaseline() {
  const raw = JSON.parse(readFileSync(baselineFile, 'utf8'));
  const server = raw.server ?? {};
  for (const [scenario, reason] of Object.entries(server)) {
    if (typeof reason !== 'string' || reason.trim() === '') fail(`${baselineFile}: "${scenario}" needs the reason it is expected to fail.`);
    if (REQUIRED.includes(scenario)) fail(`${baselineFile} lists "${scenario}", which the gateway must pass.`);
  }
  return server;
}

function writeFixture(dir) {
  const files = path.join(dir, 'files');
  mkdirSync(files, { recursive: true });
  writeFileSync(path.join(files, 'README.md'), '# Conformance fixture\n');
  const config = path.join(dir, 'warden.json');
  writeFileSync(
    config,
    JSON.stringify(
      {
        builtin: { fs: { roots: ['files'] } },
        policy: { rules: [{ id: 'conformance', server: 'fs', caller: 'gateway:*', effect: 'allow' }] },
        audit: { dir: 'audit', keyFile: 'keys/audit.key' },
      },
      null,
      2,
    ),
  );
  return config;
}

/** Starts the gateway; resolves with its port once it listens, and a stop(). */
function startGateway(config, token) {
  const child = spawn(process.execPath, [gatewayJs, '--config', config, '--http', '127.0.0.1:0', '--token', token], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (chunk) => {
      stderr += chunk.toString('utf8');
      if (verbose) process.stderr.write(chunk);
      const match = /listening on http:\/\/127\.0\.0\.1:(\d+)\/mcp/.exec(stderr);
      if (match) resolve({ port: Number(match[1]), stop, stderr: () => stderr });
    });
    void exited.then((code) => reject(new Error(`the gateway exited with ${code} before listening:\n${stderr}`)));
  });
}

/** Runs the suite; resolves with its exit code and stdout, or rejects if it runs too long. */
function runSuite(node, url, outputDir) {
  const suiteArgs = [suiteCli, 'server', '--url', url, '--output-dir', outputDir, ...(onlyScenario ? ['--scenario', onlyScenario] : [])];
  const child = spawn(node, suiteArgs, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk.toString('utf8');
    if (verbose) process.stdout.write(chunk);
  });
  child.stderr.on('data', (chunk) => process.stderr.write(chunk));
  return new Promise((resolve, reject) => {
    // A guard against a hung scenario, not a measurement: the whole suite takes seconds.
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the suite did not finish within ${SUITE_LIMIT_MS / 1000} s. Its output so far:\n${stdout}`));
    }, SUITE_LIMIT_MS);
    child.once('error', (error) => {
      clearTimeout(guard);
      reject(error);
    });
    child.once('exit', (code) => {
      clearTimeout(guard);
      resolve({ code, stdout });
    });
  });
}

/** Scenario name -> { passed, failed } from the suite's summary lines ("✓ ping: 1 passed, 0 failed"). */
function parseSummary(stdout) {
  const results = new Map();
  // A single scenario prints "Passed: n/m, k failed" instead of a summary.
  const single = /Passed: (\d+)\/\d+, (\d+) failed/.exec(stdout);
  if (onlyScenario && single) results.set(onlyScenario, { passed: Number(single[1]), failed: Number(single[2]) });
  for (const match of stdout.matchAll(/^[✓✗] (\S+): (\d+) passed, (\d+) failed$/gmu)) {
    results.set(match[1], { passed: Number(match[2]), failed: Number(match[3]) });
  }
  return results;
}

/** The failed checks of a scenario, from the checks.json the suite saved. */
function failedChecks(outputDir, scenario) {
  const dir = readdirSync(outputDir).find((d) => d.startsWith(`server-${scenario}-`));
  const file = dir && path.join(outputDir, dir, 'checks.json');
  if (!file || !existsSync(file)) return ['(no checks saved: the scenario did not finish)'];
  return JSON.parse(readFileSync(file, 'utf8'))
    .filter((c) => c.status === 'FAILURE')
    .map((c) => `${c.id}: ${c.errorMessage ?? c.description}`);
}

async function main() {
  const { node24Bin } = hostPaths();
  if (!existsSync(node24Bin)) fail(`the suite needs Node >= 22, expected at ${node24Bin}. Install it with: node scripts/host/install.mjs`);
  if (!existsSync(suiteCli)) fail(`${suiteCli} is missing. Run: npm ci`);
  if (!existsSync(gatewayJs)) fail(`${gatewayJs} is missing. Run: npm run build`);
  const baseline = readBaseline();

  const started = Date.now();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'warden-conformance-'));
  const token = randomBytes(24).toString('hex');
  let gateway;
  let proxy;
  try {
    gateway = await startGateway(writeFixture(tmp), token);
    proxy = await startAuthProxy({ gatewayPort: gateway.port, token });
    const url = `http://127.0.0.1:${proxy.port}/mcp`;
    const outputDir = path.join(tmp, 'results');
    console.log(`conformance: running the server scenarios against the gateway (${url}, via the token proxy)…`);
    const { stdout } = await runSuite(node24Bin, url, outputDir);
    const results = parseSummary(stdout);
    if (results.size === 0) throw new Error(`the suite reported no scenario. Its output:\n${stdout}`);
    const code = report(results, baseline, outputDir, Date.now() - started);
    if (code !== 0) console.log(`\nThe gateway's log:\n${gateway.stderr().trimEnd().split('\n').slice(-30).join('\n')}`);
    return code;
  } finally {
    await proxy?.close();
    await gateway?.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

function report(results, baseline, outputDir, elapsedMs) {
  const unexpected = [];
  const stale = [];
  const expected = [];
  const passed = [];
  for (const [scenario, { failed }] of results) {
    const listed = Object.hasOwn(baseline, scenario);
    if (failed > 0 && !listed) unexpected.push(scenario);
    else if (failed > 0) expected.push(scenario);
    else if (listed) stale.push(scenario);
    else passed.push(scenario);
  }
  const missingRequired = onlyScenario ? [] : REQUIRED.filter((s) => !results.has(s));
  const gone = onlyScenario ? [] : Object.keys(baseline).filter((s) => !results.has(s));

  console.log(`\nconformance: ${results.size} scenarios in ${(elapsedMs / 1000).toFixed(1)} s`);
  console.log(`  passed (${passed.length}): ${passed.join(', ') || 'none'}`);
  console.log(`  failed as the baseline expects (${expected.length}): ${expected.join(', ') || 'none'}`);
  for (const scenario of unexpected) {
    console.log(`  FAILED, not in the baseline: ${scenario}`);
    for (const check of failedChecks(outputDir, scenario)) console.log(`      ${check}`);
  }
  for (const scenario of stale) console.log(`  PASSES, remove it from the baseline: ${scenario}`);
  for (const scenario of gone) console.log(`  NOT RUN any more, remove it from the baseline: ${scenario}`);
  for (const scenario of missingRequired) console.log(`  REQUIRED but not run: ${scenario}`);
  const ok = unexpected.length === 0 && stale.length === 0 && gone.length === 0 && missingRequired.length === 0;
  console.log(ok ? 'conformance: OK' : `conformance: FAILED (baseline: ${path.relative(root, baselineFile)})`);
  return ok ? 0 : 1;
}

// Errors inside main() are thrown, not fail()ed, so its finally stops the gateway first.
main().then(
  (code) => process.exit(code),
  (error) => fail(error instanceof Error ? error.message : String(error)),
);
