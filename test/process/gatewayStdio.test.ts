import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CallToolResultSchema, McpError, ToolListChangedNotificationSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { readRecentRecords } from '../../src/core/audit/history';
import { verifyAuditLog } from '../../src/core/audit/verifier';
import { commandLineRunner } from '../helpers/commandLine';
import { gatewayFxRule, gatewayJs, writeFixtureGatewayConfig } from '../helpers/gatewayProcess';

const CLIENT = 'stdio-test-client';

function text(result: CallToolResult): string {
  return result.content.map((block) => (block.type === 'text' ? block.text : `<${block.type}>`)).join('\n');
}

describe('the gateway over stdio, driven by the SDK client', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'warden-gateway-stdio-'));
  const auditDir = path.join(tmp, 'audit');
  const keyFile = path.join(tmp, 'audit.key');
  const runner = commandLineRunner(gatewayJs);
  let client: Client;
  const listChanges: Array<() => void> = [];

  async function call(name: string, args: Record<string, unknown>): Promise<CallToolResult> {
    return CallToolResultSchema.parse(await client.callTool({ name, arguments: args }));
  }

  /** Lists until `name` is offered, waiting for list_changed between tries. */
  async function whenListed(name: string): Promise<void> {
    for (;;) {
      const changed = new Promise<void>((resolve) => listChanges.push(resolve));
      const { tools } = await client.listTools();
      if (tools.some((t) => t.name === name)) return;
      await changed;
    }
  }

  before(async () => {
    const config = writeFixtureGatewayConfig(tmp, {
      policy: { rules: [gatewayFxRule, { id: 'no-pid', server: 'fx', tool: 'pid', effect: 'deny', description: 'process ids stay private' }] },
      // Beside the audit folder, where `keyFile` above expects it when the tests verify the log.
      audit: { dir: 'audit', keyFile: 'audit.key' },
    });
    const transport = new StdioClientTransport({ command: process.execPath, args: [gatewayJs, '--config', config, '--stdio'], stderr: 'pipe' });
    client = new Client({ name: CLIENT, version: '1.0.0' });
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      for (const resolve of listChanges.splice(0)) resolve();
    });
    await client.connect(transport);
  });

  after(async () => {
    await client?.close();
    runner.killAll();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('offers the hosted tools as <server>.<tool> with their schemas, leaving out denied ones', async () => {
    assert.equal(client.getServerCapabilities()?.tools?.listChanged, true);
    await whenListed('fx__echo');
    const { tools } = await client.listTools();
    const echo = tools.find((t) => t.name === 'fx__echo');
    assert.deepEqual(echo?.inputSchema, { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] });
    assert.deepEqual(echo?.annotations, { readOnlyHint: true });
    assert.ok(tools.some((t) => t.name === 'fx__crash'));
    assert.equal(tools.some((t) => t.name === 'fx__pid'), false, 'a denied tool is not offered');
  });

  it('runs an allowed call through the gate', async () => {
    const result = await call('fx__echo', { text: 'through the gateway' });
    assert.notEqual(result.isError, true);
    assert.equal(text(result), 'through the gateway');
  });

  it('refuses a denied tool with the rule, and audits the refusal under the client name', async () => {
    const result = await call('fx__pid', {});
    assert.equal(result.isError, true);
    assert.match(text(result), /^POLICY_DENIED: Denied by rule "no-pid" \(process ids stay private\)/);
    const refused = await readRecentRecords(auditDir, { limit: 50, kinds: ['refused'] });
    assert.equal(refused.length, 1);
    const record = refused[0]!;
    assert.ok(record.kind === 'refused');
    assert.equal(record.caller, `gateway:${CLIENT}`);
    assert.equal(record.tool, 'pid');
    assert.equal(record.errorCode, 'POLICY_DENIED');
    const report = await verifyAuditLog(auditDir, Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'hex'));
    assert.equal(report.ok, true, report.summary);
  });

  it('answers an unknown tool with -32602', async () => {
    await assert.rejects(client.callTool({ name: 'fx__nope', arguments: {} }), (error: unknown) => {
      assert.ok(error instanceof McpError);
      assert.equal(error.code, -32602);
      assert.match(error.message, /server "fx" has no tool "nope"/);
      return true;
    });
    await assert.rejects(client.callTool({ name: 'ghost__echo', arguments: {} }), (error: unknown) => error instanceof McpError && error.code === -32602);
  });

  it('passes progress through to the client, every step before the result', async () => {
    const seen: number[] = [];
    // The SDK client handles a notification a microtask after it reads it, but a response at once,
    // and forgets the call's progress handler with the response: a last step written just before
    // the result reaches onerror instead of onprogress (typescript-sdk issue 2580). It still
    // arrived before the result, which is what the gateway controls.
    const late: number[] = [];
    const previous = client.onerror;
    client.onerror = (error) => {
      const match = /progress notification for an unknown token: (.*)$/.exec(error.message);
      if (match) late.push((JSON.parse(match[1]!) as { params: { progress: number } }).params.progress);
      else previous?.(error);
    };
    try {
      const result = CallToolResultSchema.parse(
        await client.callTool({ name: 'fx__tick', arguments: { steps: 3, intervalMs: 5 } }, undefined, { onprogress: (p) => seen.push(p.progress) }),
      );
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(text(result), 'ticked 3');
      assert.deepEqual([...seen, ...late], [1, 2, 3]);
    } finally {
      client.onerror = previous;
    }
  });

  it('passes a cancellation on to the gate, which ends and audits the call as cancelled', async () => {
    const controller = new AbortController();
    const hanging = client.callTool({ name: 'fx__hang', arguments: {} }, undefined, { signal: controller.signal });
    controller.abort('no longer needed');
    await assert.rejects(hanging);
    // Messages are handled in order: once this answer is back, the cancellation has reached the gate.
    assert.equal(text(await call('fx__echo', { text: 'after' })), 'after');
    const finished = await readRecentRecords(auditDir, { limit: 50, kinds: ['started', 'finished'] });
    const started = finished.find((r) => r.kind === 'started' && r.tool === 'hang');
    assert.ok(started, 'the hanging call started');
    assert.ok(started.kind === 'started');
    const end = finished.find((r) => r.kind === 'finished' && r.id === started.id);
    assert.equal(end?.kind === 'finished' && end.outcome, 'cancelled');
  });

  it('reports a crash as an error result, and serves again once the server is back', async () => {
    const crash = await call('fx__crash', { code: 3 });
    assert.equal(crash.isError, true);
    assert.match(text(crash), /^SERVER_CRASHED: /);
    await whenListed('fx__echo');
    const echo = await call('fx__echo', { text: 'back' });
    assert.equal(text(echo), 'back');
  });

  it('verifies the audit log from the command line, and exits 1 when checked with another key', async () => {
    // Audit writes are durable before each answer; the check reads what is on disk now.
    const intact = await runner.runToExit(['--verify-audit', auditDir, '--key-file', keyFile]);
    assert.equal(intact.code, 0, intact.stderr);
    const otherKey = path.join(tmp, 'other.key');
    writeFileSync(otherKey, `${'ab'.repeat(32)}\n`);
    const wrongKey = await runner.runToExit(['--verify-audit', auditDir, '--key-file', otherKey]);
    assert.equal(wrongKey.code, 1);
    const missing = await runner.runToExit(['--verify-audit', auditDir]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--verify-audit needs --key-file/);
  });

  it('exits 2 with a clear message on a bad command line or configuration', async () => {
    const missing = await runner.runToExit(['--config', path.join(tmp, 'absent.json')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /Cannot read the configuration .*absent\.json/);
    const bad = path.join(tmp, 'bad.json');
    writeFileSync(bad, JSON.stringify({ servers: { fx: { args: ['x'] } } }));
    const invalid = await runner.runToExit(['--config', bad]);
    assert.equal(invalid.code, 2);
    assert.match(invalid.stderr, /is invalid: .*must have required property 'command'/);
    const usage = await runner.runToExit(['--http', '0.0.0.0:80', '--config', bad]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /listens only on this machine[\s\S]*Usage:/);
  });
});
