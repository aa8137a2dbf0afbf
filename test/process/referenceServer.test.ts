/**
 * Warden's host against a server it did not write: the reference filesystem server from the
 * MCP project, over real pipes. Initialize, list every tool, call one, survive a bad call.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { McpClient } from '../../src/core/client/mcpClient';
import { allowListedEnvironment } from '../../src/core/transport/environment';
import { StdioProcessTransport } from '../../src/core/transport/stdioProcess';
import { LogLines } from '../helpers/logLines';
import { projectRoot } from '../helpers/processes';

const referenceServer = path.join(projectRoot, 'node_modules/@modelcontextprotocol/server-filesystem/dist/index.js');

describe('the reference @modelcontextprotocol/server-filesystem, driven by Warden', () => {
  const workspace = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'warden-ref-')));
  const log = new LogLines();
  let client: McpClient;
  let transport: StdioProcessTransport;

  before(async () => {
    writeFileSync(path.join(workspace, 'hello.txt'), 'hello from the reference server\n');
    transport = new StdioProcessTransport({ command: process.execPath, args: [referenceServer, workspace], env: allowListedEnvironment() });
    client = await McpClient.connect(transport, { clientInfo: { name: 'warden-test', version: '0' }, log: log.push, initializeTimeoutMs: 20_000 });
  });

  after(async () => {
    await client.close();
    rmSync(workspace, { recursive: true, force: true });
  });

  it('negotiates the current protocol version', () => {
    assert.equal(client.info.protocolVersion, '2025-11-25');
    assert.match(client.info.serverInfo.name, /filesystem/i);
    assert.ok(client.info.capabilities.tools, 'it declares tools');
  });

  it('lists its tools, each valid against the MCP schema', async () => {
    const tools = await client.listTools({ timeoutMs: 10_000 });
    const names = tools.map((t) => t.name);
    for (const expected of ['read_text_file', 'list_directory', 'write_file']) assert.ok(names.includes(expected), `${expected} in ${names.join(', ')}`);
    const read = tools.find((t) => t.name === 'read_text_file');
    assert.equal(read?.annotations?.readOnlyHint, true);
  });

  it('calls read_text_file and returns the file', async () => {
    const result = await client.callTool('read_text_file', { path: path.join(workspace, 'hello.txt') }, { timeoutMs: 10_000 });
    assert.notEqual(result.isError, true);
    const first = result.content[0];
    assert.equal(first?.type, 'text');
    assert.equal(first?.type === 'text' && first.text, 'hello from the reference server\n');
  });

  it('reports a path outside its allowed directories as a tool error, and keeps serving', async () => {
    const denied = await client.callTool('read_text_file', { path: '/etc/passwd' }, { timeoutMs: 10_000 });
    assert.equal(denied.isError, true);
    assert.match(denied.content[0]?.type === 'text' ? denied.content[0].text : '', /denied|outside/i);
    const listing = await client.callTool('list_directory', { path: workspace }, { timeoutMs: 10_000 });
    assert.match(listing.content[0]?.type === 'text' ? listing.content[0].text : '', /hello\.txt/);
  });

  it('stops cleanly when Warden closes the session', async () => {
    const pid = transport.pid;
    assert.ok(pid !== undefined);
    await client.close();
    assert.ok(transport.exitStatus, 'the process has exited');
  });
});
