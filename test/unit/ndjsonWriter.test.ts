import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import type { NotificationMessage } from 'vscode-jsonrpc/node';
import { BATCH_BYTES, NdjsonMessageWriter } from '../../src/core/transport/ndjsonWriter';

/** A sink that holds each write until the test releases it, to observe what is in flight. */
class HeldSink extends Writable {
  readonly writes: string[] = [];
  private release: (() => void) | undefined;
  constructor() {
    super({ highWaterMark: 1 });
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.writes.push(chunk.toString('utf8'));
    this.release = () => callback();
  }
  releaseOne(): void {
    const release = this.release;
    this.release = undefined;
    release?.();
  }
}

const note = (n: number): NotificationMessage => ({ jsonrpc: '2.0', method: 'note', params: { n } });
const message = (m: NotificationMessage): NotificationMessage => m;

describe('NdjsonMessageWriter', () => {
  it('writes one JSON message per line, newlines inside strings escaped', async () => {
    const sink = new HeldSink();
    const writer = new NdjsonMessageWriter(sink);
    const done = writer.write(message({ jsonrpc: '2.0', method: 'say', params: { text: 'two\nlines' } }));
    sink.releaseOne();
    await done;
    assert.equal(sink.writes.join(''), '{"jsonrpc":"2.0","method":"say","params":{"text":"two\\nlines"}}\n');
  });

  it('keeps one write in flight and sends what queued behind it as one batch, in order', async () => {
    const sink = new HeldSink();
    const writer = new NdjsonMessageWriter(sink);
    const first = writer.write(note(1));
    const rest = [writer.write(note(2)), writer.write(note(3)), writer.write(note(4))];
    assert.equal(sink.writes.length, 1, 'only the first write may be in flight');
    sink.releaseOne();
    await first;
    assert.equal(sink.writes.length, 2);
    assert.deepEqual(
      sink.writes[1]!.trimEnd().split('\n').map((line) => JSON.parse(line).params.n),
      [2, 3, 4],
    );
    sink.releaseOne();
    await Promise.all(rest);
  });

  it('never joins large messages: a backlog goes out in batches within the limit, in order', async () => {
    const sink = new HeldSink();
    const writer = new NdjsonMessageWriter(sink);
    const big = (n: number): NotificationMessage => ({ jsonrpc: '2.0', method: 'big', params: { n, text: 'x'.repeat(BATCH_BYTES / 2) } });
    const numbers = (chunk: string): number[] => chunk.trimEnd().split('\n').map((line) => JSON.parse(line).params.n);
    const first = writer.write(note(0));
    const [big1, note2, note3, big4, big5] = [writer.write(big(1)), writer.write(note(2)), writer.write(note(3)), writer.write(big(4)), writer.write(big(5))];
    sink.releaseOne();
    await first;
    assert.deepEqual(numbers(sink.writes[1]!), [1, 2, 3], 'a large message and the small ones after it fit one batch');
    sink.releaseOne();
    await Promise.all([big1, note2, note3]);
    assert.deepEqual(numbers(sink.writes[2]!), [4], 'two large messages do not fit one batch');
    sink.releaseOne();
    await big4;
    assert.deepEqual(numbers(sink.writes[3]!), [5]);
    sink.releaseOne();
    await big5;
    assert.equal(sink.writes.length, 4);
    for (const chunk of sink.writes) assert.ok(chunk.length <= BATCH_BYTES, `a write of ${chunk.length} characters exceeds the batch limit`);
  });

  it('rejects writes after end() with a clear message', async () => {
    const sink = new HeldSink();
    const writer = new NdjsonMessageWriter(sink);
    writer.end();
    await assert.rejects(writer.write(note(1)), /connection is closed/);
  });

  it('rejects a message that cannot be serialised, and keeps working', async () => {
    const sink = new HeldSink();
    const writer = new NdjsonMessageWriter(sink);
    await assert.rejects(writer.write(message({ jsonrpc: '2.0', method: 'big', params: { n: 10n } })), /BigInt/);
    const ok = writer.write(note(5));
    sink.releaseOne();
    await ok;
    assert.equal(sink.writes.length, 1);
  });
});
