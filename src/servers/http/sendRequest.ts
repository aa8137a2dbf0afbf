/**
 * Sends one request to a checked URL over a connection pinned to checked addresses, and answers
 * the response as soon as its headers arrive. No connection pooling (each request has its own
 * socket), no proxy, Host and TLS server name from the URL's host, certificates verified.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { isIpLiteral } from './addressPolicy';
import type { CheckedUrl } from './fetchPolicy';
import { pinnedLookup, type PinnedAddresses } from './resolveTarget';

export interface OutgoingRequest {
  readonly target: CheckedUrl;
  readonly pinned: PinnedAddresses;
  readonly method: 'GET' | 'HEAD';
  readonly headers: Readonly<Record<string, string>>;
  /** Aborting destroys the request and its socket. */
  readonly signal: AbortSignal;
}

export function sendRequest(request: OutgoingRequest): Promise<http.IncomingMessage> {
  const { target, pinned } = request;
  const secure = target.url.protocol === 'https:';
  const options: https.RequestOptions = {
    host: target.host,
    port: target.port,
    path: `${target.url.pathname}${target.url.search}`,
    method: request.method,
    headers: { ...request.headers },
    agent: false,
    signal: request.signal,
    lookup: pinnedLookup(target.host, pinned),
  };
  if (secure && !isIpLiteral(target.host)) options.servername = target.host;
  return new Promise((resolve, reject) => {
    const outgoing = (secure ? https : http).request(options, resolve);
    outgoing.on('error', reject);
    outgoing.end();
  });
}
