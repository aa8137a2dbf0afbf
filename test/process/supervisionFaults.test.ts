/**
 * The fixture server misbehaves in one way per test; each test checks what the caller sees, the
 * order of the server's states, that the next call is served, and that no process is left over.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { ServerState } from '../../src/core/host/serverState';
import { nextEvent } from '../helpers/events';
import { isAlive } from '../helpers/processes';
import { firstText, hostPerTest, wardenFailure, type HostedFixture } from '../helpers/supervisedHost';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'warden-faults-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
let markers = 0;
const marker = (): string => path.join(tmp, `marker-${++markers}`);

const host = hostPerTest();
const failure = wardenFailure;
const text = firstText;

function runningPid(state: ServerState): number | undefined {
  return state.kind === 'running' ? state.pid : undefined;
}

const echo = (fixture: HostedFixture, value: string, timeoutMs = 10_000) =>
  fixture.server.callTool('echo', { text: value }, { timeoutMs }).then(text);

describe('a server that stops answering', () => {
  it('times out a call that hangs, keeps a server that still answers ping, and serves the next call', async () => {
    const fx = await host({ deps: { supervision: { hangGraceMs: 2_000 } } });
    const pid = runningPid(fx.server.state);
    const error = await failure(fx.server.callTool('hang', {}, { timeoutMs: 150 }), 'TIMEOUT');
    assert.match(error.message, /^The tool "hang" call timed out after 150 ms\./);
    await fx.lines.waitFor(/^cancelled \d+: timed out after 150 ms$/);
    await fx.lines.waitFor(/The tool "hang" call timed out; the server still answers ping, so it keeps running\./);
    assert.equal(await echo(fx, 'next'), 'next');
    assert.equal(runningPid(fx.server.state), pid, 'the same process');
    assert.deepEqual(fx.states, ['starting', 'running']);
    assert.deepEqual(await fx.dispose(), []);
  });

  it('answers TIMEOUT at the timeout, then kills and restarts a server that does not answer ping in the grace', async () => {
    const fx = await host({ deps: { supervision: { hangGraceMs: 300 } } });
    const pid = runningPid(fx.server.state);
    assert.ok(pid);
    const order: string[] = [];
    fx.server.onDidChangeState((s) => order.push(s.kind));
    const back = nextEvent(fx.server.onDidChangeState, (s) => s.kind === 'running');
    const error = await failure(
      fx.server.callTool('freeze', {}, { timeoutMs: 200 }).finally(() => order.push('caller told')),
      'TIMEOUT',
    );
    assert.match(error.message, /tool "freeze" call timed out after 200 ms/);
    const again = await back;
    assert.deepEqual(order, ['caller told', 'restarting', 'starting', 'running'], 'the caller hears at the timeout, before the grace ends');
    assert.ok(fx.lines.some(/Stopping the server: it stopped answering: the tool "freeze" call timed out and it did not answer a ping within 300 ms\./));
    const restarting = fx.states.indexOf('restarting');
    assert.ok(restarting > 0);
    assert.notEqual(runningPid(again), pid);
    assert.equal(isAlive(pid), false);
    assert.equal(await echo(fx, 'after the freeze'), 'after the freeze');
    assert.deepEqual(await fx.dispose(), []);
  });

  it('kills and restarts a server that does not answer an idle ping', async () => {
    const fx = await host({
      args: ['--ignore-ping', '--once', marker()],
      deps: { supervision: { idlePingMs: 150, pingTimeoutMs: 400 } },
    });
    const first = runningPid(fx.server.state);
    const back = await nextEvent(fx.server.onDidChangeState, (s) => s.kind === 'running');
    assert.deepEqual(fx.states, ['starting', 'running', 'restarting', 'starting', 'running']);
    assert.ok(fx.lines.some(/^ignoring ping$/));
    assert.ok(fx.lines.some(/it did not answer a ping within 400 ms after \d+ ms without traffic/));
    assert.notEqual(runningPid(back), first);
    assert.equal(await echo(fx, 'pinged'), 'pinged');
    assert.deepEqual(await fx.dispose(), []);
  });
});

describe('a server that fails to start', () => {
  it('retries a server that hangs on initialize; a call made meanwhile waits and is served', async () => {
    const fx = await host({ args: ['--hang-on-initialize', '--once', marker()], deps: { timeouts: { initializeMs: 2_500, listToolsMs: 5_000 } } });
    assert.equal(fx.server.state.kind, 'restarting');
    assert.match(fx.server.state.kind === 'restarting' ? fx.server.state.reason : '', /start failed: The initialize call timed out after 2500 ms/);
    assert.equal(await echo(fx, 'waited'), 'waited');
    assert.deepEqual(fx.states, ['starting', 'restarting', 'starting', 'running']);
    assert.ok(fx.lines.some(/^hanging on initialize$/));
    assert.deepEqual(await fx.dispose(), []);
  });

  it('retries a server that exits during a slow start', async () => {
    const fx = await host({ args: ['--exit-during-initialize', '4', '--once', marker()] });
    assert.match(fx.server.state.kind === 'restarting' ? fx.server.state.reason : '', /start failed: The server exited with code 4 before answering the initialize call/);
    assert.equal(await echo(fx, 'second start'), 'second start');
    assert.deepEqual(fx.states, ['starting', 'restarting', 'starting', 'running']);
    assert.deepEqual(await fx.dispose(), []);
  });

  it('gives up on a server that always exits during start, and says why to the caller', async () => {
    const fx = await host({ args: ['--exit-during-initialize', '5'] });
    const gaveUp = fx.server.state.kind === 'error' ? fx.server.state : await nextEvent(fx.server.onDidChangeState, (s) => s.kind === 'error');
    assert.match(gaveUp.kind === 'error' ? gaveUp.message : '', /exited with code 5 before answering the initialize call; crashed 3 times/);
    const error = await failure(fx.server.callTool('echo', { text: 'x' }, { timeoutMs: 1000 }), 'SERVER_NOT_RUNNING');
    assert.match(error.message, /Server "fx" is not running \(Error: .*\)\. Start it with "Warden: Restart Server"\./);
    assert.deepEqual(fx.states, ['starting', 'restarting', 'starting', 'restarting', 'starting', 'error']);
    assert.deepEqual(await fx.dispose(), []);
  });
});

describe('a server that breaks the protocol', () => {
  it('logs and skips noise and malformed JSON-RPC on stdout, and answers', async () => {
    const fx = await host({ args: ['--garbage'] });
    const result = await fx.server.callTool('garbage', {}, { timeoutMs: 10_000 });
    assert.equal(text(result), 'answered after the noise');
    await fx.lines.waitFor(/^\[stdout, not JSON\] Welcome to the misbehaving server!$/);
    await fx.lines.waitFor(/^\[stdout, not JSON\] this is not JSON$/);
    assert.ok(fx.lines.some(/protocol: Skipped a malformed JSON-RPC message \(neither a method nor an id\)/));
    assert.ok(fx.lines.some(/protocol: Skipped a malformed JSON-RPC message \(jsonrpc is not "2.0"\)/));
    assert.ok(fx.lines.some(/protocol: Skipped a malformed JSON-RPC message \(batches are not part of MCP\)/));
    assert.deepEqual(fx.states, ['starting', 'running']);
    assert.deepEqual(await fx.dispose(), []);
  });

  it('stops a server that sends a 50 MB line past its 1 MB limit, fails the call, and restarts it', async () => {
    const fx = await host({ definition: { maxMessageBytes: 1024 * 1024 } });
    const back = nextEvent(fx.server.onDidChangeState, (s) => s.kind === 'running');
    const error = await failure(fx.server.callTool('huge', { megabytes: 50 }, { timeoutMs: 20_000 }), 'PROTOCOL_ERROR');
    assert.equal(
      error.message,
      'Warden stopped the server before it answered the tool "huge" call: it sent a message larger than the 1048576-byte limit, so an answer was lost.',
    );
    await back;
    assert.deepEqual(fx.states, ['starting', 'running', 'restarting', 'starting', 'running']);
    assert.equal(await echo(fx, 'small again'), 'small again');
    assert.deepEqual(await fx.dispose(), []);
  });

  it('drops and logs a second response to the same id', async () => {
    const fx = await host();
    const result = await fx.server.callTool('twice', { text: 'first answer' }, { timeoutMs: 10_000 });
    assert.equal(text(result), 'first answer');
    await fx.lines.waitFor(/^protocol: dropped a second response for id \d+: the request was already answered$/);
    assert.equal(await echo(fx, 'still fine'), 'still fine');
    assert.deepEqual(await fx.dispose(), []);
  });

  it('drops and logs a response for an id never sent', async () => {
    const fx = await host();
    const result = await fx.server.callTool('stray', { id: 987654 }, { timeoutMs: 10_000 });
    assert.equal(text(result), 'answered');
    await fx.lines.waitFor(/^protocol: dropped a response for unknown id 987654: no request with that id was sent$/);
    assert.deepEqual(fx.states, ['starting', 'running']);
    assert.deepEqual(await fx.dispose(), []);
  });
});

describe('stderr', () => {
  it('rate-limits a flood into the log, with a count of the lines held back', async () => {
    const fx = await host({ launch: { outputLinesPerSecond: 50 } });
    const result = await fx.server.callTool('stderr', { lines: 5000 }, { timeoutMs: 10_000 });
    assert.equal(text(result), 'wrote 5000 lines');
    // Stopping reads stderr to its end and writes the last summary.
    assert.deepEqual(await fx.dispose(), []);
    const passed = fx.lines.lines.filter((line) => /^flood line \d+$/.test(line)).length;
    const suppressed = fx.lines.lines
      .flatMap((line) => /^suppressed ([\d,]+) lines? of server output \(more than 50 a second\)$/.exec(line)?.[1] ?? [])
      .reduce((sum, count) => sum + Number(count.replace(/,/g, '')), 0);
    assert.ok(suppressed > 0, 'some lines were held back');
    assert.equal(passed + suppressed, 5000, 'every line is either logged or counted');
  });

  it('cuts an extremely long line and skips the rest of it', async () => {
    const fx = await host();
    await fx.server.callTool('stderr', { lines: 1, length: 200_000 }, { timeoutMs: 10_000 });
    await fx.server.callTool('stderr', { lines: 1 }, { timeoutMs: 10_000 });
    await fx.lines.waitFor(/^flood line 1$/);
    const long = fx.lines.lines.filter((line) => line.startsWith('1:y'));
    assert.equal(long.length, 1, 'one log line for the long line');
    assert.equal(long[0]?.length, 4000 + '… [line cut at 4000 characters]'.length);
    assert.ok(long[0]?.endsWith('… [line cut at 4000 characters]'));
    assert.equal(fx.lines.lines.filter((line) => /^y+$/.test(line)).length, 0, 'no tail of it');
    assert.deepEqual(await fx.dispose(), []);
  });
});
