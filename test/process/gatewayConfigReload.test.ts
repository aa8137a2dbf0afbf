import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CallToolResultSchema, ToolListChangedNotificationSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { gatewayFxRule, gatewayJs, writeFixtureGatewayConfig } from '../helpers/gatewayProcess';

function text(result: CallToolResult): string {
  return result.content.map((block) => (block.type === 'text' ? block.text : `<${block.type}>`)).join('\n');
}

describe('a running gateway whose configuration file changes', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'warden-gateway-reload-'));
  let client: Client;
  let stderr = '';
  const listChanges: Array<() => void> = [];
  let config = '';

  /** Resolves once `pattern` has appeared `count` times in the gateway's stderr. */
  async function logged(pattern: RegExp, count: number): Promise<void> {
    const global = new RegExp(pattern.source, 'g');
    while ((stderr.match(global) ?? []).length < count) {
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  }
  const waiters: Array<() => void> = [];

  const echo = async (): Promise<CallToolResult> => CallToolResultSchema.parse(await client.callTool({ name: 'fx__echo', arguments: { text: 'hello' } }));

  before(async () => {
    // Allowed by a rule, but not approved: a model's call to the fixture needs a confirmation.
    config = writeFixtureGatewayConfig(tmp, { approvals: [] });
    const transport = new StdioClientTransport({ command: process.execPath, args: [gatewayJs, '--config', config, '--stdio'], stderr: 'pipe' });
    transport.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      for (const resolve of waiters.splice(0)) resolve();
    });
    client = new Client({ name: 'reload-test', version: '1.0.0' });
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      for (const resolve of listChanges.splice(0)) resolve();
    });
    await client.connect(transport);
    for (;;) {
      const changed = new Promise<void>((resolve) => listChanges.push(resolve));
      if ((await client.listTools()).tools.some((t) => t.name === 'fx__echo')) break;
      await changed;
    }
  });

  after(async () => {
    await client?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('applies an approval, a broken file is reported and changes nothing, and a deny rule hides the tool', async () => {
    const refused = await echo();
    assert.equal(refused.isError, true);
    assert.match(text(refused), /CONFIRMATION_DECLINED: .*list "fx\/echo" in "approvals"/);

    writeFixtureGatewayConfig(tmp, { approvals: ['fx/echo'] });
    await logged(/Applied the changed configuration: 1 server\(s\), 1 rule\(s\), 1 approval\(s\)\./, 1);
    const answered = await echo();
    assert.notEqual(answered.isError, true, text(answered));
    assert.equal(text(answered), 'hello');

    writeFileSync(config, '{ "servers": ');
    await logged(/The configuration changed but cannot be used, so the gateway keeps the one it had: /, 1);
    assert.equal(text(await echo()), 'hello', 'the approval still holds');

    const listChanged = new Promise<void>((resolve) => listChanges.push(resolve));
    writeFixtureGatewayConfig(tmp, { approvals: ['fx/echo'], policy: { rules: [gatewayFxRule, { id: 'no-echo', server: 'fx', tool: 'echo', effect: 'deny' }] } });
    await logged(/Applied the changed configuration: 1 server\(s\), 2 rule\(s\), 1 approval\(s\)\./, 1);
    await listChanged;
    const { tools } = await client.listTools();
    assert.equal(tools.some((t) => t.name === 'fx__echo'), false, 'a denied tool is no longer offered');
    assert.ok(tools.some((t) => t.name === 'fx__crash'), 'the other tools still are');
    const denied = await echo();
    assert.match(text(denied), /Denied by rule "no-echo"/);
  });
});
