import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CallToolResultSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { commandLineRunner } from '../helpers/commandLine';

const projectRoot = path.resolve(__dirname, '../../..');
const serverJs = path.join(projectRoot, 'dist/servers/http.js');

const HELLO = 'Hello, Warden!\n';
const JSON_BODY = '{"name":"warden","tools":["fetch"],"nested":{"ok":true,"empty":[]}}';
const HTML =
  '<!doctype html><html><head><title>Test page</title><style>body { color: red }</style>' +
  '<script>document.write("<p>hidden</p>")</script></head><body><h1>Welcome</h1>' +
  '<p>Read the <a href="/docs">docs</a> first.</p><ul><li>one</li><li>two</li></ul><noscript>no script</noscript></body></html>';
const HTML_TEXT = 'Test page\n\n# Welcome\n\nRead the docs (http://HOST/docs) first.\n\n- one\n- two';
// 50 numbered lines, 399 bytes.
const LONG = Array.from({ length: 50 }, (_, i) => `line ${String(i).padStart(2, '0')}`).join('\n');

// A self-signed certificate for localhost and 127.0.0.1, valid from 2020 to 2119, made for these tests only.
const TEST_CERT = `-----BEGIN CERTIFICATE-----
MIIBZzCCAQ2gAwIBAgIBATAKBggqhkjOPQQDAjAUMRIwEAYDVQQDDAlsb2NhbGhv
c3QwIBcNMjAwMTAxMDAwMDAwWhgPMjExOTEyMzEwMDAwMDBaMBQxEjAQBgNVBAMM
CWxvY2FsaG9zdDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABCrgVPW0fKemzVad
Q/xmESYvNNIZEDIPNbtFlAiw3j2zGe/50OaVVdBf5AfZTzjatzFHVpmPT93iE+0M
DnB2dYSjTjBMMA8GA1UdEwEB/wQFMAMBAf8wGgYDVR0RBBMwEYIJbG9jYWxob3N0
hwR/AAABMB0GA1UdDgQWBBSPNIrO3ShY8ZIFedloEQL1x25tTzAKBggqhkjOPQQD
AgNIADBFAiEAxRh4myjmKfPQPZhmOzivZeguwEg4dPB/LOyDgqlunqYCIG7ib606
ghw8I3XVgh6czt1CFZYGSl9kFTkE34psp7NU
-----END CERTIFICATE-----
`;
const TEST_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgWb9Zbyn3KEzaIn+Q
BPw9kH3N9bxy+8OW1s3VWZ3mGvWhRANCAAQq4FT1tHynps1WnUP8ZhEmLzTSGRAy
DzW7RZQIsN49sxnv+dDmlVXQX+QH2U842rcxR1aZj0/d4hPtDA5wdnWE
-----END PRIVATE KEY-----
`;

/** A request the test server has seen: `closed` settles when its response closes, saying whether it was sent in full. */
interface Arrival {
  readonly closed: Promise<{ finished: boolean }>;
}

/** The local web server every fetch goes to (127.0.0.1 only). */
class TestWebServer {
  readonly server: http.Server;
  port = 0;

  constructor(tls?: { cert: string; key: string }) {
    const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => this.handle(req, res);
    this.server = tls ? https.createServer(tls, handler) : http.createServer(handler);
  }

  private readonly waiting = new Map<string, (arrival: Arrival) => void>();

  async start(): Promise<void> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.port = (this.server.address() as AddressInfo).port;
  }

  url(pathname: string, host = '127.0.0.1'): string {
    const scheme = this.server instanceof https.Server ? 'https' : 'http';
    return `${scheme}://${host}:${this.port}${pathname}`;
  }

  /** The next request for `pathname`. */
  arrival(pathname: string): Promise<Arrival> {
    return new Promise((resolve) => this.waiting.set(pathname, resolve));
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
    const closed = new Promise<{ finished: boolean }>((resolve) => res.on('close', () => resolve({ finished: res.writableFinished })));
    const waiter = this.waiting.get(url.pathname);
    this.waiting.delete(url.pathname);
    waiter?.({ closed });
    const send = (status: number, type: string, body: string | Buffer, headers: http.OutgoingHttpHeaders = {}): void => {
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), ...headers });
      res.end(body);
    };
    const redirect = /^\/redirect\/(\d+)$/.exec(url.pathname);
    if (redirect) {
      const left = Number(redirect[1]);
      res.writeHead(302, { location: left === 1 ? '/text' : `/redirect/${left - 1}` });
      res.end();
      return;
    }
    switch (url.pathname) {
      case '/text':
        return send(200, 'text/plain; charset=utf-8', HELLO);
      case '/json':
        return send(200, 'application/json', JSON_BODY);
      case '/html':
        return send(200, 'text/html; charset=utf-8', HTML);
      case '/gzip':
        return send(200, 'text/html', zlib.gzipSync(HTML), { 'content-encoding': 'gzip' });
      case '/latin1':
        return send(200, 'text/plain; charset=iso-8859-1', Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
      case '/long':
        return send(200, 'text/plain', LONG);
      case '/missing':
        return send(404, 'text/plain', 'No such page.\n');
      case '/image.png':
        return send(200, 'image/png', Buffer.alloc(2048));
      case '/echo-headers':
        return send(200, 'application/json', JSON.stringify(req.headers));
      case '/to-evil':
        res.writeHead(301, { location: 'http://evil.example/steal' });
        return void res.end();
      case '/to-metadata':
        res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' });
        return void res.end();
      case '/to-metadata-decimal':
        res.writeHead(307, { location: 'http://2852039166/latest/meta-data/' });
        return void res.end();
      case '/endless':
        return this.endless(res);
      case '/trickle':
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('the start of a body that never ends ');
        return;
      case '/slow':
      case '/hang':
        return; // never answers; the client gives up
      default:
        return send(404, 'text/plain', 'unknown test route\n');
    }
  }

  /** Text for as long as the client reads, up to 64 MiB. */
  private endless(res: http.ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/plain' });
    const chunk = Buffer.alloc(16 * 1024, 'x');
    let sent = 0;
    const pump = (): void => {
      while (!res.destroyed && sent < 64 * 1024 * 1024) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
  }
}

