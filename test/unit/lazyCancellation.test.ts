import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import { LazyCancellation } from '../../src/servers/shared/lazyCancellation';

describe('a tool call\'s lazily made AbortSignal', () => {
  it('aborts, with the reason, when the client cancels after the tool took the signal', () => {
    const source = new CancellationTokenSource();
    const cancellation = new LazyCancellation(source.token);
    const signal = cancellation.signal;
    let reason: unknown;
    signal.addEventListener('abort', () => (reason = signal.reason));
    assert.equal(signal.aborted, false);
    source.cancel();
    assert.equal(signal.aborted, true);
    assert.ok(reason instanceof Error && /cancelled the call/.test(reason.message), String(reason));
    assert.equal(cancellation.signal, signal, 'the same signal every time it is asked for');
  });

  it('is already aborted when the tool first asks for it after the client cancelled', () => {
    const source = new CancellationTokenSource();
    const cancellation = new LazyCancellation(source.token);
    source.cancel();
    assert.equal(cancellation.signal.aborted, true);
  });

  it('no longer follows the token once the call is over', () => {
    const source = new CancellationTokenSource();
    const cancellation = new LazyCancellation(source.token);
    const signal = cancellation.signal;
    cancellation.dispose();
    source.cancel();
    assert.equal(signal.aborted, false);
  });
});
