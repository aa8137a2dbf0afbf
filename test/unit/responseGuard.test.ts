import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Emitter, type Message, type MessageWriter } from 'vscode-jsonrpc/node';
import { ResponseGuard } from '../../src/core/client/responseGuard';
import { ManualClock } from '../helpers/manualClock';

function fakeWriter(fail = false): MessageWriter & { written: Message[] } {
  const written: Message[] = [];
  return {
    written,
    onError: new Emitter<[Error, Message | undefined, number | undefined]>().event,
    onClose: new Emitter<void>().event,
    write: (message) => {
      written.push(message);
      return fail ? Promise.reject(new Error('closed')) : Promise.resolve();
    },
    end: () => undefined,
    dispose: () => undefined,
  };
}

const request = (id: number): Message => ({ jsonrpc: '2.0', id, method: 'ping' }) as Message;
const response = (id: number | string): Message => ({ jsonrpc: '2.0', id, result: {} }) as Message;

describe('ResponseGuard', () => {
  it('passes the one response to each request sent, and drops and logs a second one or an unknown id', async () => {
    const lines: string[] = [];
    const guard = new ResponseGuard((line) => lines.push(line), new ManualClock());
    const writer = guard.wrapWriter(fakeWriter());
    await writer.write(request(16));
    await writer.write(request(17));
    const arriving = [response(17), response(17), response(99), response('abc'), { jsonrpc: '2.0', method: 'notifications/progress', params: {} } as Message];
    const passed = arriving.filter((m) => guard.admit(m));
    assert.deepEqual(passed.map((m) => ('id' in m ? m.id : 'notification')), [17, 'notification']);
    assert.deepEqual(lines, [
      'dropped a second response for id 17: the request was already answered',
      'dropped a response for unknown id 99: no request with that id was sent',
      'dropped a response for unknown id "abc": no request with that id was sent',
    ]);
    assert.equal(guard.awaitingCount, 1, 'request 16 is still awaited');
  });

  it('forgets a request whose write failed, and stamps the time of every message', async () => {
    const clock = new ManualClock();
    const guard = new ResponseGuard(() => undefined, clock);
    const started = guard.lastActivityAt;
    clock.advance(50);
    await assert.rejects(guard.wrapWriter(fakeWriter(true)).write(request(1)), /closed/);
    await Promise.resolve();
    assert.equal(guard.awaitingCount, 0);
    assert.equal(guard.lastActivityAt, started + 50);
    clock.advance(50);
    guard.admit(response(5));
    assert.equal(guard.lastActivityAt, started + 100);
  });
});
