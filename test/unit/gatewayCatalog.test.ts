import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ServerState } from '../../src/core/host/serverState';
import { isValidModelToolName } from '../../src/core/naming/modelToolNames';
import type { Tool } from '../../src/core/protocol/types';
import type { Preview } from '../../src/core/router/toolRouter';
import { GatewayCatalog, type CatalogGate, type CatalogRegistry } from '../../src/gateway/gatewayCatalog';

const tool = (name: string): Tool => ({ name, inputSchema: { type: 'object' } });
const running = (tools: Tool[]): ServerState => ({ kind: 'running', session: { protocolVersion: '2025-11-25', serverInfo: { name: 's', version: '1' }, capabilities: {} }, tools } as ServerState);

/** A gate that denies the tools named in `denied` ("server/tool") and allows the rest. */
function gate(denied: readonly string[] = []): CatalogGate {
  return {
    previewTool: ({ server, tool: name }) =>
      ({
        kind: 'decided',
        tool: tool(name),
        decision: denied.includes(`${server}/${name}`) ? { effect: 'deny', rule: { id: 'r', source: 'user' }, reason: 'rule', message: 'denied' } : { effect: 'allow', rule: { id: 'r', source: 'user' }, limits: {} },
      }) as unknown as Preview,
  };
}

describe('the gateway\'s tool names', () => {
  const long = `read_${'x'.repeat(70)}`;
  const registry: CatalogRegistry = {
    all: () => [
      { id: 'fs', state: running([tool('read_text'), tool('files.list'), tool(long)]), tools: [tool('read_text'), tool('files.list'), tool(long)] },
      { id: 'db', state: running([tool('query')]), tools: [tool('query')] },
      { id: 'web', state: { kind: 'restarting', reason: 'crashed', delayMs: 100, attempt: 1 }, tools: [] },
    ],
  };

  it('are <server>__<tool>, within what model APIs and VS Code accept, unique, and map back', () => {
    const catalog = new GatewayCatalog(registry, gate(['db/query']));
    const names = catalog.list('gateway:cli').map((t) => t.name);
    assert.equal(names[0], 'fs__read_text');
    assert.equal(names[1], 'fs__files_list', 'a dot becomes an underscore');
    assert.match(names[2]!, /^fs__read_x+_[0-9a-f]{6}$/, 'a name too long ends in a hash');
    assert.ok(names.every(isValidModelToolName), names.join(', '));
    assert.equal(new Set(names).size, names.length);
    assert.equal(names.includes('db__query'), false, 'a denied tool is left out');
    for (const [name, original] of [['fs__read_text', 'read_text'], ['fs__files_list', 'files.list'], [names[2]!, long]] as const) {
      assert.deepEqual(catalog.lookup(name), { kind: 'found', address: { server: 'fs', tool: original } });
    }
    assert.deepEqual(catalog.lookup('db__query'), { kind: 'found', address: { server: 'db', tool: 'query' } }, 'a denied tool still goes to the gate, which refuses and audits it');
  });

  it('send a call for a server that lists nothing now to the gate, and refuse names that match nothing', () => {
    const catalog = new GatewayCatalog(registry, gate());
    assert.deepEqual(catalog.lookup('web__fetch'), { kind: 'found', address: { server: 'web', tool: 'fetch' } });
    const missing = catalog.lookup('fs__write_text');
    assert.equal(missing.kind, 'unknown');
    assert.match(missing.kind === 'unknown' ? missing.message : '', /server "fs" has no tool "write_text"/);
    const nobody = catalog.lookup('ghost__echo');
    assert.match(nobody.kind === 'unknown' ? nobody.message : '', /gateway tools are named <server>__<tool>, and no hosted server is named so/);
    assert.equal(catalog.lookup('fs.read_text').kind, 'unknown', 'the dotted form is not a gateway name');
  });
});
