import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMessageConnection } from 'vscode-jsonrpc/node';
import { PassThrough } from 'node:stream';
import { Emitter, ResponseError } from 'vscode-jsonrpc/node';
import { McpClient } from '../../src/core/client/mcpClient';
import * as methods from '../../src/core/protocol/methods';
import { LATEST_PROTOCOL_VERSION, negotiateProtocolVersion } from '../../src/core/protocol/versions';
import { NdjsonMessageReader } from '../../src/core/transport/ndjsonReader';
import { NdjsonMessageWriter } from '../../src/core/transport/ndjsonWriter';
import type { McpTransport, TransportExit } from '../../src/core/transport/transport';
import { WardenError } from '../../src/core/util/errors';
import { McpServer } from '../../src/servers/shared/mcpServer';
import type { RegisteredTool } from '../../src/servers/shared/toolDefinition';
import { linkInMemory } from '../helpers/memoryTransport';
import { echoTool, manyTools, progressTool, waitForCancelTool } from '../helpers/toolFixtures';

const clientInfo = { name: 'test-client', version: '1.0.0' };

function serverWith(tools: RegisteredTool[], pageSize?: number): McpServer {
  return new McpServer({ info: { name: 'mem', version: '0.0.1' }, log: () => undefined, ...(pageSize && { pageSize }) }, tools);
}

async function connected(tools: RegisteredTool[], pageSize?: number) {
  const link = linkInMemory(serverWith(tools, pageSize));
  const client = await McpClient.connect(link.transport, { clientInfo, log: () => undefined, initializeTimeoutMs: 5000 });
  const wire: string[] = [];
  link.clientToServer.on('data', (chunk: Buffer) => wire.push(...chunk.toString('utf8').trim().split('\n')));
  return { link, client, wire };
}

