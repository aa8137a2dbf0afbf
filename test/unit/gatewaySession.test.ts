import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ServerRegistry } from '../../src/core/host/serverRegistry';
import { GatewayCatalog } from '../../src/gateway/gatewayCatalog';
import { GatewaySession, messageProblem, type JsonRpcNotification } from '../../src/gateway/gatewaySession';
import { permissiveRouter } from '../helpers/gate';
import { LogLines } from '../helpers/logLines';
import { testDeps } from '../helpers/processes';

const lines = new LogLines();
const registry = new ServerRegistry(() => testDeps(lines));
const router = permissiveRouter(registry, { started: async () => undefined, finished: async () => undefined, refused: async () => undefined });
after(() => registry.dispose());

function session(sent: JsonRpcNotification[] = []): GatewaySession {
  return new GatewaySession({ catalog: new GatewayCatalog(registry, router), router, serverInfo: { name: 'g', version: '1' }, send: (n) => sent.push(n), log: lines.push });
}

const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'cli', version: '1' } } };

describe('a gateway session', () => {
  it('serves tools only after initialize, as gateway:<client name>', async () => {
    const s = session();
    const early = await s.handle({ jsonrpc: '2.0', id: 0, method: 'tools/list' });
    assert.equal(early.response?.error?.code, -32600);
    assert.equal(s.caller, undefined);
    const init = await s.handle(initialize);
    assert.deepEqual(init.response?.result, {
      protocolVersion: '2025-06-18',
      capabilities: { tools: { listChanged: true }, logging: {} },
      serverInfo: { name: 'g', version: '1' },
      instructions: (init.response?.result as { instructions: string }).instructions,
    });
    assert.equal(s.caller, 'gateway:cli');
    assert.equal((await s.handle(initialize)).response?.error?.code, -32600, 'a second initialize is refused');
    assert.deepEqual((await s.handle({ jsonrpc: '2.0', id: 2, method: 'tools/list' })).response?.result, { tools: [] });
    assert.equal((await s.handle({ jsonrpc: '2.0', id: 3, method: 'tools/list', params: { cursor: 'x' } })).response?.error?.code, -32602);
    assert.deepEqual((await s.handle({ jsonrpc: '2.0', id: 4, method: 'ping' })).response?.result, {});
    assert.equal((await s.handle({ jsonrpc: '2.0', id: 5, method: 'resources/list' })).response?.error?.code, -32601);
  });

  it('answers an unknown tool with -32602 and a malformed message with -32600', async () => {
    const s = session();
    await s.handle(initialize);
    const unknown = await s.handle({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'ghost__echo', arguments: {} } });
    assert.equal(unknown.response?.error?.code, -32602);
    assert.match(unknown.response?.error?.message ?? '', /gateway tools are named <server>__<tool>, and no hosted server is named so/);
    const noName = await s.handle({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: {} });
    assert.equal(noName.response?.error?.code, -32602);
    assert.equal((await s.handle([initialize])).response?.error?.code, -32600);
    assert.deepEqual(await s.handle({ jsonrpc: '2.0', id: 9, result: {} }), { cancelled: false });
  });

  it('sends list_changed only to a client that listed and only when its list changed', async () => {
    const sent: JsonRpcNotification[] = [];
    const s = session(sent);
    await s.handle(initialize);
    await s.handle({ jsonrpc: '2.0', method: 'notifications/initialized' });
    s.toolsMayHaveChanged();
    assert.deepEqual(sent, [], 'nothing listed yet');
    await s.handle({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    s.toolsMayHaveChanged();
    assert.deepEqual(sent, [], 'the list is the same');
  });
});

describe('a gateway session\'s log messages', () => {
  it('sends log messages at or above the level the client set, once it is ready', async () => {
    const sent: JsonRpcNotification[] = [];
    const s = session(sent);
    await s.handle(initialize);
    s.log('error', 'before initialized');
    await s.handle({ jsonrpc: '2.0', method: 'notifications/initialized' });
    s.log('debug', 'below the default');
    s.log('info', 'at the default');
    assert.deepEqual((await s.handle({ jsonrpc: '2.0', id: 2, method: 'logging/setLevel', params: { level: 'warning' } })).response?.result, {});
    s.log('notice', 'below warning');
    s.log('error', 'above warning');
    assert.deepEqual(
      sent.map((n) => n.params),
      [
        { level: 'info', logger: 'warden-gateway', data: 'at the default' },
        { level: 'error', logger: 'warden-gateway', data: 'above warning' },
      ],
    );
    const bad = await s.handle({ jsonrpc: '2.0', id: 3, method: 'logging/setLevel', params: { level: 'loud' } });
    assert.equal(bad.response?.error?.code, -32602);
    assert.match(bad.response?.error?.message ?? '', /level must be one of debug, info/);
    assert.equal((await session().handle({ jsonrpc: '2.0', id: 4, method: 'logging/setLevel', params: { level: 'info' } })).response?.error?.code, -32600, 'not before initialize');
  });
});

describe('JSON-RPC message checks', () => {
  it('names what is wrong', () => {
    assert.equal(messageProblem({ jsonrpc: '2.0', id: 1, method: 'ping' }), undefined);
    assert.equal(messageProblem({ jsonrpc: '2.0', method: 'notifications/initialized' }), undefined);
    assert.match(messageProblem([]) ?? '', /batches/);
    assert.match(messageProblem({ jsonrpc: '1.0', id: 1, method: 'x' }) ?? '', /jsonrpc/);
    assert.match(messageProblem({ jsonrpc: '2.0', id: null, method: 'x' }) ?? '', /id must be/);
    assert.match(messageProblem({ jsonrpc: '2.0', id: 1, method: 'x', params: [1] }) ?? '', /params/);
    assert.match(messageProblem({ jsonrpc: '2.0', id: 1 }) ?? '', /exactly one of result and error/);
  });
});