/** One http server process driven by the SDK client. */
class FetchServer {
  readonly client = new Client({ name: 'warden-http-test', version: '0.0.0' });
  readonly stderr: string[] = [];
  closed = false;

  async start(args: string[], env: Record<string, string> = {}): Promise<void> {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [serverJs, ...args],
      env: { ...getDefaultEnvironment(), ...env },
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString('utf8')));
    this.client.onclose = () => {
      this.closed = true;
    };
    await this.client.connect(transport);
  }

  async fetch(args: Record<string, unknown>, signal?: AbortSignal): Promise<CallToolResult> {
    return CallToolResultSchema.parse(await this.client.callTool({ name: 'fetch', arguments: args }, undefined, signal ? { signal } : {}));
  }

  /** The error text of a call that must fail. */
  async refusal(args: Record<string, unknown>): Promise<string> {
    const result = await this.fetch(args);
    assert.equal(result.isError, true, `expected an error result, got ${JSON.stringify(result)}`);
    assert.equal(result.content.length, 1);
    const block = result.content[0];
    assert.ok(block?.type === 'text');
    return block.text;
  }
}

function texts(result: CallToolResult): string[] {
  return result.content.map((block) => (block.type === 'text' ? block.text : `<${block.type}>`));
}

const REACH = "Warden's fetch tool only reaches public hosts on the allow-list.";

