// Runs one Warden path against the bare MCP echo server in a loop, for `node --cpu-prof`:
// sequential calls for half the time, then 64 in flight for the other half.
// Usage: node --cpu-prof --cpu-prof-dir=<dir> bench/tools/path-loop.mjs <client|full|full-no-audit> [seconds]
// then: node bench/tools/profile-top.mjs <dir>/<file>.cpuprofile
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchServer } from '../lib/common.mjs';
import { closedLoopFor, median, sequentialFor } from '../lib/measure.mjs';
import { connectClient, fullPath } from '../lib/warden.mjs';

const [which = 'full', seconds = '10'] = process.argv.slice(2);
const args = { text: 'hello, world' };
const bare = [benchServer('bare-mcp.cjs')];
const auditDir = mkdtempSync(path.join(os.tmpdir(), 'warden-bench-loop-'));
let call;
let close;
if (which === 'client') {
  const c = await connectClient(process.execPath, bare);
  call = () => c.client.callTool('echo', args, { timeoutMs: 30_000 });
  close = c.close;
} else if (which === 'full' || which === 'full-no-audit') {
  const f = await fullPath({ id: 'bare', command: process.execPath, args: bare, tool: 'echo', auditDir, noAudit: which === 'full-no-audit' });
  call = () => f.call(args);
  close = f.close;
} else {
  console.error('Usage: node bench/tools/path-loop.mjs <client|full|full-no-audit> [seconds]');
  process.exit(2);
}
const half = Number(seconds) / 2;
const samples = await sequentialFor(call, half);
const rate = await closedLoopFor(call, 64, half);
console.log(`${which}: sequential p50 ${median(samples).toFixed(1)} µs over ${samples.length} calls; ${rate.toFixed(0)} calls/s with 64 in flight`);
await close();
rmSync(auditDir, { recursive: true, force: true });
