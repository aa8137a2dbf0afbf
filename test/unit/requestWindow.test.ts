import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { RequestType, createMessageConnection, type MessageConnection } from 'vscode-jsonrpc/node';
import { NdjsonMessageReader } from '../../src/core/transport/ndjsonReader';
import { NdjsonMessageWriter } from '../../src/core/transport/ndjsonWriter';
import { RequestWindow } from '../../src/servers/shared/requestWindow';

const Work = new RequestType<{ n: number }, number, void>('work');

/** A server connection behind a window, whose `work` handler runs until the test finishes it. */
function windowedServer(limit: number) {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const flow: string[] = [];
  const window = new RequestWindow({ reader: new NdjsonMessageReader(toServer), writer: new NdjsonMessageWriter(toClient) }, limit, {
    pause: () => flow.push('pause'),
    resume: () => flow.push('resume'),
  });
  const server = createMessageConnection(window.reader, window.writer);
  const running = new Map<number, () => void>();
  const started: number[] = [];
  let peak = 0;
  const startedWaiters: Array<() => void> = [];
  server.onRequest(Work, ({ n }) => {
    started.push(n);
    peak = Math.max(peak, running.size + 1);
    for (const wake of startedWaiters.splice(0)) wake();
    return new Promise<number>((resolve) => running.set(n, () => resolve(n * 10)));
  });
  const notes: string[] = [];
  server.onNotification('note', (params: { text: string }) => {
    notes.push(params.text);
  });
  server.listen();
  const client: MessageConnection = createMessageConnection(new NdjsonMessageReader(toClient), new NdjsonMessageWriter(toServer));
  client.listen();
  const whenStarted = async (count: number): Promise<void> => {
    while (started.length < count) await new Promise<void>((resolve) => startedWaiters.push(resolve));
  };
  const finish = (n: number): void => {
    const done = running.get(n);
    assert.ok(done, `request ${n} is not running`);
    running.delete(n);
    done();
  };
  return { window, client, server, flow, started, notes, whenStarted, finish, peak: () => peak };
}

describe('RequestWindow', () => {
  it('runs at most `limit` requests, holds the rest with the input paused, and answers all in order of arrival', async () => {
    const s = windowedServer(2);
    const replies = [1, 2, 3, 4, 5].map((n) => s.client.sendRequest(Work, { n }));
    await s.whenStarted(2);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(s.started, [1, 2]);
    assert.equal(s.window.waiting, 3);
    assert.deepEqual(s.flow, ['pause']);
    s.finish(1);
    await s.whenStarted(3);
    assert.deepEqual(s.started, [1, 2, 3]);
    s.finish(2);
    s.finish(3);
    await s.whenStarted(5);
    assert.deepEqual(s.flow, ['pause', 'resume'], 'the input resumes once nothing is held');
    s.finish(4);
    s.finish(5);
    assert.deepEqual(await Promise.all(replies), [10, 20, 30, 40, 50]);
    assert.equal(s.peak(), 2);
    assert.equal(s.window.inFlight, 0);
    s.client.dispose();
    s.server.dispose();
  });

  it('lets notifications through while requests are held', async () => {
    const s = windowedServer(1);
    const replies = [1, 2].map((n) => s.client.sendRequest(Work, { n }));
    await s.whenStarted(1);
    await s.client.sendNotification('note', { text: 'while held' });
    while (s.notes.length === 0) await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(s.notes, ['while held']);
    assert.deepEqual(s.started, [1]);
    s.finish(1);
    await s.whenStarted(2);
    s.finish(2);
    assert.deepEqual(await Promise.all(replies), [10, 20]);
    s.client.dispose();
    s.server.dispose();
  });

  it('drops a held request that is cancelled, without running or answering it', async () => {
    const s = windowedServer(1);
    const first = s.client.sendRequest(Work, { n: 1 });
    s.client.sendRequest(Work, { n: 2 }).then(
      () => assert.fail('a dropped request must not be answered'),
      () => undefined,
    );
    const third = s.client.sendRequest(Work, { n: 3 });
    await s.whenStarted(1);
    while (s.window.waiting < 2) await new Promise((resolve) => setImmediate(resolve));
    // vscode-jsonrpc numbers requests from 0: request n has id n - 1.
    await s.client.sendNotification('notifications/cancelled', { requestId: 1 });
    while (s.window.waiting > 1) await new Promise((resolve) => setImmediate(resolve));
    s.finish(1);
    await s.whenStarted(2);
    assert.deepEqual(s.started, [1, 3], 'the cancelled request never ran');
    s.finish(3);
    assert.deepEqual(await Promise.all([first, third]), [10, 30]);
    s.client.dispose();
    s.server.dispose();
  });

  it('refuses a window that is not a positive integer', () => {
    const io = { reader: new NdjsonMessageReader(new PassThrough()), writer: new NdjsonMessageWriter(new PassThrough()) };
    const flow = { pause: () => undefined, resume: () => undefined };
    assert.throws(() => new RequestWindow(io, 0, flow), /positive integer, not 0/);
    assert.throws(() => new RequestWindow(io, 1.5, flow), /positive integer, not 1.5/);
  });
});
