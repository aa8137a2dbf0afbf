import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { readRecentRecords } from '../../src/core/audit/history';
import { commandLineRunner } from '../helpers/commandLine';
import { gatewayJs, writeFixtureGatewayConfig } from '../helpers/gatewayProcess';

/** A stdio gateway on `config` with an SDK client connected to it, and what it wrote to stderr. */
async function connect(config: string, name: string): Promise<{ client: Client; stderr: () => string }> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [gatewayJs, '--config', config, '--stdio'], stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const client = new Client({ name, version: '1.0.0' });
  await client.connect(transport);
  return { client, stderr: () => stderr };
}

describe('two clients starting the gateway on one configuration', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'warden-gateway-shared-'));
  const runner = commandLineRunner(gatewayJs);
  const clients: Client[] = [];
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    runner.killAll();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('both serve, each gateway writing an audit folder of its own that verifies', async () => {
    const config = writeFixtureGatewayConfig(tmp);
    const auditDir = path.join(tmp, 'audit');
    const keyFile = path.join(tmp, 'keys', 'audit.key');
    const desktop = await connect(config, 'desktop');
    clients.push(desktop.client);
    const cli = await connect(config, 'cli');
    clients.push(cli.client);

    for (const [who, { client }] of [['desktop', desktop], ['cli', cli]] as const) {
      const result = CallToolResultSchema.parse(await client.callTool({ name: 'fx__echo', arguments: { text: `from ${who}` } }));
      assert.notEqual(result.isError, true, JSON.stringify(result));
    }
    assert.match(cli.stderr(), new RegExp(`in use by other gateways on this configuration; this one writes ${auditDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-2\\.`));
    assert.doesNotMatch(desktop.stderr(), /in use by other gateways/);

    await Promise.all(clients.splice(0).map((c) => c.close()));
    for (const [dir, caller] of [[auditDir, 'gateway:desktop'], [`${auditDir}-2`, 'gateway:cli']] as const) {
      const verified = await runner.runToExit(['--verify-audit', dir, '--key-file', keyFile]);
      assert.equal(verified.code, 0, `${dir}: ${verified.stderr}`);
      const started = await readRecentRecords(dir, { limit: 100, kinds: ['started'] });
      assert.deepEqual([...new Set(started.map((r) => ('caller' in r ? r.caller : undefined)))], [caller], `${dir} holds only its own gateway's calls`);
    }
  });
});
