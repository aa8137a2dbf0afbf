/**
 * The host allow-list. A pattern is an exact host (`api.example.com`, `127.0.0.1`, `[::1]`) or
 * `*.example.com`, which matches every subdomain of example.com but not example.com itself.
 * Patterns and hosts are compared in the form the WHATWG URL parser gives (lower case, IDN as
 * punycode, IPv4 in dotted decimal, IPv6 compressed in brackets) with one trailing dot removed,
 * so `API.Example.com.` and `api.example.com` are the same host. A wildcard never matches an IP.
 */
import { isIpLiteral } from './addressPolicy';

export interface HostPattern {
  /** As given on the command line. */
  readonly text: string;
  readonly kind: 'exact' | 'subdomains';
  /** Canonical host; for `subdomains`, the part after `*.`. */
  readonly host: string;
}

export type PatternParse = { readonly ok: true; readonly pattern: HostPattern } | { readonly ok: false; readonly message: string };

// Letters, digits, '-', '_', '.', and any non-ASCII character (an IDN label); IPv6 in brackets.
const NAME_CHARS = /^[A-Za-z0-9._\-\u0080-\uffff]+$/;
const BRACKETED_IPV6 = /^\[[0-9A-Fa-f:.]+\]$/;

export function parseHostPattern(input: string): PatternParse {
  const text = input.trim();
  const wildcard = text.startsWith('*.');
  const body = wildcard ? text.slice(2) : text;
  const host = canonicalHost(/^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*$/.test(body) ? `[${body}]` : body);
  if (host === undefined) {
    return {
      ok: false,
      message: `${JSON.stringify(input)} is not a host pattern: give a host name (api.example.com), *.example.com for its subdomains, or an IP address.`,
    };
  }
  if (!wildcard) return { ok: true, pattern: { text: input, kind: 'exact', host } };
  if (isIpLiteral(host)) {
    return { ok: false, message: `${JSON.stringify(input)}: a wildcard needs a domain name after "*.", not an IP address.` };
  }
  if (!host.includes('.')) {
    return { ok: false, message: `${JSON.stringify(input)} is too broad: a wildcard needs at least two labels after "*." (like *.example.com).` };
  }
  return { ok: true, pattern: { text: input, kind: 'subdomains', host } };
}

/** The canonical form of a host as written in a pattern; undefined when it is not a plain host. */
function canonicalHost(text: string): string | undefined {
  if (text === '' || !(NAME_CHARS.test(text) || BRACKETED_IPV6.test(text))) return undefined;
  let url: URL;
  try {
    url = new URL(`http://${text}/`);
  } catch {
    return undefined;
  }
  if (url.port !== '' || url.username !== '' || url.password !== '' || url.pathname !== '/') return undefined;
  const host = normaliseHost(url.hostname);
  // Every label must be there: no "a..b", no leading or (second) trailing dot.
  return host === '' || (!host.startsWith('[') && host.split('.').includes('')) ? undefined : host;
}

/** A URL's hostname as the allow-list compares it: lower case, one trailing dot removed. */
export function normaliseHost(hostname: string): string {
  const lower = hostname.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/** The first pattern that allows `hostname` (a URL's hostname), or undefined. */
export function matchHost(hostname: string, patterns: readonly HostPattern[]): HostPattern | undefined {
  const host = normaliseHost(hostname);
  if (host === '') return undefined;
  const ip = isIpLiteral(host);
  return patterns.find((p) => (p.kind === 'exact' ? p.host === host : !ip && host.endsWith(`.${p.host}`)));
}
