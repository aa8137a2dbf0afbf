// Case 4: cold start, from spawn() until the answer to `initialize` has arrived, for each built-in
// server against bare node (a CommonJS script that answers initialize and nothing else worth
// mentioning) and the reference servers (server-filesystem, and an SDK McpServer echo). The
// servers start in turn, round after round, one at a time, each killed before the next starts.
// NODE_EXTRA_CA_CERTS is not passed to any of them (see lib/common.mjs).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { benchServer, dist, requireBuilt, serverFilesystem } from '../lib/common.mjs';
import { LineClient } from '../lib/lineClient.mjs';
import { median, percentile } from '../lib/measure.mjs';
import { fmt, target } from '../lib/report.mjs';

const INITIALIZE = { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'warden-bench', version: '0' } };

async function startOnce(args) {
  const start = performance.now();
  const client = new LineClient(process.execPath, args);
  try {
    const answer = await client.request('initialize', INITIALIZE);
    if (!answer.result?.serverInfo) throw new Error(`${args[0]} answered initialize with ${JSON.stringify(answer).slice(0, 200)}`);
    return performance.now() - start;
  } finally {
    await client.close();
  }
}

export default {
  name: 'cold-start',
  title: 'Cold start: spawn until initialize is answered',
  async run({ smoke, log }) {
    requireBuilt([dist('servers/fs.js'), serverFilesystem]);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'warden-bench-start-'));
    try {
      const db = path.join(dir, 'empty.db');
      writeFileSync(db, '');
      const servers = [
        { name: 'bare', label: 'floor: bare node (answers initialize)', args: [benchServer('bare-mcp.cjs')] },
        { name: 'fs', label: 'ours: fs', args: [dist('servers/fs.js'), '--root', dir] },
        ...(existsSync(dist('servers/sqlite.js')) ? [{ name: 'sqlite', label: 'ours: sqlite', args: [dist('servers/sqlite.js'), '--db', db] }] : []),
        ...(existsSync(dist('servers/http.js')) ? [{ name: 'http', label: 'ours: http', args: [dist('servers/http.js'), '--allow', '127.0.0.1'] }] : []),
        { name: 'sdkEcho', label: 'peer: SDK McpServer echo', args: [benchServer('sdk-echo.mjs')] },
        { name: 'serverFilesystem', label: 'peer: server-filesystem', args: [serverFilesystem, dir] },
      ];
      const skipped = ['sqlite', 'http'].filter((n) => !servers.some((s) => s.name === n)).map((n) => `dist/servers/${n}.js does not exist yet: its cold start is not measured.`);
      const times = Object.fromEntries(servers.map((s) => [s.name, []]));
      if (!smoke) for (const s of servers) await startOnce(s.args); // warm the page cache
      const rounds = smoke ? 2 : 25;
      for (let round = 0; round < rounds; round++) {
        const order = servers.map((_, i) => servers[(i + round) % servers.length]);
        for (const s of order) times[s.name].push(await startOnce(s.args));
      }
      log(`  ${rounds} rounds done`);
      const bare = median(times.bare);
      const rows = servers.map((s) => [s.label, fmt(median(times[s.name]), 1), fmt(percentile(times[s.name], 90), 1), fmt(median(times[s.name]) / bare, 2)]);
      const ours = servers.filter((s) => s.label.startsWith('ours'));
      return {
        sections: [{ title: `Cold start, ms (${rounds} starts each, interleaved)`, columns: ['server', 'p50 ms', 'p90 ms', 'p50 / bare node'], rows }],
        targets: ours.map((s) => target(`${s.name}: start p50 / bare node p50`, median(times[s.name]) / bare, '<=', 1.3)),
        ratios: {
          'SDK echo / bare node': median(times.sdkEcho) / bare,
          'server-filesystem / bare node': median(times.serverFilesystem) / bare,
        },
        numbers: Object.fromEntries(servers.map((s) => [s.name, median(times[s.name])])),
        ...(skipped.length > 0 && { notes: skipped }),
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