function assertWardenError(code: string, pattern: RegExp): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof WardenError, `expected a WardenError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.match(error.message, pattern);
    return true;
  };
}

describe('method declarations', () => {
  it('name each MCP method exactly as the specification does, once each', () => {
    const names = Object.values(methods)
      .flatMap((m) => ('method' in m ? [m.method] : []));
    assert.deepEqual(names.sort(), [
      'initialize',
      'logging/setLevel',
      'notifications/cancelled',
      'notifications/initialized',
      'notifications/message',
      'notifications/progress',
      'notifications/tools/list_changed',
      'ping',
      'tools/call',
      'tools/list',
    ]);
    assert.equal(methods.ToolsCall.type.method, 'tools/call');
  });
});

describe('version negotiation', () => {
  it('echoes a supported version and offers the latest for anything else', () => {
    assert.equal(negotiateProtocolVersion('2025-06-18'), '2025-06-18');
    assert.equal(negotiateProtocolVersion('2025-03-26'), '2025-03-26');
    assert.equal(negotiateProtocolVersion('1999-01-01'), LATEST_PROTOCOL_VERSION);
    assert.equal(negotiateProtocolVersion(42), LATEST_PROTOCOL_VERSION);
  });

  it('refuses a server that answers with a version Warden does not speak, naming both', async () => {
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    const server = createMessageConnection(new NdjsonMessageReader(toServer), new NdjsonMessageWriter(toClient));
    server.onRequest(methods.Initialize.type, () => ({ protocolVersion: '1999-01-01', capabilities: {}, serverInfo: { name: 'old', version: '1' } }));
    server.listen();
    const exit = new Emitter<TransportExit>();
    let closed = false;
    const transport: McpTransport = {
      reader: new NdjsonMessageReader(toClient),
      writer: new NdjsonMessageWriter(toServer),
      onDidExit: exit.event,
      onDidLog: new Emitter<string>().event,
      close: async () => {
        closed = true;
        exit.fire({ code: 0, signal: null });
      },
    };
    await assert.rejects(
      McpClient.connect(transport, { clientInfo, log: () => undefined, initializeTimeoutMs: 5000 }),
      assertWardenError('UNSUPPORTED_PROTOCOL_VERSION', /1999-01-01.*2025-11-25/),
    );
    assert.ok(closed, 'the transport is closed after a failed handshake');
    server.dispose();
  });

  it('times out an initialize that never answers without sending a cancellation for it', async () => {
    const toServer = new PassThrough();
    const seen: string[] = [];
    toServer.on('data', (chunk: Buffer) => seen.push(chunk.toString('utf8')));
    const exit = new Emitter<TransportExit>();
    const transport: McpTransport = {
      reader: new NdjsonMessageReader(new PassThrough()),
      writer: new NdjsonMessageWriter(toServer),
      onDidExit: exit.event,
      onDidLog: new Emitter<string>().event,
      close: async () => exit.fire({ code: null, signal: 'SIGTERM' }),
    };
    await assert.rejects(
      McpClient.connect(transport, { clientInfo, log: () => undefined, initializeTimeoutMs: 30 }),
      assertWardenError('TIMEOUT', /initialize call timed out/),
    );
    const wire = seen.join('');
    assert.match(wire, /"method":"initialize"/);
    assert.doesNotMatch(wire, /notifications\/cancelled/);
  });
});

describe('McpClient against McpServer, in memory', () => {
  it('completes the handshake and sends notifications/initialized', async () => {
    const { client, link } = await connected([echoTool]);
    assert.equal(client.info.protocolVersion, LATEST_PROTOCOL_VERSION);
    assert.deepEqual(client.info.serverInfo, { name: 'mem', version: '0.0.1' });
    await client.close();
    assert.equal(link.transport.pid, undefined);
  });

  it('follows nextCursor through every page of tools/list', async () => {
    const { client, wire } = await connected(manyTools(120), 50);
    const tools = await client.listTools({ timeoutMs: 5000 });
    assert.equal(tools.length, 120);
    assert.equal(tools[119]!.name, 'tool_119');
    assert.equal(wire.filter((line) => line.includes('"tools/list"')).length, 3);
    await client.close();
  });

  it('answers a forged cursor with -32602 and keeps serving', async () => {
    const link = linkInMemory(serverWith(manyTools(3), 2));
    const raw = createMessageConnection(link.transport.reader, link.transport.writer);
    raw.listen();
    await raw.sendRequest(methods.Initialize.type, { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo });
    const first = await raw.sendRequest(methods.ToolsList.type, {});
    assert.equal(first.tools.length, 2);
    await assert.rejects(raw.sendRequest(methods.ToolsList.type, { cursor: 'bm9wZQ' }), (error: unknown) => {
      assert.ok(error instanceof ResponseError);
      assert.equal(error.code, -32602);
      assert.match(error.message, /Invalid cursor/);
      return true;
    });
    const second = await raw.sendRequest(methods.ToolsList.type, { cursor: first.nextCursor! });
    assert.deepEqual(second.tools.map((t) => t.name), ['tool_002']);
    assert.equal(second.nextCursor, undefined);
    raw.dispose();
    await link.transport.close();
  });

  it('refuses tool calls before initialize', async () => {
    const link = linkInMemory(serverWith([echoTool]));
    const raw = createMessageConnection(link.transport.reader, link.transport.writer);
    raw.listen();
    await assert.rejects(raw.sendRequest(methods.ToolsCall.type, { name: 'echo', arguments: { text: 'x' } }), /send "initialize" first/);
    raw.dispose();
    await link.transport.close();
  });

  it('calls a tool and returns its result', async () => {
    const { client } = await connected([echoTool]);
    const result = await client.callTool('echo', { text: 'hi' }, { timeoutMs: 5000 });
    assert.deepEqual(result, { content: [{ type: 'text', text: 'hi' }] });
    await client.close();
  });

  it('reports an unknown tool and bad arguments as INVALID_ARGUMENTS naming the problem', async () => {
    const { client } = await connected([echoTool]);
    await assert.rejects(client.callTool('nope', {}, { timeoutMs: 5000 }), assertWardenError('INVALID_ARGUMENTS', /Unknown tool: "nope"/));
    await assert.rejects(client.callTool('echo', { text: 5 }, { timeoutMs: 5000 }), assertWardenError('INVALID_ARGUMENTS', /field "text" must be string/));
    await assert.rejects(client.callTool('echo', {}, { timeoutMs: 5000 }), assertWardenError('INVALID_ARGUMENTS', /missing required field "text"/));
    const result = await client.callTool('echo', { text: 'still fine' }, { timeoutMs: 5000 });
    assert.deepEqual(result.content, [{ type: 'text', text: 'still fine' }]);
    await client.close();
  });

  it('cancels through notifications/cancelled with the request id and a reason', async () => {
    let aborted: (reason: unknown) => void = () => undefined;
    const abortSeen = new Promise<unknown>((resolve) => {
      aborted = resolve;
    });
    const { client, wire } = await connected([waitForCancelTool((reason) => aborted(reason))]);
    const controller = new AbortController();
    const call = client.callTool('wait', {}, { timeoutMs: 60_000, signal: controller.signal });
    controller.abort();
    await assert.rejects(call, assertWardenError('CANCELLED', /wait.*cancelled/));
    const reason = await abortSeen;
    assert.ok(reason instanceof Error);
    const request = wire.map((l) => JSON.parse(l)).find((m) => m.method === 'tools/call');
    const cancel = wire.map((l) => JSON.parse(l)).find((m) => m.method === 'notifications/cancelled');
    assert.deepEqual(cancel.params, { requestId: request.id, reason: 'cancelled by the caller' });
    await client.close();
  });

  it('times out a call, says so, and tells the server why it was cancelled', async () => {
    let timeoutAbort: (reason: unknown) => void = () => undefined;
    const abortSeen = new Promise<unknown>((resolve) => {
      timeoutAbort = resolve;
    });
    const { client, wire } = await connected([waitForCancelTool((reason) => timeoutAbort(reason)), echoTool]);
    await assert.rejects(client.callTool('wait', {}, { timeoutMs: 40 }), assertWardenError('TIMEOUT', /tool "wait" call timed out after 40 ms/));
    await abortSeen;
    const cancel = wire.map((l) => JSON.parse(l)).find((m) => m.method === 'notifications/cancelled');
    assert.equal(cancel.params.reason, 'timed out after 40 ms');
    const after = await client.callTool('echo', { text: 'next' }, { timeoutMs: 5000 });
    assert.deepEqual(after.content, [{ type: 'text', text: 'next' }]);
    await client.close();
  });

  it('delivers progress notifications for the call that asked for them', async () => {
    const { client } = await connected([progressTool]);
    const seen: string[] = [];
    const result = await client.callTool('count', { steps: 3 }, { timeoutMs: 5000, onProgress: (p) => seen.push(`${p.progress}/${p.total} ${p.message}`) });
    assert.deepEqual(result.content, [{ type: 'text', text: 'counted 3' }]);
    assert.deepEqual(seen, ['1/3 step 1', '2/3 step 2', '3/3 step 3']);
    await client.close();
  });

  it('fails a pending call with SERVER_CRASHED when the server goes away', async () => {
    const { client, link } = await connected([waitForCancelTool(() => undefined)]);
    const closed = new Promise<TransportExit>((resolve) => client.onDidClose(resolve));
    const call = client.callTool('wait', {}, { timeoutMs: 60_000 });
    link.crash(3);
    await assert.rejects(call, assertWardenError('SERVER_CRASHED', /exited with code 3 before answering the tool "wait" call/));
    assert.deepEqual(await closed, { code: 3, signal: null });
    await assert.rejects(client.callTool('wait', {}, { timeoutMs: 100 }), assertWardenError('SERVER_CRASHED', /exited with code 3/));
  });
});
