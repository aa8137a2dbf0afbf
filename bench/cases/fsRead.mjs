// Case 3: read_text of a 10 KB and a 1 MB file through Warden's fs server against the reference
// server-filesystem's read_text_file, both driven by Warden's McpClient, beside the floor echoing
// the same number of bytes (the request carries the text; the echo child sends it back). Then
// the servers' peak RSS (VmHWM) under 64 concurrent 1 MB reads, each server in a fresh process.
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchServer, dist, peakRss, requireBuilt, serverFilesystem } from '../lib/common.mjs';
import { LineClient } from '../lib/lineClient.mjs';
import { alternate, closedLoop, median, sequential } from '../lib/measure.mjs';
import { fmt, latencySection, mb, summaryNumbers, target } from '../lib/report.mjs';
import { connectClient } from '../lib/warden.mjs';

const SIZES = { '10k': 10 * 1024, '1m': 1024 * 1024 };

/** ASCII lines of 64 characters: text every server reads the same way. */
function textOf(bytes) {
  const line = `${'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(2).slice(0, 63)}\n`;
  return line.repeat(Math.ceil(bytes / line.length)).slice(0, bytes);
}

function checkText(result, bytes) {
  const text = result?.content?.[0]?.text;
  if (typeof text !== 'string' || text.length !== bytes || result.isError === true) {
    throw new Error(`A read came back wrong: expected ${bytes} characters, got ${JSON.stringify(result).slice(0, 300)}`);
  }
}

export default {
  name: 'fs-read',
  title: 'Reading files: Warden fs server vs server-filesystem',
  async run({ smoke, log }) {
    requireBuilt([dist('servers/fs.js'), serverFilesystem]);
    const node = process.execPath;
    const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'warden-bench-fs-')));
    const files = {};
    for (const [key, bytes] of Object.entries(SIZES)) {
      files[key] = path.join(dir, `${key}.txt`);
      writeFileSync(files[key], textOf(bytes));
    }
    const ourArgs = [dist('servers/fs.js'), '--root', dir, '--max-bytes', String(4 * 1024 * 1024)];
    const peerArgs = [serverFilesystem, dir];
    const closers = [];
    try {
      const floor = new LineClient(node, [benchServer('echo-floor.cjs')]);
      closers.push(() => floor.close());
      const ours = await connectClient(node, ourArgs);
      closers.push(ours.close);
      const peer = await connectClient(node, peerArgs);
      closers.push(peer.close);
      const texts = Object.fromEntries(Object.entries(SIZES).map(([k, b]) => [k, textOf(b)]));
      const paths = (key) => {
        const bytes = SIZES[key];
        return [
          { name: `floor${key}`, call: async () => checkText({ content: [{ text: (await floor.request('tools/call', { name: 'echo', arguments: { text: texts[key] } })).params.arguments.text }] }, bytes) },
          { name: `ours${key}`, call: async () => checkText(await ours.client.callTool('read_text', { path: files[key] }, { timeoutMs: 60_000 }), bytes) },
          { name: `peer${key}`, call: async () => checkText(await peer.client.callTool('read_text_file', { path: files[key] }, { timeoutMs: 60_000 }), bytes) },
        ];
      };
      log('  10 KB reads');
      const small = await alternate(paths('10k'), smoke ? { rounds: 1, seqSeconds: 0.05, tputSeconds: 0.05, warmSeconds: 0.1, log } : { rounds: 5, seqSeconds: 1, tputSeconds: 0.5, warmSeconds: 1, log });
      log('  1 MB reads');
      // Smoke: 1 MB latency only; the RSS phase below still runs 64 calls in flight.
      const largeLevels = smoke ? [] : [16, 64];
      const large = await alternate(paths('1m'), smoke ? { rounds: 1, seqSeconds: 0.05, tputSeconds: 0.05, warmSeconds: 0.1, levels: largeLevels, log } : { rounds: 3, seqSeconds: 1.5, tputSeconds: 2, warmSeconds: 2, levels: largeLevels, log });
      for (const close of closers.splice(0).reverse()) await close();

      log('  peak RSS under 64 concurrent 1 MB reads (fresh processes)');
      const rss = { ours: [], peer: [] };
      const reps = smoke ? 1 : 3;
      for (let rep = 0; rep < reps; rep++) {
        for (const [name, args, tool] of rep % 2 === 0 ? [['ours', ourArgs, 'read_text'], ['peer', peerArgs, 'read_text_file']] : [['peer', peerArgs, 'read_text_file'], ['ours', ourArgs, 'read_text']]) {
          const server = await connectClient(node, args);
          try {
            const call = async () => checkText(await server.client.callTool(tool, { path: files['1m'] }, { timeoutMs: 120_000 }), SIZES['1m']);
            await sequential(call, 3);
            await closedLoop(call, 64, smoke ? 64 : 128);
            rss[name].push(peakRss(server.pid));
          } finally {
            await server.close();
          }
        }
      }
      const rssOurs = median(rss.ours);
      const rssPeer = median(rss.peer);

      return {
        sections: [
          latencySection('read 10 KB (floor: a 10 KB echo)', small, [['floor10k', 'floor: 10 KB echo'], ['ours10k', 'ours: fs read_text'], ['peer10k', 'peer: server-filesystem read_text_file']], { floor: 'floor10k', peer: 'peer10k' }),
          latencySection('read 1 MB (floor: a 1 MB echo)', large, [['floor1m', 'floor: 1 MB echo'], ['ours1m', 'ours: fs read_text'], ['peer1m', 'peer: server-filesystem read_text_file']], { floor: 'floor1m', peer: 'peer1m', levels: largeLevels }),
          {
            title: 'Server peak RSS (VmHWM) after 64 concurrent 1 MB reads',
            columns: ['server', 'peak RSS MB (median)', 'each run MB', 'ours / peer'],
            rows: [
              ['ours: fs', fmt(mb(rssOurs)), rss.ours.map((b) => fmt(mb(b))).join(', '), fmt(rssOurs / rssPeer, 3)],
              ['peer: server-filesystem', fmt(mb(rssPeer)), rss.peer.map((b) => fmt(mb(b))).join(', '), '1.000'],
            ],
          },
        ],
        targets: [
          target('10 KB p50: peer / ours', small.peer10k.p50 / small.ours10k.p50, '>=', 3),
          target('10 KB calls/s @64: ours / peer', small.ours10k.tput[64] / small.peer10k.tput[64], '>=', 3),
          target('1 MB × 64 in flight, server peak RSS: ours / peer', rssOurs / rssPeer, '<=', 0.2),
          target('1 MB p50: ours / floor 1 MB echo', large.ours1m.p50 / large.floor1m.p50, '<=', 1.5),
        ],
        ratios: {
          ...(!smoke && { '1 MB calls/s @64: ours / peer': large.ours1m.tput[64] / large.peer1m.tput[64] }),
          '10 KB p50: ours / floor': small.ours10k.p50 / small.floor10k.p50,
          '1 MB p50: peer / ours': large.peer1m.p50 / large.ours1m.p50,
        },
        numbers: { ...summaryNumbers('', small), ...summaryNumbers('', large), 'rss.ours': rssOurs, 'rss.peer': rssPeer },
        notes: ['Our fs server runs with --max-bytes 4194304 so that it returns the 1 MB file whole, as server-filesystem does.'],
      };
    } finally {
      for (const close of closers.reverse()) await close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