describe('http server over stdio, driven by the SDK client', () => {
  const web = new TestWebServer();
  const secure = new TestWebServer({ cert: TEST_CERT, key: TEST_KEY });
  const main = new FetchServer();
  const loopbackOnly = new FetchServer();
  const impatient = new FetchServer();
  const unconfigured = new FetchServer();
  const trusting = new FetchServer();
  let tmp = '';

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'warden-http-server-'));
    const certFile = path.join(tmp, 'test-ca.pem');
    fs.writeFileSync(certFile, TEST_CERT);
    await Promise.all([web.start(), secure.start()]);
    const port = String(web.port);
    const securePort = String(secure.port);
    await Promise.all([
      // Trusts the test certificate, so it can reach the HTTPS server by name.
      trusting.start(['--allow', 'localhost', '--allow-private', '--allow-port', securePort], { NODE_EXTRA_CA_CERTS: certFile }),
      // A download limit above the endless body's 64 MiB: only the cut at maxBytes can stop that read early.
      main.start(['--allow', '127.0.0.1', '--allow', '169.254.169.254', '--allow-private', '--allow-port', port, '--max-download-bytes', String(128 * 1024 * 1024)]),
      loopbackOnly.start(['--allow', 'localhost', '--allow-port', port]),
      impatient.start(['--allow', '127.0.0.1', '--allow-private', '--allow-port', port, '--allow-port', securePort, '--timeout-ms', '300']),
      unconfigured.start([]),
    ]);
  });

  after(async () => {
    await Promise.all([main, loopbackOnly, impatient, unconfigured, trusting].map((s) => s.client.close()));
    await Promise.all([web.stop(), secure.stop()]);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('offers one read-only, open-world fetch tool with a strict schema', async () => {
    assert.equal(main.client.getServerVersion()?.name, 'warden-http');
    assert.ok(main.client.getInstructions()?.includes('127.0.0.1, 169.254.169.254'), main.client.getInstructions());
    const { tools } = await main.client.listTools();
    assert.deepEqual(tools.map((t) => t.name), ['fetch']);
    const [tool] = tools;
    assert.deepEqual(tool?.annotations, { title: 'Fetch URL', readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true });
    assert.equal(tool?.inputSchema.additionalProperties, false);
    assert.deepEqual(tool?.inputSchema.required, ['url']);
    assert.equal(tool?.outputSchema?.type, 'object');
  });

  it('fetches plain text', async () => {
    const result = await main.fetch({ url: web.url('/text') });
    assert.equal(result.isError, undefined);
    assert.deepEqual(texts(result), [`HTTP 200 OK from ${web.url('/text')} (text/plain)`, HELLO]);
    assert.deepEqual(result.structuredContent, {
      url: web.url('/text'),
      redirects: [],
      status: 200,
      statusText: 'OK',
      contentType: 'text/plain',
      format: 'text',
      charset: 'utf-8',
      headers: { 'content-type': 'text/plain; charset=utf-8', 'content-length': String(HELLO.length) },
      text: HELLO,
      offset: 0,
      truncated: false,
    });
  });

  it('pretty-prints JSON', async () => {
    const result = await main.fetch({ url: web.url('/json') });
    assert.equal(result.structuredContent?.['format'], 'json');
    assert.equal(result.structuredContent?.['text'], JSON.stringify(JSON.parse(JSON_BODY), null, 2));
    assert.equal(texts(result)[0], `HTTP 200 OK from ${web.url('/json')} (application/json, pretty-printed)`);
  });

  it('turns HTML into readable text, also when it comes gzip-compressed', async () => {
    const expected = HTML_TEXT.replace('HOST', `127.0.0.1:${web.port}`);
    const page = await main.fetch({ url: web.url('/html') });
    assert.equal(page.structuredContent?.['format'], 'html');
    assert.deepEqual(texts(page), [`HTTP 200 OK from ${web.url('/html')} (text/html, converted to text)`, expected]);
    const gzipped = await main.fetch({ url: web.url('/gzip') });
    assert.equal(gzipped.structuredContent?.['text'], expected);
  });

  it('decodes the declared charset', async () => {
    const result = await main.fetch({ url: web.url('/latin1') });
    assert.equal(result.structuredContent?.['text'], 'café\n');
    assert.equal(result.structuredContent?.['charset'], 'windows-1252');
  });

  it('answers HEAD with the status and headers only', async () => {
    const result = await main.fetch({ url: web.url('/image.png'), method: 'HEAD' });
    assert.equal(result.isError, undefined);
    assert.deepEqual(texts(result), [`HTTP 200 OK from ${web.url('/image.png')} (image/png)`, 'content-type: image/png\ncontent-length: 2048']);
    assert.equal(result.structuredContent?.['format'], 'none');
    assert.equal(result.structuredContent?.['text'], '');
  });

  it('returns an HTTP error status as a result, not a failure', async () => {
    const result = await main.fetch({ url: web.url('/missing') });
    assert.equal(result.isError, undefined);
    assert.equal(result.structuredContent?.['status'], 404);
    assert.deepEqual(texts(result), [`HTTP 404 Not Found from ${web.url('/missing')} (text/plain)`, 'No such page.\n']);
  });

  it('cuts long text at maxBytes and pages through it with offset', async () => {
    const first = await main.fetch({ url: web.url('/long'), maxBytes: 150 });
    assert.equal(first.structuredContent?.['text'], LONG.slice(0, 150));
    assert.equal(first.structuredContent?.['truncated'], true);
    assert.equal(first.structuredContent?.['nextOffset'], 150);
    assert.equal(texts(first)[2], '[fetch: truncated after 150 bytes of text. To continue, call fetch again with the same url and offset 150.]');
    const second = await main.fetch({ url: web.url('/long'), maxBytes: 150, offset: 150 });
    assert.equal(second.structuredContent?.['offset'], 150);
    assert.equal(second.structuredContent?.['nextOffset'], 300);
    assert.equal(texts(second)[0], `HTTP 200 OK from ${web.url('/long')} (text/plain, from byte 150 of the text)`);
    const last = await main.fetch({ url: web.url('/long'), maxBytes: 150, offset: 300 });
    assert.equal(last.structuredContent?.['truncated'], false);
    assert.equal(last.structuredContent?.['nextOffset'], undefined);
    assert.equal(texts(last).length, 2, 'no truncation note on the last page');
    const pages = [first, second, last].map((r) => r.structuredContent?.['text']).join('');
    assert.equal(pages, LONG);
    const past = await main.refusal({ url: web.url('/long'), offset: 5000 });
    assert.equal(past, `offset 5000 is past the end of the text of ${web.url('/long')}, which is ${LONG.length} bytes long.`);
  });

  it('stops reading and closes the connection once the text is cut', async () => {
    const arrival = web.arrival('/endless');
    const result = await main.fetch({ url: web.url('/endless'), maxBytes: 64 });
    assert.equal(result.structuredContent?.['text'], 'x'.repeat(64));
    assert.equal(result.structuredContent?.['truncated'], true);
    const { finished } = await (await arrival).closed;
    assert.equal(finished, false, 'the client hung up long before the 64 MiB were sent');
  });

  it('refuses binary content, naming its type and size', async () => {
    assert.equal(
      await main.refusal({ url: web.url('/image.png') }),
      `Refused: ${web.url('/image.png')} is image/png (2048 bytes), not text. Warden's fetch tool returns text only (HTML, JSON, XML and other text); ` +
        "use method HEAD to see a file's headers without downloading it.",
    );
  });

  it('sends allowed request headers, and refuses any other by name', async () => {
    const echoed = await main.fetch({ url: web.url('/echo-headers'), headers: { 'accept-language': 'fr-CH', Accept: 'application/json' } });
    const sent = JSON.parse(String(echoed.structuredContent?.['text'])) as Record<string, string>;
    assert.equal(sent['accept-language'], 'fr-CH');
    assert.equal(sent['accept'], 'application/json');
    assert.equal(sent['host'], `127.0.0.1:${web.port}`);
    assert.equal(sent['user-agent'], 'Warden-fetch/0.1 (MCP fetch tool)');
    assert.equal(sent['authorization'], undefined);
    assert.equal(
      await main.refusal({ url: web.url('/text'), headers: { Authorization: 'Bearer secret' } }),
      'The request header "Authorization" cannot be set. Warden\'s fetch tool sends only Accept, Accept-Language, If-None-Match, If-Modified-Since; leave the others out.',
    );
    assert.match(await main.refusal({ url: web.url('/text'), headers: { Cookie: 'a=b' } }), /^The request header "Cookie" cannot be set\./);
  });

  it('follows a chain of redirects on the allowed host, up to five', async () => {
    const three = await main.fetch({ url: web.url('/redirect/3') });
    assert.equal(three.structuredContent?.['url'], web.url('/text'));
    assert.deepEqual(three.structuredContent?.['redirects'], [web.url('/redirect/2'), web.url('/redirect/1'), web.url('/text')]);
    assert.equal(three.structuredContent?.['text'], HELLO);
    assert.equal(texts(three)[0], `HTTP 200 OK from ${web.url('/text')} after 3 redirects (text/plain)`);
    const five = await main.fetch({ url: web.url('/redirect/5') });
    assert.equal(five.structuredContent?.['text'], HELLO);
  });

  it('refuses more than five redirects', async () => {
    assert.equal(
      await main.refusal({ url: web.url('/redirect/6') }),
      `Too many redirects: ${web.url('/redirect/6')} redirected more than 5 times (the last to ${web.url('/text')}). Fetch the final URL directly if you know it.`,
    );
  });

  it('refuses a redirect to a host off the allow-list, naming the hop', async () => {
    const message = await main.refusal({ url: web.url('/to-evil') });
    assert.ok(
      message.startsWith(`Stopped at redirect 1 (from ${web.url('/to-evil')} to http://evil.example/steal). Refused: evil.example is not on the allow-list (127.0.0.1, 169.254.169.254).`),
      message,
    );
  });

  it('refuses a redirect to the cloud metadata address, in any notation, even with private addresses allowed', async () => {
    assert.equal(
      await main.refusal({ url: web.url('/to-metadata') }),
      `Stopped at redirect 1 (from ${web.url('/to-metadata')} to http://169.254.169.254/latest/meta-data/). ` +
        `Refused: 169.254.169.254 is a cloud metadata address. ${REACH}`,
    );
    assert.equal(
      await main.refusal({ url: web.url('/to-metadata-decimal') }),
      `Stopped at redirect 1 (from ${web.url('/to-metadata-decimal')} to http://169.254.169.254/latest/meta-data/). ` +
        `Refused: 169.254.169.254 is a cloud metadata address. ${REACH}`,
    );
    assert.equal(await main.refusal({ url: 'http://0xa9fea9fe/' }), `Refused: 169.254.169.254 is a cloud metadata address. ${REACH}`);
  });

  it('refuses a name that resolves to loopback when private addresses are not allowed', async () => {
    const message = await loopbackOnly.refusal({ url: web.url('/text', 'localhost') });
    assert.match(message, /^Refused: (127\.0\.0\.1|::1) \(resolved from localhost\) is a loopback address\. Warden's fetch tool only reaches public hosts on the allow-list\.$/);
    assert.equal(await loopbackOnly.refusal({ url: web.url('/text', 'LOCALHOST.') }), message);
  });

  it('refuses URLs with credentials', async () => {
    const url = `http://user:pass@127.0.0.1:${web.port}/text`;
    assert.equal(
      await main.refusal({ url }),
      `Refused: ${url} has a user name and password before "@" ("user"), so its host is 127.0.0.1. ` +
        'Warden\'s fetch tool never sends credentials in URLs: remove everything between "//" and "@".',
    );
    assert.match(await main.refusal({ url: `http://127.0.0.1:${web.port}@evil.example/` }), /so its host is evil\.example\./);
  });

  it('refuses a port that is not allowed', async () => {
    const other = web.port === 65535 ? web.port - 1 : web.port + 1;
    assert.equal(
      await main.refusal({ url: `http://127.0.0.1:${other}/` }),
      `Refused: port ${other} is not allowed (allowed ports: 80, 443, ${web.port}). ` +
        'Use the default port, or ask the user to allow this one (VS Code setting warden.http.allowedPorts, or --allow-port <n>).',
    );
  });

  it('refuses other schemes', async () => {
    assert.equal(await main.refusal({ url: 'file:///etc/passwd' }), "Refused: file: URLs cannot be fetched. Warden's fetch tool reaches only http: and https: URLs.");
  });

  it('gives up on a slow server at the deadline, and serves the next call', async () => {
    const arrival = web.arrival('/slow');
    assert.equal(
      await impatient.refusal({ url: web.url('/slow') }),
      `Timed out after 300 ms fetching ${web.url('/slow')}: the server did not finish answering in time. Try again later.`,
    );
    assert.deepEqual(await (await arrival).closed, { finished: false }, 'the request was abandoned, not left open');
    const next = await impatient.fetch({ url: web.url('/text') });
    assert.equal(next.structuredContent?.['text'], HELLO);
  });

  it('gives up at the deadline while the body is still arriving', async () => {
    const arrival = web.arrival('/trickle');
    assert.equal(
      await impatient.refusal({ url: web.url('/trickle') }),
      `Timed out after 300 ms fetching ${web.url('/trickle')}: the server did not finish answering in time. Try again later.`,
    );
    assert.deepEqual(await (await arrival).closed, { finished: false });
  });

  it('aborts the request when the client cancels the call', async () => {
    const arrival = web.arrival('/hang');
    const controller = new AbortController();
    const call = main.fetch({ url: web.url('/hang') }, controller.signal);
    const { closed } = await arrival;
    controller.abort(new Error('changed my mind'));
    await assert.rejects(call);
    assert.deepEqual(await closed, { finished: false });
  });

  it('fetches over HTTPS by host name, verifying the certificate against that name', async () => {
    const result = await trusting.fetch({ url: secure.url('/text', 'localhost') });
    assert.equal(result.isError, undefined, JSON.stringify(result));
    assert.equal(result.structuredContent?.['text'], HELLO);
    assert.equal(result.structuredContent?.['url'], `https://localhost:${secure.port}/text`);
  });

  it('refuses a certificate it does not trust', async () => {
    assert.equal(
      await impatient.refusal({ url: secure.url('/text') }),
      `Could not connect to 127.0.0.1:${secure.port}: the TLS certificate was not accepted (DEPTH_ZERO_SELF_SIGNED_CERT).`,
    );
  });

  it('refuses every fetch, saying how to allow a host, when no host is allowed', async () => {
    assert.equal(
      await unconfigured.refusal({ url: 'https://example.com/' }),
      'Refused: no host is allowed, so Warden\'s fetch tool cannot reach example.com. To allow a host, add it to the VS Code setting ' +
        'warden.http.allowedHosts (for example "api.example.com" or "*.example.com"), or start the server with --allow <host>.',
    );
    assert.ok(unconfigured.client.getInstructions()?.includes('no host is allowed yet'));
  });

  it('is still serving after all of the above', async () => {
    for (const server of [main, loopbackOnly, impatient, unconfigured, trusting]) {
      assert.equal(server.closed, false, `a connection closed; server stderr:\n${server.stderr.join('')}`);
    }
    const result = await main.fetch({ url: web.url('/text') });
    assert.equal(result.structuredContent?.['text'], HELLO);
  });
});

describe('http server command line', () => {
  const { runToExit, killAll } = commandLineRunner(serverJs);
  after(killAll);

  it('exits 2 with the usage on a bad host pattern, port or flag', async () => {
    const pattern = await runToExit(['--allow', 'http://example.com/']);
    assert.equal(pattern.code, 2);
    assert.ok(pattern.stderr.startsWith('warden-http: --allow: "http://example.com/" is not a host pattern'), pattern.stderr);
    assert.ok(pattern.stderr.includes('\nUsage: node dist/servers/http.js --allow <host>'), pattern.stderr);
    const port = await runToExit(['--allow', 'example.com', '--allow-port', '70000']);
    assert.equal(port.code, 2);
    assert.ok(port.stderr.startsWith('warden-http: --allow-port must be a port number from 1 to 65535, not "70000".'), port.stderr);
    const flag = await runToExit(['--allow-all']);
    assert.equal(flag.code, 2);
    assert.ok(flag.stderr.startsWith('warden-http: Unknown argument "--allow-all".'), flag.stderr);
  });

  it('prints the usage and exits 0 for --help', async () => {
    const help = await runToExit(['--help']);
    assert.equal(help.code, 0);
    assert.ok(help.stderr.startsWith('Usage: node dist/servers/http.js'), help.stderr);
  });
});
