import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HttpEndpoint } from '../../src/core/transport/httpEndpoint';
import { StandingStream, type ReconnectOptions } from '../../src/core/transport/standingStream';
import { ManualClock } from '../helpers/manualClock';

type Scripted = Response | Error;

/**
 * A client's standing GET stream against a scripted server: each GET takes the next scripted
 * answer (an SSE body, a status, or a network error) and records its Last-Event-ID.
 */
function scriptedStream(answers: Scripted[], reconnect: ReconnectOptions = { baseDelayMs: 100, maxDelayMs: 1_000, maxFailures: 3 }) {
  const clock = new ManualClock();
  const gets: (string | null)[] = [];
  const data: string[] = [];
  const fatal: { kind: string; message: string }[] = [];
  const log: string[] = [];
  let requested: () => void = () => undefined;
  const fetchImpl = (async (_url: URL, init: RequestInit) => {
    gets.push(new Headers(init.headers).get('last-event-id'));
    requested();
    const next = answers.shift();
    if (next === undefined) return new Promise<Response>(() => undefined); // the last GET stays open
    if (next instanceof Error) throw next;
    return next;
  }) as typeof fetch;
  const stream = new StandingStream({
    endpoint: new HttpEndpoint({ url: new URL('http://127.0.0.1:9/mcp'), fetch: fetchImpl }),
    clock,
    maxEventBytes: 1024,
    reconnect,
    onData: (text) => data.push(text),
    onOversize: () => log.push('oversize'),
    onFatal: (reason) => fatal.push(reason),
    log: (line) => log.push(line),
  });
  /** Resolves once the stream has made its `count`th GET. */
  const getNumber = (count: number) =>
    new Promise<void>((resolve) => {
      if (gets.length >= count) return resolve();
      requested = () => {
        if (gets.length >= count) resolve();
      };
    });
  return { clock, gets, data, fatal, log, stream, getNumber };
}

const sse = (text: string) => new Response(text, { status: 200, headers: { 'content-type': 'text/event-stream' } });

/** Lets the stream's reads and awaits run until it waits on the clock (bounded, never timed). */
async function untilWaiting(clock: ManualClock): Promise<void> {
  for (let turn = 0; turn < 1000 && clock.pendingTimers === 0; turn++) await new Promise((resolve) => setImmediate(resolve));
  assert.equal(clock.pendingTimers, 1, 'the stream should be waiting to reconnect');
}

describe('the standing GET stream of a remote session', () => {
  it('reconnects after a drop with the last event id it saw, after the delay the server asked for', async () => {
    const s = scriptedStream([sse('retry: 300\nid: 7\nevent: message\ndata: {"n":1}\n\n'), sse('id: 8\ndata: {"n":2}\n\n')]);
    s.stream.start();
    await untilWaiting(s.clock);
    assert.deepEqual(s.gets, [null], 'the first GET carries no Last-Event-ID');
    s.clock.advance(299);
    assert.equal(s.gets.length, 1, 'not before the retry delay the server sent');
    s.clock.advance(1);
    await s.getNumber(2);
    assert.equal(s.gets[1], '7');
    await untilWaiting(s.clock);
    assert.deepEqual(s.data, ['{"n":1}', '{"n":2}']);
    s.clock.advance(300);
    await s.getNumber(3);
    assert.equal(s.gets[2], '8', 'each reconnection resumes after the newest event');
    s.stream.dispose();
  });

  it('stops quietly when the server offers no standing stream (HTTP 405)', async () => {
    const s = scriptedStream([new Response(null, { status: 405 })]);
    s.stream.start();
    for (let turn = 0; turn < 100 && !s.log.some((l) => l.includes('405')); turn++) await new Promise((resolve) => setImmediate(resolve));
    assert.match(s.log.join('\n'), /offers no standing event stream \(HTTP 405\)/);
    assert.equal(s.clock.pendingTimers, 0, 'no reconnection is scheduled');
    assert.deepEqual(s.fatal, []);
  });

  it('reports the session gone on HTTP 404, and the server unreachable after failures in a row', async () => {
    const gone = scriptedStream([new Response(null, { status: 404 })]);
    gone.stream.start();
    for (let turn = 0; turn < 100 && gone.fatal.length === 0; turn++) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(gone.fatal[0]?.kind, 'sessionGone');

    const refused = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    const down = scriptedStream([refused, refused, refused]);
    down.stream.start();
    await untilWaiting(down.clock);
    down.clock.advance(200); // 100 ms × 2 after the first failure
    await down.getNumber(2);
    await untilWaiting(down.clock);
    down.clock.advance(400); // doubled again
    await down.getNumber(3);
    for (let turn = 0; turn < 100 && down.fatal.length === 0; turn++) await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(down.fatal.map((f) => f.kind), ['unreachable']);
    assert.match(down.fatal[0]!.message, /3 times in a row/);
    assert.match(down.log.join('\n'), /connection was refused \(ECONNREFUSED\)/);
  });
});
