import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CallToolResultSchema, LoggingMessageNotificationSchema, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { RunningGateway, writeFixtureGatewayConfig } from '../helpers/gatewayProcess';
import { SseReader, type SseEvent } from '../helpers/sseEvents';

const TOKEN = 'test-token-0123456789abcdef';

/** A client speaking raw HTTP to the gateway, to see status codes, headers and events as sent. */
class RawClient {
  sessionId = '';
  private nextId = 1;

  constructor(private readonly url: string) {}

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      authorization: `Bearer ${TOKEN}`,
      'mcp-protocol-version': '2025-11-25',
      ...(this.sessionId !== '' && { 'mcp-session-id': this.sessionId }),
      ...extra,
    };
  }

  post(message: object, extra: Record<string, string> = {}): Promise<Response> {
    return fetch(this.url, { method: 'POST', headers: this.headers(extra), body: JSON.stringify({ jsonrpc: '2.0', ...message }) });
  }

  async request(method: string, params: object = {}, extra: Record<string, string> = {}): Promise<{ status: number; body: { result?: Record<string, unknown>; error?: { code: number; message: string } } }> {
    const response = await this.post({ id: this.nextId++, method, params }, { accept: 'application/json', ...extra });
    return { status: response.status, body: (await response.json()) as never };
  }

  /** Starts a session: initialize, then notifications/initialized, then tools/list (so list_changed applies). */
  async initialize(name: string): Promise<string> {
    this.sessionId = '';
    const init = await this.post({ id: this.nextId++, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name, version: '1' } } });
    assert.equal(init.status, 200, await init.text());
    this.sessionId = init.headers.get('mcp-session-id') ?? '';
    assert.notEqual(this.sessionId, '');
    assert.equal((await this.post({ method: 'notifications/initialized' })).status, 202);
    assert.equal((await this.request('tools/list')).status, 200);
    return this.sessionId;
  }

  /** Opens the standing stream and waits for its first event, which says it is attached. */
  async openStream(lastEventId?: string): Promise<{ reader: SseReader; first: SseEvent }> {
    const response = await this.get(lastEventId);
    assert.equal(response.status, 200, await (response.status === 200 ? Promise.resolve('') : response.text()));
    assert.equal(response.headers.get('content-type'), 'text/event-stream');
    const reader = new SseReader(response);
    const first = await reader.next();
    assert.ok(first, 'the stream sends an event at once');
    return { reader, first };
  }

  get(lastEventId?: string, extra: Record<string, string> = {}): Promise<Response> {
    return fetch(this.url, { method: 'GET', headers: this.headers({ accept: 'text/event-stream', ...(lastEventId !== undefined && { 'last-event-id': lastEventId }), ...extra }) });
  }
}

function message(event: SseEvent | undefined): { method?: string; params?: Record<string, unknown> } {
  assert.ok(event, 'an event, not the end of the stream');
  return JSON.parse(event.data) as never;
}

async function nextNotification(reader: SseReader, method: string): Promise<SseEvent> {
  for (;;) {
    const event = await reader.nextMessage();
    if (message(event).method === method) return event!;
  }
}

