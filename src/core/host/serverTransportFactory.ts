/** Connects to any server definition: a local process over stdio, or a remote one over Streamable HTTP. */
import type { McpTransport } from '../transport/transport';
import { httpTransportFactory, type HttpLaunchOptions } from './httpTransportFactory';
import { isHttpDefinition, type ServerDefinition } from './serverDefinition';
import { stdioTransportFactory, type StdioLaunchOptions } from './stdioTransportFactory';

export interface TransportFactoryOptions {
  readonly stdio?: StdioLaunchOptions;
  readonly http?: HttpLaunchOptions;
}

export function serverTransportFactory(options: TransportFactoryOptions = {}): (definition: ServerDefinition) => McpTransport {
  const stdio = stdioTransportFactory(options.stdio);
  const http = httpTransportFactory(options.http);
  return (definition) => (isHttpDefinition(definition) ? http(definition) : stdio(definition));
}
