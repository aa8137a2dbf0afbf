// Where the CPU of one call goes: for each path, the CPU time per call of the client (this
// process) and of the server (its child, read from /proc/<pid>/stat), over many sequential calls.
// A wall-clock profile on one CPU cannot split these: a process writing to a pipe is charged for
// the time its peer runs after being woken. Run it pinned, as the benchmarks run:
//   taskset -c 0 node bench/tools/cpu-split.mjs [calls]      (after node scripts/build.mjs)
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchServer, dist, requireBuilt, serverFilesystem } from '../lib/common.mjs';
import { LineClient } from '../lib/lineClient.mjs';
import { connectClient } from '../lib/warden.mjs';

const calls = Number(process.argv[2] ?? 20_000);
const TICK_US = 1e6 / 100; // /proc/<pid>/stat counts clock ticks; Linux's USER_HZ is 100

/** User + system CPU of a process so far, in µs. */
function childCpu(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_US;
}

function ownCpu() {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

async function measure(label, call, pid) {
  for (let i = 0; i < Math.min(2_000, calls); i++) await call();
  const server0 = childCpu(pid);
  const client0 = ownCpu();
  const start = performance.now();
  for (let i = 0; i < calls; i++) await call();
  const wall = ((performance.now() - start) * 1000) / calls;
  const server = (childCpu(pid) - server0) / calls;
  const client = (ownCpu() - client0) / calls;
  console.log(`${label.padEnd(52)} ${wall.toFixed(1).padStart(8)} ${client.toFixed(1).padStart(10)} ${server.toFixed(1).padStart(10)}`);
}

function checked(result, length) {
  const text = result?.content?.[0]?.text;
  if (typeof text !== 'string' || text.length !== length) throw new Error(`a read came back wrong: ${JSON.stringify(result).slice(0, 200)}`);
}

requireBuilt([dist('servers/fs.js'), serverFilesystem]);
const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'warden-bench-cpu-')));
const file = path.join(dir, '10k.txt');
const line = `${'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(2).slice(0, 63)}\n`;
const text = line.repeat(160).slice(0, 10 * 1024);
writeFileSync(file, text);
const node = process.execPath;
const initialize = { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'warden-bench', version: '0' } };

console.log(`${calls} sequential calls each; µs per call`);
console.log(`${'path'.padEnd(52)} ${'wall'.padStart(8)} ${'client CPU'.padStart(10)} ${'server CPU'.padStart(10)}`);
try {
  {
    const floor = new LineClient(node, [benchServer('echo-floor.cjs')]);
    await measure('floor: bare client, 10 KB echo child', () => floor.request('echo', { text }), floor.pid);
    await measure('floor: bare client, 12-character echo child', () => floor.request('echo', { text: 'hello, world' }), floor.pid);
    await floor.close();
  }
  {
    const bare = new LineClient(node, [dist('servers/fs.js'), '--root', dir]);
    await bare.request('initialize', initialize);
    bare.notify('notifications/initialized');
    await measure('bare client → fs read_text 10 KB', async () => checked((await bare.request('tools/call', { name: 'read_text', arguments: { path: file } })).result, text.length), bare.pid);
    await bare.close();
  }
  for (const [label, args, tool] of [
    ['McpClient → fs read_text 10 KB', [dist('servers/fs.js'), '--root', dir], 'read_text'],
    ['McpClient → server-filesystem read_text_file 10 KB', [serverFilesystem, dir], 'read_text_file'],
  ]) {
    const c = await connectClient(node, args);
    await measure(label, async () => checked(await c.client.callTool(tool, { path: file }, { timeoutMs: 60_000 }), text.length), c.pid);
    await c.close();
  }
  {
    const c = await connectClient(node, [benchServer('bare-mcp.cjs')]);
    await measure('McpClient → bare MCP echo, 10 KB each way', async () => checked(await c.client.callTool('echo', { text }, { timeoutMs: 60_000 }), text.length), c.pid);
    await measure('McpClient → bare MCP echo, 12 characters', () => c.client.callTool('echo', { text: 'hello, world' }, { timeoutMs: 60_000 }), c.pid);
    await c.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
