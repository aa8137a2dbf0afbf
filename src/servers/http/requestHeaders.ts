/**
 * The request headers a caller may set. Only content negotiation and conditional requests are
 * allowed: nothing that carries credentials (Authorization, Cookie), changes routing (Host,
 * Forwarded, X-Forwarded-For) or the framing of the exchange (Content-Length, Transfer-Encoding,
 * Connection). Range is left out on purpose: paging is done with `offset`, which counts bytes of
 * the returned text, and a partial body would make that count meaningless.
 */
import { ToolError } from '../shared/toolResult';

export const ALLOWED_REQUEST_HEADERS: readonly string[] = ['Accept', 'Accept-Language', 'If-None-Match', 'If-Modified-Since'];

const BY_LOWER = new Map(ALLOWED_REQUEST_HEADERS.map((name) => [name.toLowerCase(), name]));
const MAX_VALUE_CHARS = 1024;
// Visible ASCII, space and tab: no line breaks, no control characters, nothing Node would reject.
const VALUE = /^[\t\x20-\x7e]*$/;

export const DEFAULT_ACCEPT = 'text/html,application/xhtml+xml,application/json;q=0.9,text/*;q=0.8,*/*;q=0.1';
export const USER_AGENT = 'Warden-fetch/0.1 (MCP fetch tool)';

/** The headers to send: the caller's (checked), then defaults for what it left out. */
export function requestHeaders(given: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(given ?? {})) {
    const canonical = BY_LOWER.get(name.toLowerCase());
    if (canonical === undefined) {
      throw new ToolError(
        `The request header ${JSON.stringify(name)} cannot be set. Warden's fetch tool sends only ${ALLOWED_REQUEST_HEADERS.join(', ')}; ` +
          'leave the others out.',
      );
    }
    if (canonical in headers) throw new ToolError(`The request header ${canonical} is given twice; give it once.`);
    if (value.length > MAX_VALUE_CHARS || !VALUE.test(value)) {
      throw new ToolError(
        `The value of the request header ${canonical} must be at most ${MAX_VALUE_CHARS} printable ASCII characters on one line.`,
      );
    }
    headers[canonical] = value;
  }
  headers['Accept'] ??= DEFAULT_ACCEPT;
  headers['User-Agent'] = USER_AGENT;
  headers['Accept-Encoding'] = 'gzip, deflate, br';
  return headers;
}
