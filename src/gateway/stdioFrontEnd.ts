/**
 * Serves one gateway session over this process's stdin and stdout. stdout carries only MCP
 * messages; the returned promise resolves when stdin ends.
 */
import { NdjsonMessageReader } from '../core/transport/ndjsonReader';
import { NdjsonMessageWriter } from '../core/transport/ndjsonWriter';
import { errorMessage } from '../core/util/errors';
import type { GatewayHost } from './gatewayHost';
import { GATEWAY_VERSION } from './gatewayHost';
import { GatewaySession, type JsonRpcNotification, type JsonRpcResponse } from './gatewaySession';
import { watchServerStates } from './serverStateLog';

export function serveStdio(host: GatewayHost, log: (line: string) => void): Promise<void> {
  const reader = new NdjsonMessageReader(process.stdin);
  const writer = new NdjsonMessageWriter(process.stdout);
  const write = (message: JsonRpcResponse | JsonRpcNotification): void => {
    writer.write(message).catch((error: unknown) => log(`Could not write to stdout: ${errorMessage(error)}`));
  };
  const session = new GatewaySession({
    catalog: host.catalog,
    router: host.router,
    serverInfo: { name: 'warden-gateway', version: GATEWAY_VERSION },
    send: write,
    log,
  });
  const changes = host.onDidChangeOffer(() => session.toolsMayHaveChanged());
  const states = watchServerStates(host.registry, ({ level, data }) => session.log(level, data));
  reader.onNoise(({ line }) => log(`Ignored a line on stdin that is not JSON: ${line}`));
  reader.onError((error) => log(`stdin: ${error.message}`));
  return new Promise((resolve) => {
    reader.onClose(() => {
      changes.dispose();
      states.dispose();
      session.dispose();
      resolve();
    });
    reader.listen((message) => {
      session.handle(message).then(
        (handled) => {
          if (handled.response && !handled.cancelled) write(handled.response);
        },
        (error: unknown) => log(`A message could not be handled: ${errorMessage(error)}`),
      );
    });
  });
}
