/**
 * Serves the gateway over Streamable HTTP (MCP 2025-11-25) on one endpoint, `/mcp`.
 *
 * - POST carries one message: a request is answered with JSON, except a `tools/call` from a
 *   client that accepts `text/event-stream`, which gets a stream of the call's progress and then
 *   its response; a notification or response gets 202.
 * - GET with `Accept: text/event-stream` opens the session's standing stream (see
 *   standingStream.ts): list_changed, log messages, and progress of calls answered as JSON.
 * - DELETE ends a session. Sessions are issued at `initialize` in `MCP-Session-Id`; one that
 *   ended (DELETE, idle too long, evicted) or never existed gets 404, and the client initializes
 *   again (see sessionTable.ts).
 *
 * Every request first passes the Host and Origin checks, then the bearer token; only `/health`
 * needs no token. `/metrics` reports per-tool summaries.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Initialize, ToolsCall } from '../core/protocol/methods';
import { systemClock, type Clock } from '../core/util/clock';
import type { Disposable } from '../core/util/disposable';
import { errorMessage } from '../core/util/errors';
import type { GatewayHost } from './gatewayHost';
import { messageProblem } from './gatewaySession';
import { MAX_BODY_BYTES, bearerMatches, hostAllowed, originAllowed, protocolVersionAllowed } from './httpGuards';
import { accepts, header, notAllowed, readBody, rpcError, send } from './httpIo';
import { HttpSession } from './httpSession';
import { watchServerStates } from './serverStateLog';
import { SseWriter } from './sseWriter';
import { SessionTable, type EndReason } from './sessionTable';

export interface HttpOptions {
  readonly host: string;
  readonly port: number;
  readonly token: string;
  /** How long a session may sit idle before it ends. */
  readonly sessionIdleMs: number;
  readonly maxSessions: number;
  /** Events of a standing stream kept for a client that reconnects; default 256. */
  readonly replayEvents?: number;
  /** How often an idle standing stream gets a keep-alive comment; default 15 s. */
  readonly keepAliveMs?: number;
  readonly clock?: Clock;
}

export interface HttpGateway {
  readonly port: number;
  close(): Promise<void>;
}

const SESSION_HEADER = 'mcp-session-id';
const SESSION_ENDED = 'Session not found: it ended (DELETE, or idle too long) or never existed. Initialize a new one.';
const ENDED_BECAUSE: Record<EndReason, string> = {
  deleted: 'ended by the client',
  expired: 'expired after idling',
  evicted: 'evicted to make room for a new one',
  shutdown: 'closed at shutdown',
};

