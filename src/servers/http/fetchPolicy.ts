/**
 * What a URL must satisfy before anything is resolved or sent: http: or https:, no user name or
 * password, a host on the allow-list, and port 80, 443 or one given with --allow-port. The first
 * URL and every redirect target pass through `checkUrl`.
 */
import { ToolError } from '../shared/toolResult';
import { matchHost, normaliseHost, type HostPattern } from './hostPattern';

export interface FetchPolicy {
  readonly patterns: readonly HostPattern[];
  /** Loopback and private addresses become reachable (metadata addresses never do). */
  readonly allowPrivate: boolean;
  /** Ports besides 80 and 443. */
  readonly extraPorts: readonly number[];
}

export interface CheckedUrl {
  readonly url: URL;
  /** The host to resolve and to name in Host and SNI: no brackets, no trailing dot. */
  readonly host: string;
  readonly port: number;
}

export const DEFAULT_PORTS: readonly number[] = [80, 443];
const SCHEMES = new Set(['http:', 'https:']);

export const HOW_TO_ALLOW =
  'To allow a host, add it to the VS Code setting warden.http.allowedHosts (for example "api.example.com" or "*.example.com"), ' +
  'or start the server with --allow <host>.';

export function checkUrl(input: string, policy: FetchPolicy): CheckedUrl {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new ToolError(`Refused: ${JSON.stringify(input)} is not an absolute URL. Pass a full URL that starts with https:// or http://.`);
  }
  if (!SCHEMES.has(url.protocol)) {
    throw new ToolError(`Refused: ${url.protocol} URLs cannot be fetched. Warden's fetch tool reaches only http: and https: URLs.`);
  }
  const host = normaliseHost(url.hostname);
  if (url.username !== '' || url.password !== '') {
    throw new ToolError(
      `Refused: ${url.href} has a user name${url.password === '' ? '' : ' and password'} before "@" (${JSON.stringify(url.username)}), ` +
        `so its host is ${host}. Warden's fetch tool never sends credentials in URLs: remove everything between "//" and "@".`,
    );
  }
  if (policy.patterns.length === 0) {
    throw new ToolError(`Refused: no host is allowed, so Warden's fetch tool cannot reach ${host}. ${HOW_TO_ALLOW}`);
  }
  if (!matchHost(host, policy.patterns)) {
    throw new ToolError(
      `Refused: ${host} is not on the allow-list (${policy.patterns.map((p) => p.text).join(', ')}). ` +
        `Fetch a URL on an allowed host, or ask the user to allow this one. ${HOW_TO_ALLOW}`,
    );
  }
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  if (!DEFAULT_PORTS.includes(port) && !policy.extraPorts.includes(port)) {
    const ports = [...DEFAULT_PORTS, ...policy.extraPorts].join(', ');
    throw new ToolError(
      `Refused: port ${port} is not allowed (allowed ports: ${ports}). ` +
        'Use the default port, or ask the user to allow this one (VS Code setting warden.http.allowedPorts, or --allow-port <n>).',
    );
  }
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return { url, host: bare, port };
}
