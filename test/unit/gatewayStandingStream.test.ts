import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { StandingStream, type AttachOutcome } from '../../src/gateway/standingStream';
import { ManualClock } from '../helpers/manualClock';
import { SseReader } from '../helpers/sseEvents';

/** A local server whose every GET attaches to `stream`, reporting what attach answered. */
function serve(stream: () => StandingStream, outcomes: AttachOutcome[]): http.Server {
  return http.createServer((req, res) => {
    const lastEventId = req.headers['last-event-id'];
    const outcome = stream().attach(res, typeof lastEventId === 'string' ? lastEventId : undefined);
    outcomes.push(outcome);
    if (outcome.kind !== 'attached') res.writeHead(outcome.kind === 'conflict' ? 409 : 404).end();
  });
}

describe('a standing stream', () => {
  const clock = new ManualClock();
  const outcomes: AttachOutcome[] = [];
  let stream = new StandingStream({ replayEvents: 2, keepAliveMs: 15_000, clock, resync: () => ({ method: 'resync' }) });
  const server = serve(() => stream, outcomes);
  let url = '';

  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  const open = async (lastEventId?: string): Promise<SseReader> => {
    const response = await fetch(url, { headers: lastEventId === undefined ? {} : { 'last-event-id': lastEventId } });
    assert.equal(response.status, 200);
    return new SseReader(response);
  };

  it('primes, numbers its events, keeps alive, and refuses a second stream', async () => {
    stream.send({ n: 1 });
    const reader = await open();
    assert.deepEqual(await reader.next(), { id: '1', data: '', comments: [] }, 'primed with the last id sent');
    stream.send({ n: 2 });
    assert.deepEqual(await reader.next(), { id: '2', event: 'message', data: '{"n":2}', comments: [] });
    const second = await fetch(url);
    assert.equal(second.status, 409);
    assert.equal(outcomes.at(-1)?.kind, 'conflict');
    clock.advance(15_000);
    stream.send({ n: 3 });
    assert.deepEqual(await reader.next(), { id: '3', event: 'message', data: '{"n":3}', comments: ['keep-alive'] });
    assert.equal(clock.pendingTimers, 1, 'one keep-alive timer, re-armed');

    const resumed = await open('2');
    assert.equal(await reader.next(), undefined, 'a reconnection replaces the stream');
    assert.deepEqual(await resumed.next(), { id: '3', event: 'message', data: '{"n":3}', comments: [] });
    stream.send({ n: 4 });
    stream.send({ n: 5 });
    await resumed.next();
    await resumed.next();

    const late = await open('2');
    assert.deepEqual(await late.next(), {
      id: '6',
      event: 'message',
      data: '{"method":"resync"}',
      comments: ['resuming: 1 event(s) after 2 are no longer kept (only the last 2 are); list tools again'],
    });
    stream.close();
    assert.equal(await late.next(), undefined, 'closing ends the stream');
    assert.equal(clock.pendingTimers, 0, 'and its keep-alive');
    assert.equal((await fetch(url)).status, 404);
    assert.equal(outcomes.at(-1)?.kind, 'closed');
  });

  it('keeps the events sent while a client was away for its return', async () => {
    stream = new StandingStream({ replayEvents: 8, keepAliveMs: 15_000, clock, resync: () => ({ method: 'resync' }) });
    const reader = await open();
    const primed = await reader.next();
    await reader.cancel();
    stream.send({ n: 'missed' });
    const back = await open(primed?.id);
    assert.deepEqual(await back.next(), { id: '1', event: 'message', data: '{"n":"missed"}', comments: [] });
    stream.close();
  });
});