export async function serveHttp(host: GatewayHost, options: HttpOptions, log: (line: string) => void): Promise<HttpGateway> {
  let port = options.port;
  const clock = options.clock ?? systemClock;
  const sessions = new SessionTable<HttpSession>({
    idleMs: options.sessionIdleMs,
    maxSessions: options.maxSessions,
    clock,
    onEnded: (id, reason) => log(`session ${id.slice(0, 8)} ${ENDED_BECAUSE[reason]}`),
  });
  const subscriptions: Disposable[] = [
    host.onDidChangeOffer(() => {
      for (const session of sessions.values()) session.mcp.toolsMayHaveChanged();
    }),
    watchServerStates(host.registry, ({ level, data }) => {
      for (const session of sessions.values()) session.mcp.log(level, data);
    }),
  ];

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log(`HTTP ${req.method ?? '?'} ${req.url ?? '?'} failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      if (!res.headersSent) send(res, 500, { error: `The gateway failed: ${errorMessage(error)}` });
      else res.end();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://gateway').pathname;
    if (!hostAllowed(req.headers.host, port)) {
      return send(res, 403, { error: `Host "${req.headers.host ?? ''}" is not this gateway; use http://127.0.0.1:${port}.` });
    }
    if (!originAllowed(header(req, 'origin'), port)) {
      return send(res, 403, { error: `Requests from origin "${header(req, 'origin') ?? ''}" are not allowed.` });
    }
    if (path === '/health') return req.method === 'GET' ? send(res, 200, { ok: true }) : notAllowed(res, 'GET');
    if (path !== '/mcp' && path !== '/metrics') return send(res, 404, { error: `Nothing at ${path}: the MCP endpoint is /mcp.` });
    if (!bearerMatches(header(req, 'authorization'), options.token)) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      return send(res, 401, { error: 'Send the gateway token as "Authorization: Bearer <token>".' });
    }
    if (path === '/metrics') return req.method === 'GET' ? send(res, 200, { tools: host.metrics.all() }) : notAllowed(res, 'GET');
    if (req.method !== 'POST' && req.method !== 'GET' && req.method !== 'DELETE') return notAllowed(res, 'POST, GET, DELETE');
    if (!protocolVersionAllowed(header(req, 'mcp-protocol-version'))) {
      return send(res, 400, rpcError(-32600, `Unsupported MCP-Protocol-Version "${header(req, 'mcp-protocol-version') ?? ''}".`));
    }
    switch (req.method) {
      case 'POST':
        return post(req, res);
      case 'GET':
        return openStream(req, res);
      case 'DELETE':
        return remove(req, res);
    }
  }

  async function post(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (body === 'too-large') return send(res, 413, rpcError(-32600, `The message is larger than ${MAX_BODY_BYTES} bytes.`));
    let message: unknown;
    try {
      message = JSON.parse(body.toString('utf8'));
    } catch (error) {
      return send(res, 400, rpcError(-32700, `The body is not JSON: ${errorMessage(error)}.`));
    }
    const problem = messageProblem(message);
    if (problem !== undefined) return send(res, 400, rpcError(-32600, `Invalid JSON-RPC message: ${problem}.`));
    const m = message as { id?: string | number; method?: string };
    const sessionId = header(req, SESSION_HEADER);
    if (m.method === Initialize.method && m.id !== undefined) {
      if (sessionId !== undefined) return send(res, 400, rpcError(-32600, 'initialize starts a new session: send it without MCP-Session-Id.'));
      return initialize(message, res);
    }
    if (sessionId === undefined) return send(res, 400, rpcError(-32600, 'MCP-Session-Id is required: initialize first and send the id it returned.'));
    const session = sessions.get(sessionId);
    const hold = sessions.hold(sessionId);
    if (!session || !hold) return send(res, 404, rpcError(-32001, SESSION_ENDED));
    try {
      if (m.method === undefined || m.id === undefined) {
        await session.mcp.handle(message);
        res.writeHead(202).end();
        return;
      }
      return await answer(session, m.id, m.method, message, req, res);
    } finally {
      hold.dispose();
    }
  }

  async function initialize(message: unknown, res: http.ServerResponse): Promise<void> {
    if (!sessions.hasRoom()) return busy(res);
    const session = new HttpSession({
      catalog: host.catalog,
      router: host.router,
      stream: { replayEvents: options.replayEvents ?? 256, keepAliveMs: options.keepAliveMs ?? 15_000, clock },
      log,
    });
    const handled = await session.mcp.handle(message);
    if (handled.response?.error === undefined) {
      const admission = sessions.add(session);
      if (admission.kind === 'full') {
        session.dispose();
        return busy(res);
      }
      res.setHeader('MCP-Session-Id', admission.id);
    } else {
      session.dispose();
    }
    return send(res, 200, handled.response);
  }

  async function answer(session: HttpSession, requestId: string | number, method: string, message: unknown, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    // A client that hangs up no longer wants the answer: cancel the call.
    const onClose = (): void => {
      if (!res.writableEnded) void session.mcp.handle({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId, reason: 'The HTTP request was closed.' } });
    };
    res.on('close', onClose);
    try {
      // A client that accepts a stream gets the call's progress on it, then the answer.
      if (method === ToolsCall.method && accepts(req, 'text/event-stream')) {
        const stream = SseWriter.open(res);
        const handled = await session.mcp.handle(message, (notification) => stream.message(notification));
        stream.message(handled.response);
        stream.end();
        return;
      }
      const handled = await session.mcp.handle(message);
      return send(res, 200, handled.response);
    } finally {
      res.off('close', onClose);
    }
  }

  function openStream(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (!accepts(req, 'text/event-stream')) {
      return send(res, 406, { error: 'GET opens a server-sent event stream: send "Accept: text/event-stream".' });
    }
    const sessionId = header(req, SESSION_HEADER);
    if (sessionId === undefined) return send(res, 400, { error: 'MCP-Session-Id is required: initialize first with POST, then open the stream.' });
    const session = sessions.get(sessionId);
    if (!session) return send(res, 404, { error: SESSION_ENDED });
    const outcome = session.stream.attach(res, header(req, 'last-event-id'));
    switch (outcome.kind) {
      case 'conflict':
        return send(res, 409, { error: 'This session already has a standing stream. Close it first, or reconnect with Last-Event-ID to replace it.' });
      case 'closed':
        return send(res, 404, { error: SESSION_ENDED });
      case 'attached': {
        // An open stream keeps the session from idling out.
        const hold = sessions.hold(sessionId);
        res.on('close', () => hold?.dispose());
        return;
      }
    }
  }

  function remove(req: http.IncomingMessage, res: http.ServerResponse): void {
    const sessionId = header(req, SESSION_HEADER);
    if (sessionId === undefined) return send(res, 400, { error: 'MCP-Session-Id is required to end a session.' });
    if (!sessions.end(sessionId, 'deleted')) return send(res, 404, { error: SESSION_ENDED });
    res.writeHead(204).end();
  }

  function busy(res: http.ServerResponse): void {
    res.setHeader('Retry-After', '5');
    send(res, 503, rpcError(-32603, `All ${options.maxSessions} sessions are in use; end one with DELETE /mcp, or try again shortly.`));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  return {
    port,
    close: async () => {
      for (const subscription of subscriptions) subscription.dispose();
      sessions.dispose();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
