// Case 2 (with case 1, the floor): one small tool call, echo of a short text.
// floor        a raw newline-delimited JSON echo child driven over pipes (no MCP at all)
// peer         the official SDK client → an SDK echo server (McpServer + StdioServerTransport)
// middle       McpClient (vscode-jsonrpc + newline framing, no router) → the same SDK echo server
// ours         ToolRouter, policy and audit on → the same SDK echo server
// ceiling      the bare newline client of the floor → the same SDK echo server: the most calls
//              that server can answer, whoever the client
// and the Warden paths again against a bare MCP echo server (plus the full path with the audit
// off), which separates Warden's own cost from the SDK server's and the audit log's.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { benchServer, childEnv } from '../lib/common.mjs';
import { LineClient } from '../lib/lineClient.mjs';
import { alternate } from '../lib/measure.mjs';
import { latencySection, summaryNumbers, target } from '../lib/report.mjs';
import { AUDIT_DURABILITY } from '../lib/auditTarget.mjs';
import { connectClient, fullPath } from '../lib/warden.mjs';

const ARGS = { text: 'hello, world' };

function checkEcho(result) {
  if (result?.content?.[0]?.text !== ARGS.text) throw new Error(`The echo came back wrong: ${JSON.stringify(result).slice(0, 200)}`);
}

export default {
  name: 'small-call',
  title: 'A small tool call: floor, official SDK, Warden',
  async run({ smoke, log }) {
    const node = process.execPath;
    const sdkEcho = benchServer('sdk-echo.mjs');
    const bare = benchServer('bare-mcp.cjs');
    const auditDir = mkdtempSync(path.join(os.tmpdir(), 'warden-bench-audit-'));
    const closers = [];
    try {
      const floor = new LineClient(node, [benchServer('echo-floor.cjs')]);
      closers.push(() => floor.close());
      const ceiling = new LineClient(node, [sdkEcho]);
      closers.push(() => ceiling.close());
      await ceiling.initialize();
      const sdk = new Client({ name: 'bench', version: '0' });
      await sdk.connect(new StdioClientTransport({ command: node, args: [sdkEcho], env: childEnv(), stderr: 'ignore' }));
      closers.push(() => sdk.close());
      const middle = await connectClient(node, [sdkEcho]);
      closers.push(middle.close);
      const problems = [];
      let ours = await fullPath({ id: 'echo', command: node, args: [sdkEcho], tool: 'echo', auditDir: path.join(auditDir, 'sdk') });
      closers.push(ours.close);
      const refusal = await ours.call(ARGS).then(checkEcho, (error) => error);
      if (refusal instanceof Error) {
        // Warden must call SDK servers as they are; if it cannot, say so, and measure the same
        // server with the one member it trips on removed, so the cost of the path is still known.
        problems.push(`The full path cannot call the SDK echo server as the SDK serves it: ${refusal.message}`);
        ours = await fullPath({ id: 'echo', command: node, args: [sdkEcho, '--drop-schema-dialect'], tool: 'echo', auditDir: path.join(auditDir, 'sdk2') });
        closers.push(ours.close);
      }
      const middleBare = await connectClient(node, [bare]);
      closers.push(middleBare.close);
      const oursBare = await fullPath({ id: 'bare', command: node, args: [bare], tool: 'echo', auditDir: path.join(auditDir, 'bare') });
      closers.push(oursBare.close);
      const oursBareNoAudit = await fullPath({ id: 'bare', command: node, args: [bare], tool: 'echo', noAudit: true });
      closers.push(oursBareNoAudit.close);

      const floorParams = { name: 'echo', arguments: ARGS };
      const paths = [
        { name: 'floor', call: async () => checkEcho({ content: [{ text: (await floor.request('tools/call', floorParams)).params.arguments.text }] }) },
        { name: 'ceiling', call: async () => checkEcho((await ceiling.request('tools/call', floorParams)).result) },
        { name: 'sdk', call: async () => checkEcho(await sdk.callTool({ name: 'echo', arguments: ARGS })) },
        { name: 'middle', call: async () => checkEcho(await middle.client.callTool('echo', ARGS, { timeoutMs: 30_000 })) },
        { name: 'ours', call: async () => checkEcho(await ours.call(ARGS)) },
        { name: 'middleBare', call: async () => checkEcho(await middleBare.client.callTool('echo', ARGS, { timeoutMs: 30_000 })) },
        { name: 'oursBare', call: async () => checkEcho(await oursBare.call(ARGS)) },
        { name: 'oursBareNoAudit', call: async () => checkEcho(await oursBareNoAudit.call(ARGS)) },
      ];
      const summary = await alternate(paths, smoke ? { rounds: 1, seqSeconds: 0.05, tputSeconds: 0.05, warmSeconds: 0.1, log } : { rounds: 5, seqSeconds: 1, tputSeconds: 0.5, warmSeconds: 1, log });
      const names = [
        ['floor', 'floor: NDJSON echo child over pipes'],
        ['ceiling', 'ceiling: bare client → SDK echo server'],
        ['sdk', 'peer: SDK client → SDK echo server'],
        ['middle', 'middle: McpClient → SDK echo server'],
        ['ours', 'ours: full path (policy + audit) → SDK echo server'],
        ['middleBare', 'McpClient → bare MCP echo'],
        ['oursBare', 'full path (policy + audit) → bare MCP echo'],
        ['oursBareNoAudit', 'full path, audit off → bare MCP echo'],
      ];
      const s = summary;
      return {
        sections: [latencySection('Small call (sequential latency; throughput with 16 and 64 calls in flight)', s, names, { floor: 'floor', peer: 'sdk' })],
        targets: [
          target('full path p50 / floor p50 (SDK echo server behind it)', s.ours.p50 / s.floor.p50, '<=', 1.5),
          target('full path calls/s @64 / SDK client→SDK server @64', s.ours.tput[64] / s.sdk.tput[64], '>=', 2),
        ],
        ratios: {
          'full path → bare MCP, p50 / floor p50': s.oursBare.p50 / s.floor.p50,
          'McpClient → bare MCP, p50 / floor p50': s.middleBare.p50 / s.floor.p50,
          'full path − McpClient, p50 µs (router, policy, audit, supervision)': s.oursBare.p50 - s.middleBare.p50,
          'audit share of the full path, p50 µs (audit on − audit off)': s.oursBare.p50 - s.oursBareNoAudit.p50,
          'SDK client → SDK server, p50 / floor p50': s.sdk.p50 / s.floor.p50,
          'full path → bare MCP @64 / SDK @64': s.oursBare.tput[64] / s.sdk.tput[64],
          'ceiling @64 / SDK @64 (the most any client could gain against this server)': s.ceiling.tput[64] / s.sdk.tput[64],
        },
        numbers: summaryNumbers('', s),
        problems,
        notes: [...(problems.length > 0 ? ['ours → SDK echo server: measured with --drop-schema-dialect (see the problem above).'] : []), `Audit: ${AUDIT_DURABILITY}.`, 'Full path: default supervision (8 calls in flight per server, the rest queued).'],
      };
    } finally {
      for (const close of closers.reverse()) await close();
      rmSync(auditDir, { recursive: true, force: true });
    }
  },
};
