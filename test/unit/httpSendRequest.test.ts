import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CheckedUrl } from '../../src/servers/http/fetchPolicy';
import { sendRequest } from '../../src/servers/http/sendRequest';

/** Connections go to a server on 127.0.0.1 under a name no resolver knows: only the pinned addresses can reach it. */
describe('sending a request pinned to checked addresses', () => {
  const seen: Array<{ host: string | undefined; local: string | undefined }> = [];
  const server = http.createServer((req, res) => {
    seen.push({ host: req.headers.host, local: req.socket.localAddress });
    res.end('pinned');
  });
  let port = 0;

  before(async () => {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });

  after(async () => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  });

  function target(host: string): CheckedUrl {
    return { url: new URL(`http://${host}:${port}/page?q=1`), host, port };
  }

  async function text(response: http.IncomingMessage): Promise<string> {
    let body = '';
    for await (const chunk of response) body += String(chunk);
    return body;
  }

  it('connects to the pinned address and names the URL host in Host', async () => {
    const response = await sendRequest({
      target: target('pinned.invalid'),
      pinned: [{ address: '127.0.0.1', family: 4 }],
      method: 'GET',
      headers: { Accept: 'text/plain' },
      signal: new AbortController().signal,
    });
    assert.equal(response.statusCode, 200);
    assert.equal(await text(response), 'pinned');
    assert.deepEqual(seen.pop(), { host: `pinned.invalid:${port}`, local: '127.0.0.1' });
  });

  it('tries the next checked address when one refuses the connection', async () => {
    // Nothing listens on 127.0.0.2 (the server is bound to 127.0.0.1 only).
    const response = await sendRequest({
      target: target('twice.invalid'),
      pinned: [
        { address: '127.0.0.2', family: 4 },
        { address: '127.0.0.1', family: 4 },
      ],
      method: 'GET',
      headers: {},
      signal: new AbortController().signal,
    });
    assert.equal(await text(response), 'pinned');
    assert.deepEqual(seen.pop(), { host: `twice.invalid:${port}`, local: '127.0.0.1' });
  });

  it('fails when no pinned address answers, rather than asking the resolver', async () => {
    await assert.rejects(
      sendRequest({
        target: target('nowhere.invalid'),
        pinned: [{ address: '127.0.0.2', family: 4 }],
        method: 'HEAD',
        headers: {},
        signal: new AbortController().signal,
      }),
      (error: unknown) => {
        assert.ok(error instanceof Error && 'code' in error, String(error));
        assert.equal(error.code, 'ECONNREFUSED');
        return true;
      },
    );
  });
});
