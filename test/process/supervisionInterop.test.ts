/**
 * Warden hosting a server it did not write: the reference `@modelcontextprotocol/server-everything`
 * (the MCP project's feature tour, on the official SDK), run over stdio as `node dist/index.js
 * stdio`. Its tools list, calls, progress that resets a timeout, and a timed-out call on a server
 * that, as MCP asks, never answers a cancelled request yet keeps answering ping.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ManagedServer } from '../../src/core/host/managedServer';
import { ServerRegistry } from '../../src/core/host/serverRegistry';
import { stdioTransportFactory } from '../../src/core/host/stdioTransportFactory';
import type { CallToolResult } from '../../src/core/protocol/types';
import { WardenError } from '../../src/core/util/errors';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import { AuditLog } from '../../src/core/audit/auditLog';
import { permissiveRouter } from '../helpers/gate';
import { LogLines } from '../helpers/logLines';
import { isAlive, projectRoot, testDeps } from '../helpers/processes';

const everything = path.join(projectRoot, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');

function text(result: CallToolResult): string {
  const first = result.content[0];
  return first?.type === 'text' ? first.text : '';
}

describe('the reference @modelcontextprotocol/server-everything, hosted by Warden', () => {
  const lines = new LogLines();
  const registry = new ServerRegistry(() =>
    testDeps(lines, {
      createTransport: stdioTransportFactory({ graceMs: { afterStdinEnd: 500, afterTerm: 500 } }),
      timeouts: { initializeMs: 20_000, listToolsMs: 20_000 },
      supervision: { hangGraceMs: 2_000 },
    }),
  );
  let server: ManagedServer;
  let pid: number | undefined;

  before(async () => {
    await registry.reconcile([{ id: 'everything', label: 'Everything', command: process.execPath, args: [everything, 'stdio'], builtin: false }]);
    server = registry.get('everything')!;
    assert.equal(server.state.kind, 'running', lines.lines.join('\n'));
    pid = server.state.kind === 'running' ? server.state.pid : undefined;
  });

  after(async () => {
    await registry.dispose();
    assert.ok(pid !== undefined && !isAlive(pid), 'no process is left behind');
  });

  it('runs and lists its tools, each assessed by the rug-pull guard', () => {
    const names = server.tools.map((t) => t.name);
    for (const expected of ['echo', 'get-sum', 'trigger-long-running-operation']) assert.ok(names.includes(expected), `${expected} in ${names.join(', ')}`);
    assert.equal(server.state.kind === 'running' && server.state.session.serverInfo.name.length > 0, true);
    assert.equal(server.toolApprovals.size, names.length);
    const approval = server.toolApprovals.get('echo');
    assert.deepEqual(approval?.kind === 'approved' && [approval.by, approval.findings], ['first-use', []]);
  });

  it('calls its tools through the whole gate, whose checks read the schema dialect it declares', async () => {
    const audit = await AuditLog.open({ dir: mkdtempSync(path.join(os.tmpdir(), 'warden-interop-')), key: randomBytes(32) });
    try {
      const router = permissiveRouter(registry, audit);
      const outcome = await router.call({ caller: 'copilot', server: 'everything', tool: 'get-sum', args: { a: 20, b: 22 } });
      assert.equal(outcome.kind, 'ok', JSON.stringify(outcome));
      assert.equal(outcome.kind === 'ok' && text(outcome.result), 'The sum of 20 and 22 is 42.');
      const refused = await router.call({ caller: 'copilot', server: 'everything', tool: 'get-sum', args: { a: 'twenty', b: 22 } });
      assert.equal(refused.kind === 'failed' && refused.error.code, 'INVALID_ARGUMENTS');
    } finally {
      await audit.close();
    }
  });

  it('calls echo and get-sum', async () => {
    assert.equal(text(await server.callTool('echo', { message: 'hello from Warden' }, { timeoutMs: 10_000 })), 'Echo: hello from Warden');
    assert.equal(text(await server.callTool('get-sum', { a: 2, b: 3 }, { timeoutMs: 10_000 })), 'The sum of 2 and 3 is 5.');
  });

  it('reports its invalid arguments as INVALID_ARGUMENTS or a tool error, and keeps serving', async () => {
    const outcome = await server.callTool('get-sum', { a: 'two' }, { timeoutMs: 10_000 }).then(
      (result) => (result.isError === true ? 'tool error' : 'ok'),
      (error: unknown) => (error instanceof WardenError ? error.code : 'other'),
    );
    assert.ok(['tool error', 'INVALID_ARGUMENTS'].includes(outcome), outcome);
    assert.equal(server.circuit.kind, 'closed');
    assert.equal(text(await server.callTool('echo', { message: 'still here' }, { timeoutMs: 10_000 })), 'Echo: still here');
  });

  it('lets its progress notifications carry a call past its timeout', async () => {
    const progress: number[] = [];
    const result = await server.callTool(
      'trigger-long-running-operation',
      { duration: 1.2, steps: 4 },
      { timeoutMs: 900, onProgress: (p) => progress.push(p.progress) },
    );
    assert.match(text(result), /Long running operation completed/);
    assert.deepEqual(progress, [1, 2, 3, 4]);
  });

  it('times a call out, and keeps the server, which answers ping though it never answers the cancelled call', async () => {
    await assert.rejects(server.callTool('trigger-long-running-operation', { duration: 3, steps: 1 }, { timeoutMs: 200 }), (error: unknown) => {
      assert.ok(error instanceof WardenError);
      assert.equal(error.code, 'TIMEOUT');
      assert.match(error.message, /tool "trigger-long-running-operation" call timed out after 200 ms/);
      return true;
    });
    await lines.waitFor(/The tool "trigger-long-running-operation" call timed out; the server still answers ping, so it keeps running\./);
    assert.equal(server.state.kind === 'running' && server.state.pid, pid);
    assert.equal(text(await server.callTool('echo', { message: 'after the timeout' }, { timeoutMs: 10_000 })), 'Echo: after the timeout');
  });
});
