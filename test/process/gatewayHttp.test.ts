import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { readRecentRecords } from '../../src/core/audit/history';
import { gatewayJs, writeFixtureGatewayConfig } from '../helpers/gatewayProcess';

const TOKEN = 'test-token-0123456789abcdef';
const MARK = 'must-never-run';

interface Running {
  readonly child: ChildProcess;
  readonly port: number;
  readonly stderr: () => string;
}

/** Starts the gateway and resolves once it says where it listens. */
function startGateway(args: string[]): Promise<Running> {
  const child = spawn(process.execPath, [gatewayJs, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      const match = /listening on http:\/\/127\.0\.0\.1:(\d+)\/mcp/.exec(stderr);
      if (match) resolve({ child, port: Number(match[1]), stderr: () => stderr });
    });
    child.on('exit', (code) => reject(new Error(`the gateway exited with ${code} before listening: ${stderr}`)));
  });
}

function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** A raw request, for headers fetch() will not send as given (Host). */
function raw(port: number, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/mcp', method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the gateway over Streamable HTTP', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'warden-gateway-http-'));
  const auditDir = path.join(tmp, 'audit');
  let gateway: Running | undefined;
  let generated: Running | undefined;
  let client: Client | undefined;
  let sessionId = '';
  let url = '';
  const call = (text: string): string => JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'fx__echo', arguments: { text } } });
  const headers = (extra: Record<string, string> = {}): Record<string, string> => ({
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    authorization: `Bearer ${TOKEN}`,
    'mcp-session-id': sessionId,
    'mcp-protocol-version': '2025-11-25',
    ...extra,
  });

  before(async () => {
    gateway = await startGateway(['--config', writeFixtureGatewayConfig(tmp), '--http', '127.0.0.1:0', '--token', TOKEN]);
    url = `http://127.0.0.1:${gateway.port}/mcp`;
    client = new Client({ name: 'http-test-client', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } });
    await client.connect(transport);
    sessionId = transport.sessionId ?? '';
  });

  after(async () => {
    await client?.close();
    await stop(gateway?.child);
    await stop(generated?.child);
    rmSync(tmp, { recursive: true, force: true });
  });

  it('serves a session end to end through the SDK client', async () => {
    assert.match(sessionId, /^[0-9a-f-]{36}$/);
    const { tools } = await client!.listTools();
    assert.ok(tools.some((t) => t.name === 'fx__echo'), JSON.stringify(tools.map((t) => t.name)));
    const result = CallToolResultSchema.parse(await client!.callTool({ name: 'fx__echo', arguments: { text: 'over http' } }));
    assert.deepEqual(result.content, [{ type: 'text', text: 'over http' }]);
  });

  it('streams a call\'s progress, then its answer', async () => {
    const seen: number[] = [];
    const result = CallToolResultSchema.parse(
      await client!.callTool({ name: 'fx__tick', arguments: { steps: 3, intervalMs: 5 } }, undefined, { onprogress: (p) => seen.push(p.progress) }),
    );
    assert.deepEqual(result.content, [{ type: 'text', text: 'ticked 3' }]);
    assert.deepEqual(seen, [1, 2, 3]);
  });

  it('answers /health without a token, and /metrics only with one', async () => {
    const health = await fetch(`http://127.0.0.1:${gateway!.port}/health`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { ok: true });
    assert.equal((await fetch(`http://127.0.0.1:${gateway!.port}/metrics`)).status, 401);
    const metrics = await fetch(`http://127.0.0.1:${gateway!.port}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(metrics.status, 200);
    const body = (await metrics.json()) as { tools: Array<{ server: string; tool: string; calls: number }> };
    assert.ok(body.tools.some((t) => t.server === 'fx' && t.tool === 'echo' && t.calls >= 1), JSON.stringify(body));
  });

  it('refuses requests without the token, with a wrong one, from a foreign Host or Origin, or too large', async () => {
    const noToken = await fetch(url, { method: 'POST', headers: { ...headers(), authorization: '' }, body: call(MARK) });
    assert.equal(noToken.status, 401);
    assert.equal(noToken.headers.get('www-authenticate'), 'Bearer');
    assert.equal((await fetch(url, { method: 'POST', headers: headers({ authorization: 'Bearer not-the-token' }), body: call(MARK) })).status, 401);
    assert.equal(await raw(gateway!.port, headers({ host: `evil.example:${gateway!.port}` }), call(MARK)), 403);
    assert.equal(await raw(gateway!.port, headers({ origin: 'http://evil.example' }), call(MARK)), 403);
    const big = JSON.stringify({ jsonrpc: '2.0', id: 8, method: 'tools/call', params: { name: 'fx__echo', arguments: { text: `${MARK}${'x'.repeat(5 * 1024 * 1024)}` } } });
    assert.equal((await fetch(url, { method: 'POST', headers: headers(), body: big })).status, 413);
    // The gateway's own origin is fine.
    assert.equal(await raw(gateway!.port, headers({ origin: `http://localhost:${gateway!.port}` }), call('own origin')), 200);

    const records = await readRecentRecords(auditDir, { limit: 100 });
    const reached = records.filter((r) => (r.kind === 'started' || r.kind === 'refused') && JSON.stringify(r.args).includes(MARK));
    assert.deepEqual(reached, [], 'no refused request reached the gate');
    assert.ok(records.some((r) => r.kind === 'started' && JSON.stringify(r.args).includes('own origin')));
  });

  it('checks sessions and the protocol version, and ends a session on DELETE', async () => {
    assert.equal((await fetch(url, { method: 'POST', headers: headers({ 'mcp-session-id': 'no-such-session' }), body: call(MARK) })).status, 404);
    const { 'mcp-session-id': _omitted, ...withoutSession } = headers();
    assert.equal((await fetch(url, { method: 'POST', headers: withoutSession, body: call(MARK) })).status, 400);
    assert.equal((await fetch(url, { method: 'POST', headers: headers({ 'mcp-protocol-version': '1999-01-01' }), body: call(MARK) })).status, 400);
    assert.equal((await fetch(url, { method: 'GET', headers: headers() })).status, 409, 'the SDK client already holds the standing stream');
    assert.equal((await fetch(url, { method: 'PUT', headers: headers() })).status, 405);
    const notification = await fetch(url, { method: 'POST', headers: headers(), body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) });
    assert.equal(notification.status, 202);

    const init = await fetch(url, {
      method: 'POST',
      headers: withoutSession,
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'fetch', version: '1' } } }),
    });
    assert.equal(init.status, 200);
    const second = init.headers.get('mcp-session-id') ?? '';
    assert.notEqual(second, '');
    assert.notEqual(second, sessionId);
    assert.equal((await fetch(url, { method: 'DELETE', headers: headers({ 'mcp-session-id': second }) })).status, 204);
    assert.equal((await fetch(url, { method: 'POST', headers: headers({ 'mcp-session-id': second }), body: call(MARK) })).status, 404);
  });

  it('generates a token on first run, prints it once, and requires it', async () => {
    const second = path.join(tmp, 'second.json');
    writeFileSync(second, JSON.stringify({ servers: {}, audit: { dir: 'audit2', keyFile: 'keys2/audit.key' } }));
    generated = await startGateway(['--config', second, '--http', '127.0.0.1:0']);
    const printed = /Authorization: Bearer ([0-9a-f]{64})/.exec(generated.stderr());
    assert.ok(printed, generated.stderr());
    const tokenFile = path.join(tmp, 'keys2/warden-gateway.token');
    assert.equal(statSync(tokenFile).mode & 0o777, 0o600);
    const metrics = `http://127.0.0.1:${generated.port}/metrics`;
    assert.equal((await fetch(metrics, { headers: { authorization: `Bearer ${printed[1]}` } })).status, 200);
    assert.equal((await fetch(metrics, { headers: { authorization: `Bearer ${TOKEN}` } })).status, 401);
    await stop(generated.child);

    generated = await startGateway(['--config', second, '--http', '127.0.0.1:0']);
    assert.doesNotMatch(generated.stderr(), /Bearer [0-9a-f]{64}/, 'the token is printed only when it is made');
    assert.equal((await fetch(`http://127.0.0.1:${generated.port}/metrics`, { headers: { authorization: `Bearer ${printed[1]}` } })).status, 200);
  });
});
