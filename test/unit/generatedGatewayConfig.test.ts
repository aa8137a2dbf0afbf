import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { parseConfig } from '../../src/gateway/config';
import { gatewayConfigObject, writeGatewayConfig, type GatewayConfigInput, type GatewayFiles } from '../../src/vscode/gateway/gatewayConfig';

const dir = mkdtempSync(path.join(os.tmpdir(), 'warden-generated-config-'));
const files: GatewayFiles = { config: path.join(dir, 'vscode-1', 'warden-gateway.json'), auditDir: path.join(dir, 'vscode-1', 'audit'), auditKeyFile: path.join(dir, 'audit.key') };
const input: GatewayConfigInput = {
  servers: [
    { id: 'echo', label: 'echo', command: '/usr/bin/node', args: ['server.js', '--flag'], env: { TOKEN: 'secret' }, cwd: '/tmp', builtin: false },
    { id: 'plain', label: 'plain', command: 'npx', args: [], env: {}, builtin: false },
    { id: 'remote', label: 'remote', kind: 'http', url: 'https://mcp.example.com/mcp', headers: { 'X-Team': 'core' }, bearerToken: 'tok-123', builtin: false },
  ],
  rules: [{ id: 'gw', server: 'echo', caller: 'gateway:*', effect: 'allow' }],
  approvals: ['echo/echo', 'gone/tool'],
  durability: 'sync',
};

describe('the gateway configuration generated from VS Code settings', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is a configuration the gateway accepts, with the same servers, rules and audit paths', () => {
    const parsed = parseConfig(gatewayConfigObject(input, files), dir, path.join(dir, 'servers'), 'the generated configuration', {});
    assert.deepEqual(
      parsed.servers.map((s) => ('command' in s ? [s.id, s.command, s.args, s.env ?? {}, s.cwd] : [s.id, s.url, s.headers, s.bearerToken])),
      [
        ['echo', '/usr/bin/node', ['server.js', '--flag'], { TOKEN: 'secret' }, '/tmp'],
        ['plain', 'npx', [], {}, undefined],
        // The token travels as the header it becomes; the gateway sends the same request.
        ['remote', 'https://mcp.example.com/mcp', { 'X-Team': 'core', Authorization: 'Bearer tok-123' }, undefined],
      ],
    );
    assert.deepEqual(parsed.ruleProblems, []);
    assert.equal(parsed.rules.length, 1);
    assert.deepEqual(parsed.approvals, ['echo/echo'], 'approvals of servers it does not host are left out');
    assert.deepEqual(parsed.audit, { dir: files.auditDir, keyFile: files.auditKeyFile, durability: 'sync' });
  });

  it('is written readable by its owner only, and rewritten only when it changes', async () => {
    const first = await writeGatewayConfig(input, files);
    assert.equal(first.changed, true);
    assert.deepEqual(first.serverIds, ['echo', 'plain', 'remote']);
    if (process.platform !== 'win32') assert.equal(statSync(files.config).mode & 0o777, 0o600);
    const again = await writeGatewayConfig(input, files);
    assert.deepEqual([again.changed, again.version], [false, first.version]);
    const changed = await writeGatewayConfig({ ...input, rules: [] }, files);
    assert.equal(changed.changed, true);
    assert.notEqual(changed.version, first.version);
    assert.deepEqual(JSON.parse(readFileSync(files.config, 'utf8')).policy, { rules: [] });
  });
});
