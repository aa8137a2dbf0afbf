/**
 * One Streamable HTTP endpoint and the session held with it: builds each request's headers (the
 * configured ones, the bearer token, `MCP-Session-Id` once the server gave one, and
 * `MCP-Protocol-Version` once initialize settled it) and sends POST, GET and DELETE. Redirects are
 * not followed: credentials must not travel to a URL nobody configured.
 */

export interface HttpEndpointOptions {
  readonly url: URL;
  readonly headers?: Readonly<Record<string, string>>;
  readonly bearerToken?: string;
  /** Node's global fetch unless a test passes another. */
  readonly fetch?: typeof fetch;
}

export const SESSION_HEADER = 'mcp-session-id';
export const PROTOCOL_VERSION_HEADER = 'mcp-protocol-version';

export class HttpEndpoint {
  private session: string | undefined;
  private version: string | undefined;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: HttpEndpointOptions) {
    this.fetchImpl = options.fetch ?? fetch;
  }

  get url(): URL {
    return this.options.url;
  }

  /** Where to say the server is, in messages: scheme, host and path, never a query. */
  get where(): string {
    const { protocol, host, pathname } = this.options.url;
    return `${protocol}//${host}${pathname}`;
  }

  get sessionId(): string | undefined {
    return this.session;
  }

  /** Takes the session id from the initialize response; a value that is not visible ASCII is refused. */
  adoptSession(response: Response): string | undefined {
    const id = response.headers.get(SESSION_HEADER);
    if (id === null) return undefined;
    if (!/^[\x21-\x7e]+$/.test(id)) return `the server sent an invalid ${SESSION_HEADER} header`;
    this.session = id;
    return undefined;
  }

  set protocolVersion(version: string) {
    this.version = version;
  }

  post(body: string, signal: AbortSignal): Promise<Response> {
    return this.send('POST', { accept: 'application/json, text/event-stream', 'content-type': 'application/json' }, signal, body);
  }

  /** Opens an event stream: the standing one, or a resumption after `lastEventId`. */
  get(lastEventId: string | undefined, signal: AbortSignal): Promise<Response> {
    return this.send('GET', { accept: 'text/event-stream', ...(lastEventId !== undefined && { 'last-event-id': lastEventId }) }, signal);
  }

  delete(signal: AbortSignal): Promise<Response> {
    return this.send('DELETE', {}, signal);
  }

  private send(method: string, extra: Record<string, string>, signal: AbortSignal, body?: string): Promise<Response> {
    const headers = new Headers(this.options.headers ?? {});
    if (this.options.bearerToken !== undefined) headers.set('authorization', `Bearer ${this.options.bearerToken}`);
    for (const [name, value] of Object.entries(extra)) headers.set(name, value);
    if (this.session !== undefined) headers.set(SESSION_HEADER, this.session);
    if (this.version !== undefined) headers.set(PROTOCOL_VERSION_HEADER, this.version);
    return this.fetchImpl(this.options.url, { method, headers, signal, redirect: 'manual', ...(body !== undefined && { body }) });
  }
}

/** A network failure as a clause: "connection refused (ECONNREFUSED)". */
export function describeFetchError(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ECONNREFUSED') return 'the connection was refused (ECONNREFUSED)';
    if (code === 'ENOTFOUND') return 'the host name was not found (ENOTFOUND)';
    if (code === 'ECONNRESET') return 'the connection was reset (ECONNRESET)';
    return code !== undefined ? `${cause.message} (${code})` : cause.message;
  }
  return String(cause);
}

/** An HTTP status the person can act on. */
export function describeStatus(response: Response): string {
  const text = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  if (response.status === 401 || response.status === 403) return `${text}: the server refused the credentials; check the bearer token and headers`;
  if (response.status >= 300 && response.status < 400) {
    const location = response.headers.get('location');
    return `${text}: the server redirects${location ? ` to ${location}` : ''}; configure the final URL instead`;
  }
  return text;
}
