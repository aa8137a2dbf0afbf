/**
 * The checks every HTTP request to the gateway passes before anything else reads it: the Host
 * header (DNS rebinding), the Origin header (a web page's requests), the bearer token, and the
 * protocol version header. Pure functions, so each can be tested alone.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import { SUPPORTED_PROTOCOL_VERSIONS } from '../core/protocol/versions';

export const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** `host:port` values a request may name in its Host header. */
export function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
}

export function hostAllowed(host: string | undefined, port: number): boolean {
  return host !== undefined && allowedHosts(port).has(host.toLowerCase());
}

/** An absent Origin is a non-browser client; a present one must be this gateway's own. */
export function originAllowed(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // Not a URL at all: not an origin this gateway serves.
  }
  return url.protocol === 'http:' && url.origin === origin.replace(/\/$/, '') && allowedHosts(port).has(url.host);
}

/** True when `authorization` is `Bearer <token>` with exactly this token (compared in constant time). */
export function bearerMatches(authorization: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!match) return false;
  const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(match[1]!), digest(token));
}

/** Absent is allowed (the client is assumed to speak 2025-03-26); otherwise one Warden supports. */
export function protocolVersionAllowed(version: string | undefined): boolean {
  return version === undefined || SUPPORTED_PROTOCOL_VERSIONS.includes(version);
}
