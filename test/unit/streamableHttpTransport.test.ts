import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { McpClient } from '../../src/core/client/mcpClient';
import { StreamableHttpTransport } from '../../src/core/transport/streamableHttpTransport';

interface Seen {
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: { method?: string; id?: number } | undefined;
}

/** A scripted server: answers by JSON-RPC method, and records every request. */
function scripted(answer: (seen: Seen) => Response): { fetch: typeof fetch; seen: Seen[] } {
  const seen: Seen[] = [];
  const fake = async (_url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as Seen['body']) : undefined;
    const entry = { method: init?.method ?? 'GET', headers, body };
    seen.push(entry);
    return answer(entry);
  };
  return { fetch: fake as typeof fetch, seen };
}

const json = (value: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(value), { status: 200, headers: { 'content-type': 'application/json', ...headers } });

function serverAnswers(toolsListBody: (id: number) => Response) {
  return scripted((seen) => {
    if (seen.method === 'GET') return new Response(null, { status: 405 });
    if (seen.method === 'DELETE') return new Response(null, { status: 200 });
    const id = seen.body?.id ?? 0;
    switch (seen.body?.method) {
      case 'initialize':
        return json(
          { jsonrpc: '2.0', id, result: { protocolVersion: '2025-06-18', capabilities: { tools: {} }, serverInfo: { name: 'scripted', version: '1' } } },
          { 'mcp-session-id': 'session-1' },
        );
      case 'tools/list':
        return toolsListBody(id);
      default:
        return new Response(null, { status: 202 });
    }
  });
}

async function connect(fetchImpl: typeof fetch, maxMessageBytes?: number) {
  const logs: string[] = [];
  const transport = new StreamableHttpTransport({ url: 'http://127.0.0.1:1/mcp', fetch: fetchImpl, ...(maxMessageBytes !== undefined && { maxMessageBytes }) });
  const client = await McpClient.connect(transport, { clientInfo: { name: 't', version: '0' }, log: (l) => logs.push(l), initializeTimeoutMs: 5_000 });
  return { client, transport, logs };
}

describe('the Streamable HTTP client transport', () => {
  it('sends the session id and negotiated version after initialize, and DELETEs the session on close', async () => {
    const server = serverAnswers((id) => json({ jsonrpc: '2.0', id, result: { tools: [] } }));
    const { client, logs } = await connect(server.fetch);
    assert.deepEqual(await client.listTools({ timeoutMs: 5_000 }), []);
    await client.close();
    const [initialize, ...rest] = server.seen;
    assert.equal(initialize!.headers.accept, 'application/json, text/event-stream');
    assert.equal(initialize!.headers['mcp-session-id'], undefined);
    assert.equal(initialize!.headers['mcp-protocol-version'], undefined);
    for (const later of rest) {
      assert.equal(later.headers['mcp-session-id'], 'session-1', `${later.method} ${later.body?.method ?? ''}`);
      assert.equal(later.headers['mcp-protocol-version'], '2025-06-18');
    }
    assert.deepEqual(
      server.seen.map((s) => `${s.method} ${s.body?.method ?? ''}`.trim()),
      ['POST initialize', 'POST notifications/initialized', 'GET', 'POST tools/list', 'DELETE'],
    );
    assert.ok(logs.some((l) => /offers no standing event stream \(HTTP 405\)/.test(l)), logs.join('\n'));
  });

  it('ends the session when an answer exceeds the message size limit, as for a local server', async () => {
    const tools = Array.from({ length: 50 }, (_, i) => ({ name: `tool_${i}`, inputSchema: { type: 'object' } }));
    const server = serverAnswers((id) => json({ jsonrpc: '2.0', id, result: { tools } }));
    const { client } = await connect(server.fetch, 1_000);
    await assert.rejects(client.listTools({ timeoutMs: 5_000 }), /larger than the 1000-byte limit/);
    assert.ok(client.isClosed);
  });

  it('answers a request the server refused with its status, instead of leaving the caller waiting', async () => {
    const server = serverAnswers(() => new Response('{"jsonrpc":"2.0","id":null,"error":{"code":-32000,"message":"rate limited"}}', { status: 429 }));
    const { client } = await connect(server.fetch);
    await assert.rejects(client.listTools({ timeoutMs: 5_000 }), /refused the tools\/list request \(HTTP 429\): rate limited/);
    await client.close();
  });
});
