/**
 * One client of the gateway over HTTP: its MCP session and its standing stream, which carries
 * whatever the session sends on its own. Disposing it stops its calls and ends the stream.
 */
import { ToolsListChanged } from '../core/protocol/methods';
import type { ToolRouter } from '../core/router/toolRouter';
import type { Disposable } from '../core/util/disposable';
import type { GatewayCatalog } from './gatewayCatalog';
import { GATEWAY_VERSION } from './gatewayHost';
import { GatewaySession } from './gatewaySession';
import { StandingStream, type StandingStreamOptions } from './standingStream';

export interface HttpSessionDeps {
  readonly catalog: GatewayCatalog;
  readonly router: ToolRouter;
  readonly stream: Omit<StandingStreamOptions, 'resync'>;
  readonly log: (line: string) => void;
}

export class HttpSession implements Disposable {
  readonly stream: StandingStream;
  readonly mcp: GatewaySession;

  constructor(deps: HttpSessionDeps) {
    const stream = new StandingStream({ ...deps.stream, resync: () => ({ jsonrpc: '2.0', method: ToolsListChanged.method }) });
    this.stream = stream;
    this.mcp = new GatewaySession({
      catalog: deps.catalog,
      router: deps.router,
      serverInfo: { name: 'warden-gateway', version: GATEWAY_VERSION },
      send: (notification) => stream.send(notification),
      log: deps.log,
    });
  }

  dispose(): void {
    this.stream.close();
    this.mcp.dispose();
  }
}
