/**
 * Which URLs Warden will send MCP traffic to: https anywhere, plain http only to a loopback
 * address (127.0.0.0/8, ::1, localhost) unless the configuration allows it explicitly. Anything
 * else (file:, ws:, javascript:, credentials in the URL) is refused with a reason.
 */

export type RemoteUrlCheck = { readonly ok: true; readonly url: URL } | { readonly ok: false; readonly error: string };

export interface RemoteUrlOptions {
  /** Plain http to a non-loopback host was asked for explicitly. */
  readonly allowInsecureHttp?: boolean;
}

export function checkRemoteUrl(text: string, options: RemoteUrlOptions = {}): RemoteUrlCheck {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, error: `"${text}" is not a valid URL; write it as https://host/path` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, error: `the URL scheme "${url.protocol.replace(/:$/, '')}" is not supported; an MCP server URL must start with https:// (or http:// for a local server)` };
  }
  if (url.username !== '' || url.password !== '') {
    return { ok: false, error: 'the URL holds a user name or password; put credentials in "headers" (for example an Authorization header) instead' };
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname) && options.allowInsecureHttp !== true) {
    return {
      ok: false,
      error: `plain http:// is allowed only to this machine (localhost, 127.0.0.1, [::1]); use https://${url.host}${url.pathname}, or set "allowInsecureHttp": true if you accept that ${url.hostname} sees the traffic unencrypted`,
    };
  }
  url.hash = '';
  return { ok: true, url };
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '::1') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