describe('the gateway\'s standing stream over HTTP', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'warden-gateway-streams-'));
  let gateway: RunningGateway | undefined;
  let url = '';

  before(async () => {
    gateway = await RunningGateway.start(['--config', writeFixtureGatewayConfig(tmp), '--http', '127.0.0.1:0', '--token', TOKEN]);
    url = gateway.url;
  });

  after(async () => {
    await gateway?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('tells an SDK client on its GET stream that the hosted tools changed, and logs server restarts there', async () => {
    let streamOpened: () => void = () => undefined;
    const opened = new Promise<void>((resolve) => (streamOpened = resolve));
    const transport = new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } },
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        if (init?.method === 'GET' && response.ok) streamOpened();
        return response;
      },
    });
    const client = new Client({ name: 'stream-test-client', version: '1.0.0' });
    const changed: unknown[] = [];
    let listChanged: () => void = () => undefined;
    client.setNotificationHandler(ToolListChangedNotificationSchema, (n) => {
      changed.push(n);
      listChanged();
    });
    const logs: Array<{ level: string; data: unknown }> = [];
    let logged: () => void = () => undefined;
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      logs.push(n.params);
      logged();
    });
    await client.connect(transport);
    try {
      await opened;
      assert.ok((await client.listTools()).tools.some((t) => t.name === 'fx__echo'));
      const notified = new Promise<void>((resolve) => (listChanged = resolve));
      const result = CallToolResultSchema.parse(await client.callTool({ name: 'fx__mutate', arguments: { description: 'changed for the SDK client' } }));
      assert.deepEqual(result.content, [{ type: 'text', text: 'echo changed' }]);
      await notified;
      const echo = (await client.listTools()).tools.find((t) => t.name === 'fx__echo');
      assert.equal(echo?.description, 'changed for the SDK client');

      const runningAgain = new Promise<void>((resolve) => {
        logged = () => {
          if (logs.some((l) => l.level === 'info' && (l.data as { state?: string }).state === 'running')) resolve();
        };
      });
      const crashed = CallToolResultSchema.parse(await client.callTool({ name: 'fx__crash', arguments: {} }));
      assert.equal(crashed.isError, true);
      await runningAgain;
      const restarting = logs.find((l) => (l.data as { state?: string }).state === 'restarting');
      assert.equal(restarting?.level, 'warning');
      assert.match((restarting?.data as { message: string }).message, /^Server "fx": /);
    } finally {
      await client.close();
    }
  });

  it('refuses a second standing stream, and carries progress of a call answered as JSON', async () => {
    const raw = new RawClient(url);
    await raw.initialize('raw-progress');
    const { reader, first } = await raw.openStream();
    assert.equal(first.data, '', 'the first event primes the stream');
    assert.match(first.id ?? '', /^\d+$/);
    const second = await raw.get();
    assert.equal(second.status, 409);
    assert.match(((await second.json()) as { error: string }).error, /already has a standing stream/);
    assert.equal((await raw.get(undefined, { accept: 'application/json' })).status, 406);

    const call = await raw.request('tools/call', { name: 'fx__tick', arguments: { steps: 2, intervalMs: 5 }, _meta: { progressToken: 'p1' } });
    assert.deepEqual(call.body.result?.content, [{ type: 'text', text: 'ticked 2' }]);
    const progress = [await nextNotification(reader, 'notifications/progress'), await nextNotification(reader, 'notifications/progress')];
    assert.deepEqual(progress.map((e) => message(e).params), [{ progressToken: 'p1', progress: 1, total: 2 }, { progressToken: 'p1', progress: 2, total: 2 }]);
    assert.deepEqual(progress.map((e) => Number(e.id)), [Number(first.id) + 1, Number(first.id) + 2], 'each event has the next id');
    await reader.cancel();
  });

  it('replays what a client missed when it reconnects with Last-Event-ID, and says when events were lost', async () => {
    const observer = new RawClient(url);
    await observer.initialize('raw-observer');
    const watching = await observer.openStream();

    const raw = new RawClient(url);
    await raw.initialize('raw-resume');
    const { reader, first } = await raw.openStream();
    await reader.cancel();

    const mutate = await raw.request('tools/call', { name: 'fx__mutate', arguments: { description: 'changed while away' } });
    assert.equal(mutate.status, 200);
    // The observer is told in the same turn as every other session: the missed event exists now.
    await nextNotification(watching.reader, 'notifications/tools/list_changed');

    const resumed = await raw.openStream(first.id);
    assert.equal(message(resumed.first).method, 'notifications/tools/list_changed', 'the missed event comes first');
    assert.equal(resumed.first.id, String(Number(first.id) + 1));

    const lost = await raw.openStream('12345');
    assert.deepEqual(lost.first.comments, ['resuming: event "12345" was never sent on this stream; list tools again']);
    assert.equal(message(lost.first).method, 'notifications/tools/list_changed', 'a client that lost events is told to list again');
    assert.equal(await resumed.reader.next(), undefined, 'reconnecting replaced the previous stream');
    await lost.reader.cancel();
    await watching.reader.cancel();
  });

  it('ends a session on DELETE: its stream closes and its id is not found any more', async () => {
    const raw = new RawClient(url);
    await raw.initialize('raw-delete');
    const { reader } = await raw.openStream();
    const deleted = await fetch(url, { method: 'DELETE', headers: raw.headers() });
    assert.equal(deleted.status, 204);
    assert.equal(await reader.next(), undefined, 'the standing stream ended');
    const ping = await raw.request('ping');
    assert.equal(ping.status, 404);
    assert.equal(ping.body.error?.code, -32001);
    assert.equal((await raw.get()).status, 404);
    assert.equal((await fetch(url, { method: 'DELETE', headers: raw.headers() })).status, 404);
  });
});

describe('gateway HTTP sessions that idle out', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'warden-gateway-expiry-'));
  let gateway: RunningGateway | undefined;

  before(async () => {
    gateway = await RunningGateway.start(['--config', writeFixtureGatewayConfig(tmp, { http: { sessionIdleSeconds: 1 } }), '--http', '127.0.0.1:0', '--token', TOKEN]);
  });

  after(async () => {
    await gateway?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('answers 404 once a session expired, and the client initializes a new one', async () => {
    const raw = new RawClient(gateway!.url);
    const expired = await raw.initialize('raw-expiry');
    await gateway!.waitForStderr(new RegExp(`session ${expired.slice(0, 8)} expired after idling`));
    const ping = await raw.request('ping');
    assert.equal(ping.status, 404);
    assert.match(ping.body.error?.message ?? '', /Initialize a new one/);
    assert.equal((await raw.get()).status, 404);

    const renewed = await raw.initialize('raw-expiry');
    assert.notEqual(renewed, expired);
    const listed = await raw.request('tools/list');
    assert.equal(listed.status, 200);
    assert.ok((listed.body.result?.tools as Array<{ name: string }>).some((t) => t.name === 'fx__echo'));
  });
});
