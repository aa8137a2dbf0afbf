import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import type { Message } from 'vscode-jsonrpc/node';
import { NdjsonMessageReader, jsonRpcProblem } from '../../src/core/transport/ndjsonReader';

interface Collected {
  messages: Message[];
  errors: string[];
  noise: string[];
}

function readerOn(stream: PassThrough, maxMessageBytes?: number): Collected {
  const reader = new NdjsonMessageReader(stream, maxMessageBytes === undefined ? {} : { maxMessageBytes });
  const collected: Collected = { messages: [], errors: [], noise: [] };
  reader.onError((e) => collected.errors.push(e.message));
  reader.onNoise((n) => collected.noise.push(n.line));
  reader.listen((m) => collected.messages.push(m));
  return collected;
}

const ping = (id: number): string => JSON.stringify({ jsonrpc: '2.0', id, method: 'ping' });

describe('NdjsonMessageReader', () => {
  it('reassembles a message split across many chunks, byte by byte', () => {
    const stream = new PassThrough();
    const got = readerOn(stream);
    for (const byte of Buffer.from(`${ping(1)}\n`)) stream.write(Buffer.from([byte]));
    assert.deepEqual(got.messages, [{ jsonrpc: '2.0', id: 1, method: 'ping' }]);
  });

  it('splits several messages that arrive in one chunk, in order', () => {
    const stream = new PassThrough();
    const got = readerOn(stream);
    stream.write(`${ping(1)}\n${ping(2)}\n${ping(3)}\n`);
    assert.deepEqual(got.messages.map((m) => ('id' in m ? m.id : undefined)), [1, 2, 3]);
  });

  it('accepts CRLF line ends and ignores blank lines', () => {
    const stream = new PassThrough();
    const got = readerOn(stream);
    stream.write(`${ping(1)}\r\n\r\n\n${ping(2)}\r\n`);
    assert.equal(got.messages.length, 2);
    assert.deepEqual(got.errors, []);
    assert.deepEqual(got.noise, []);
  });

  it('keeps a message that arrives in the same chunk as the end of the previous one', () => {
    const stream = new PassThrough();
    const got = readerOn(stream);
    const text = `${ping(1)}\n${ping(2)}\n`;
    stream.write(text.slice(0, 10));
    stream.write(text.slice(10, text.length - 5));
    stream.write(text.slice(text.length - 5));
    assert.equal(got.messages.length, 2);
  });

  it('discards a line over the cap, reports it, and reads the next message', () => {
    const stream = new PassThrough();
    const got = readerOn(stream, 64);
    stream.write(`{"jsonrpc":"2.0","method":"x","params":{"pad":"${'a'.repeat(50)}`);
    stream.write(`${'b'.repeat(100)}"}}\n${ping(7)}\n`);
    assert.equal(got.errors.length, 1);
    assert.match(got.errors[0]!, /exceeded the 64-byte limit/);
    assert.deepEqual(got.messages, [{ jsonrpc: '2.0', id: 7, method: 'ping' }]);
  });

  it('discards an oversized line that arrives whole in one chunk', () => {
    const stream = new PassThrough();
    const got = readerOn(stream, 48);
    stream.write(`${'x'.repeat(60)}\n${ping(2)}\n`);
    assert.equal(got.errors.length, 1);
    assert.equal(got.messages.length, 1);
  });

  it('skips non-JSON noise on stdout and reports it as noise, not as an error', () => {
    const stream = new PassThrough();
    const got = readerOn(stream);
    stream.write(`Server starting on stdio...\n${ping(1)}\n`);
    assert.deepEqual(got.noise, ['Server starting on stdio...']);
    assert.deepEqual(got.errors, []);
    assert.equal(got.messages.length, 1);
  });

  it('skips a line that is not valid UTF-8 and says so', () => {
    const stream = new PassThrough();
    const got = readerOn(stream);
    stream.write(Buffer.concat([Buffer.from('{"jsonrpc":"2.0","method":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}\n')]));
    stream.write(`${ping(2)}\n`);
    assert.equal(got.errors.length, 1);
    assert.match(got.errors[0]!, /not valid UTF-8/);
    assert.equal(got.messages.length, 1);
  });

  it('decodes multi-byte characters split across chunks', () => {
    const stream = new PassThrough();
    const got = readerOn(stream);
    const bytes = Buffer.from(`${JSON.stringify({ jsonrpc: '2.0', method: 'note', params: { text: 'héllo — 世界' } })}\n`);
    const cut = bytes.indexOf(0xe4) + 1; // inside the first CJK character
    stream.write(bytes.subarray(0, cut));
    stream.write(bytes.subarray(cut));
    assert.deepEqual(got.messages, [{ jsonrpc: '2.0', method: 'note', params: { text: 'héllo — 世界' } }]);
  });

  it('surfaces malformed JSON-RPC instead of passing it on', () => {
    const stream = new PassThrough();
    const got = readerOn(stream);
    stream.write('{"jsonrpc":"1.0","id":1,"method":"ping"}\n[1,2]\n{"jsonrpc":"2.0","id":1}\n{"jsonrpc":"2.0","id":1,"result":1,"error":{}}\n');
    assert.equal(got.messages.length, 0);
    assert.equal(got.errors.length, 4);
    assert.match(got.errors[0]!, /jsonrpc is not "2.0"/);
    assert.match(got.errors[1]!, /batches/);
    assert.match(got.errors[2]!, /exactly one of result and error/);
  });

  it('keeps bytes that arrive before listen()', () => {
    const stream = new PassThrough();
    const reader = new NdjsonMessageReader(stream);
    stream.write(`${ping(1)}\n`);
    const messages: Message[] = [];
    reader.listen((m) => messages.push(m));
    assert.equal(messages.length, 1);
  });

  it('fires close when the stream ends', async () => {
    const stream = new PassThrough();
    const reader = new NdjsonMessageReader(stream);
    reader.listen(() => undefined);
    const closed = new Promise<void>((resolve) => reader.onClose(() => resolve()));
    stream.end();
    await closed;
  });
});

describe('jsonRpcProblem', () => {
  it('accepts requests, notifications, results and errors', () => {
    assert.equal(jsonRpcProblem({ jsonrpc: '2.0', id: 'a', method: 'm', params: {} }), undefined);
    assert.equal(jsonRpcProblem({ jsonrpc: '2.0', method: 'n' }), undefined);
    assert.equal(jsonRpcProblem({ jsonrpc: '2.0', id: 1, result: {} }), undefined);
    assert.equal(jsonRpcProblem({ jsonrpc: '2.0', id: 1, error: { code: -32601, message: 'no' } }), undefined);
  });

  it('names what is wrong with everything else', () => {
    assert.equal(jsonRpcProblem('x'), 'not an object');
    assert.equal(jsonRpcProblem({ jsonrpc: '2.0', id: {}, method: 'm' }), 'id is not a string or number');
    assert.equal(jsonRpcProblem({ jsonrpc: '2.0', method: 5 }), 'method is not a string');
    assert.equal(jsonRpcProblem({ jsonrpc: '2.0', method: 'm', params: 3 }), 'params is not an object');
    assert.equal(jsonRpcProblem({ jsonrpc: '2.0' }), 'neither a method nor an id');
    assert.equal(jsonRpcProblem({ jsonrpc: '2.0', id: 1, error: { code: 'x' } }), 'error needs a numeric code and a message');
  });
});
