/**
 * Connects to a remote server definition over Streamable HTTP: its URL, headers and bearer token,
 * and its message size limit.
 */
import { StreamableHttpTransport, type StreamableHttpOptions } from '../transport/streamableHttpTransport';
import type { McpTransport } from '../transport/transport';
import type { HttpServerDefinition } from './serverDefinition';

export type HttpLaunchOptions = Pick<StreamableHttpOptions, 'closeTimeoutMs' | 'reconnect' | 'clock' | 'fetch'>;

export function httpTransportFactory(options: HttpLaunchOptions = {}): (definition: HttpServerDefinition) => McpTransport {
  return (definition) =>
    new StreamableHttpTransport({
      ...options,
      url: definition.url,
      ...(definition.headers !== undefined && { headers: definition.headers }),
      ...(definition.bearerToken !== undefined && { bearerToken: definition.bearerToken }),
      ...(definition.allowInsecureHttp !== undefined && { allowInsecureHttp: definition.allowInsecureHttp }),
      ...(definition.maxMessageBytes !== undefined && { maxMessageBytes: definition.maxMessageBytes }),
    });
}
