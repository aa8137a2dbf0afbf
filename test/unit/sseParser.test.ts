import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SseParser, type SseEvent } from '../../src/core/transport/sseParser';

function parse(chunks: readonly (string | Uint8Array)[], maxEventBytes = 1024) {
  const events: SseEvent[] = [];
  const retries: number[] = [];
  const oversize: number[] = [];
  const parser = new SseParser({ onEvent: (e) => events.push(e), onRetry: (ms) => retries.push(ms), onOversize: (limit) => oversize.push(limit) }, maxEventBytes);
  for (const chunk of chunks) parser.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
  return { events, retries, oversize, parser };
}

/** Every way of cutting `text` in two. */
function splits(text: string): [Uint8Array, Uint8Array][] {
  const bytes = Buffer.from(text, 'utf8');
  return Array.from({ length: bytes.length + 1 }, (_, i) => [bytes.subarray(0, i), bytes.subarray(i)]);
}

describe('the server-sent events parser', () => {
  it('parses events, their types and ids', () => {
    const { events, parser } = parse(['event: message\nid: 1\ndata: {"a":1}\n\n', 'data: two\nid: 2\n\n']);
    assert.deepEqual(events, [
      { event: 'message', data: '{"a":1}', id: '1' },
      { event: 'message', data: 'two', id: '2' },
    ]);
    assert.equal(parser.lastEventId, '2');
  });

  it('gives the same events however the bytes are split, CRLF pairs and UTF-8 sequences included', () => {
    const text = 'id: é1\r\ndata: h\u00e9llo \u{1F600}\r\ndata: second line\r\n\r\n:comment\rdata:x\r\r';
    const expected = [
      { event: 'message', data: 'h\u00e9llo \u{1F600}\nsecond line', id: 'é1' },
      { event: 'message', data: 'x', id: 'é1' },
    ];
    for (const [a, b] of splits(text)) {
      assert.deepEqual(parse([a, b]).events, expected, `split at ${a.length}`);
    }
    const oneByteAtATime = [...Buffer.from(text, 'utf8')].map((byte) => Uint8Array.of(byte));
    assert.deepEqual(parse(oneByteAtATime).events, expected);
  });

  it('joins multi-line data with newlines and strips one leading space only', () => {
    const { events } = parse(['data:  two spaces\ndata\ndata:last\n\n']);
    assert.deepEqual(events, [{ event: 'message', data: ' two spaces\n\nlast', id: undefined }]);
  });

  it('skips comments, unknown fields and events without data, but keeps their ids', () => {
    const { events, parser } = parse([': keep-alive\n\n', 'id: primed\ndata:\n', '\n', 'id: 7\n\n', 'foo: bar\ndata: after\n\n']);
    assert.deepEqual(events, [
      { event: 'message', data: '', id: 'primed' },
      { event: 'message', data: 'after', id: '7' },
    ]);
    assert.equal(parser.lastEventId, '7');
  });

  it('resets the id on an empty id field and ignores an id holding NUL', () => {
    const { parser } = parse(['id: 3\n\nid\n\n']);
    assert.equal(parser.lastEventId, undefined);
    const nul = parse(['id: 4\n\nid: a\0b\n\n']);
    assert.equal(nul.parser.lastEventId, '4');
  });

  it('reports a retry delay given in digits only', () => {
    assert.deepEqual(parse(['retry: 1500\n', 'retry: soon\n', 'retry: 20\n\n']).retries, [1500, 20]);
  });

  it('drops an event cut off by the end of the stream', () => {
    const { events, parser } = parse(['data: complete\n\ndata: cut']);
    parser.end();
    assert.deepEqual(events.map((e) => e.data), ['complete']);
  });

  it('discards an event over the cap up to its blank line, reports it, and goes on', () => {
    const big = 'x'.repeat(100);
    const { events, oversize } = parse([`data: ${big}\ndata: more\n\ndata: ok\n\n`], 50);
    assert.deepEqual(oversize, [50]);
    assert.deepEqual(events.map((e) => e.data), ['ok']);
  });

  it('discards an over-long line that arrives in pieces without buffering it', () => {
    const { events, oversize } = parse(['data: ', 'y'.repeat(40), 'y'.repeat(40), 'y'.repeat(40), '\n', 'data: rest of it\n', '\n', 'data: next\n\n'], 50);
    assert.deepEqual(oversize, [50]);
    assert.deepEqual(events.map((e) => e.data), ['next']);
  });
});
