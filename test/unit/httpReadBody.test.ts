import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { parseContentType } from '../../src/servers/http/contentType';
import { readBody, type BodyText, type ResponseBody } from '../../src/servers/http/readBody';
import { ToolError } from '../../src/servers/shared/toolResult';

const URL_ = 'https://example.com/page';

/** A body that counts how many chunks were pulled from it and whether it was cut off before its end. */
class CountingBody {
  pulled = 0;
  cutOff = false;
  readonly stream: ResponseBody;

  constructor(chunk: Buffer, headers: IncomingHttpHeaders, limit = Infinity) {
    const stream = new Readable({
      highWaterMark: 1,
      read: () => {
        if (this.pulled >= limit) {
          stream.push(null);
          return;
        }
        this.pulled += 1;
        stream.push(chunk);
      },
      destroy: (error, callback) => {
        this.cutOff = this.pulled < limit;
        callback(error);
      },
    });
    this.stream = Object.assign(stream, { headers });
  }
}

function body(chunks: Array<string | Buffer>, headers: IncomingHttpHeaders): ResponseBody {
  return Object.assign(
    Readable.from(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c))),
    { headers },
  );
}

function read(response: ResponseBody, options: { offset?: number; maxBytes?: number; downloadLimit?: number } = {}): Promise<BodyText> {
  return readBody({
    response,
    contentType: parseContentType(response.headers['content-type']),
    url: URL_,
    offset: options.offset ?? 0,
    maxBytes: options.maxBytes ?? 1_000_000,
    downloadLimit: options.downloadLimit ?? 10_000_000,
  });
}

async function refused(response: ResponseBody, message: string): Promise<void> {
  await assert.rejects(read(response), (error: unknown) => {
    assert.ok(error instanceof ToolError, String(error));
    assert.equal(error.message, message);
    return true;
  });
}

describe('reading a response body', () => {
  it('stops pulling and destroys the body as soon as the window is full', async () => {
    const endless = new CountingBody(Buffer.alloc(4096, 'x'), { 'content-type': 'text/plain' });
    const result = await read(endless.stream, { maxBytes: 100 });
    assert.equal(result.text, 'x'.repeat(100));
    assert.equal(result.truncated, true);
    assert.ok(endless.pulled <= 3, `pulled ${endless.pulled} chunks for 100 bytes`);
    assert.equal(endless.cutOff, true, 'the body was cut off before its end');
    assert.equal(endless.stream.destroyed, true);
  });

  it('stops at the download limit, saying so', async () => {
    const endless = new CountingBody(Buffer.alloc(1000, 'a'), { 'content-type': 'text/plain' });
    const result = await read(endless.stream, { downloadLimit: 5500 });
    assert.equal(result.text, 'a'.repeat(5500));
    assert.equal(result.hitDownloadLimit, true);
    assert.equal(result.truncated, false);
    assert.equal(endless.cutOff, true);
  });

  it('reads a body exactly as long as the download limit to its end', async () => {
    const exact = new CountingBody(Buffer.alloc(1000, 'b'), { 'content-type': 'text/plain' }, 5);
    const result = await read(exact.stream, { downloadLimit: 5000 });
    assert.equal(result.text.length, 5000);
    assert.equal(result.hitDownloadLimit, false);
    assert.equal(exact.cutOff, false);
  });

  it('decodes characters split across chunks', async () => {
    const euro = Buffer.from('price: 5€ or 4£', 'utf8');
    const chunks = Array.from(euro, (byte) => Buffer.from([byte]));
    const result = await read(body(chunks, { 'content-type': 'text/plain; charset=utf-8' }));
    assert.equal(result.text, 'price: 5€ or 4£');
  });

  it('decompresses gzip, deflate and brotli bodies', async () => {
    const html = '<h1>Title</h1><p>Body text.</p>';
    for (const [encoding, bytes] of [
      ['gzip', zlib.gzipSync(html)],
      ['deflate', zlib.deflateSync(html)],
      ['br', zlib.brotliCompressSync(html)],
    ] as const) {
      const result = await read(body([bytes], { 'content-type': 'text/html', 'content-encoding': encoding }));
      assert.equal(result.text, '# Title\n\nBody text.', encoding);
      assert.equal(result.format, 'html');
    }
  });

  it('refuses an encoding it cannot decode, and a corrupt compressed body', async () => {
    await refused(
      body(['data'], { 'content-type': 'text/plain', 'content-encoding': 'zstd' }),
      'The response is compressed with "zstd", which Warden\'s fetch tool cannot decode.',
    );
    await assert.rejects(read(body(['not gzip at all'], { 'content-type': 'text/plain', 'content-encoding': 'gzip' })), (error: unknown) => {
      assert.ok(error instanceof ToolError);
      assert.match(error.message, /^The connection failed while reading the body of https:\/\/example\.com\/page: Z_DATA_ERROR/);
      return true;
    });
  });

  it('takes the charset from an HTML meta tag when the header gives none', async () => {
    const page = Buffer.concat([Buffer.from('<html><head><meta charset="windows-1252"></head><body><p>caf'), Buffer.from([0xe9]), Buffer.from('</p></body></html>')]);
    const result = await read(body([page], { 'content-type': 'text/html' }));
    assert.equal(result.text, 'café');
    assert.equal(result.charset, 'windows-1252');
  });

  it('reads a body without a content type as text, unless it looks binary', async () => {
    const text = await read(body(['just text'], {}));
    assert.equal(text.text, 'just text');
    assert.equal(text.format, 'text');
    await refused(
      body([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d])], {}),
      "Refused: the response has no Content-Type and its body looks binary. Warden's fetch tool returns text only (HTML, JSON, XML and other text).",
    );
  });

  it('counts offsets in the converted text, not in the markup', async () => {
    const html = '<html><head><script>' + 'x'.repeat(5000) + '</script></head><body><p>alpha</p><p>beta</p></body></html>';
    const result = await read(body([html], { 'content-type': 'text/html' }), { offset: 7, maxBytes: 3 });
    assert.equal(result.text, 'bet');
    assert.equal(result.start, 7);
    assert.equal(result.truncated, true);
  });

  it('reads an empty body as empty text', async () => {
    const result = await read(body([], { 'content-type': 'application/json' }));
    assert.deepEqual([result.text, result.truncated, result.seenBytes], ['', false, 0]);
  });
});
