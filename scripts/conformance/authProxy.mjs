// A localhost reverse proxy that adds the gateway's bearer token to every request, so a client
// that cannot send one (the conformance suite) reaches the gateway. Everything else passes through
// as sent, Host and Origin included, except that the proxy's own address in them is replaced by
// the gateway's: a request that named the proxy names the gateway, and a foreign Host or Origin
// (a DNS rebinding attempt) still reaches the gateway's checks unchanged.
import http from 'node:http';

/** Starts the proxy on 127.0.0.1; resolves with its port and a close(). */
export async function startAuthProxy({ gatewayPort, token }) {
  let proxyPort = 0;
  const rewrite = (value) => {
    if (typeof value !== 'string') return value;
    for (const host of ['127.0.0.1', 'localhost', '[::1]']) {
      if (value === `${host}:${proxyPort}`) return `${host}:${gatewayPort}`;
      if (value === `http://${host}:${proxyPort}`) return `http://${host}:${gatewayPort}`;
    }
    return value;
  };
  const server = http.createServer((req, res) => {
    const headers = { ...req.headers, host: rewrite(req.headers.host), authorization: req.headers.authorization ?? `Bearer ${token}` };
    if (headers.origin !== undefined) headers.origin = rewrite(headers.origin);
    const upstream = http.request({ host: '127.0.0.1', port: gatewayPort, method: req.method, path: req.url, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`The proxy could not reach the gateway: ${error.message}`);
    });
    // A client that hangs up ends the request to the gateway too (SSE streams, cancelled calls).
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  proxyPort = server.address().port;
  return {
    port: proxyPort,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
