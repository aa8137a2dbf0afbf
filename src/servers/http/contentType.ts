/**
 * How a response body is turned into text, decided from its Content-Type: HTML is converted to
 * readable text, JSON is re-indented, other textual types are returned as they are, and anything
 * else (images, audio, video, fonts, archives, PDF, octet-stream...) is refused unread.
 */
import { TextDecoder } from 'node:util';

export type BodyFormat = 'html' | 'json' | 'text' | 'binary' | 'unknown';

export interface ContentType {
  /** The media type in lower case, without parameters; '' when the header is missing. */
  readonly mediaType: string;
  /** The charset parameter as given, lower case; undefined when absent. */
  readonly charset?: string;
  readonly format: BodyFormat;
}

const TEXTUAL_APPLICATION = new Set([
  'application/xml',
  'application/javascript',
  'application/ecmascript',
  'application/x-javascript',
  'application/yaml',
  'application/x-yaml',
  'application/toml',
  'application/x-sh',
  'application/x-httpd-php',
  'application/sql',
  'application/graphql',
  'application/x-ndjson',
  'application/jsonl',
  'application/x-www-form-urlencoded',
]);

export function parseContentType(header: string | undefined): ContentType {
  if (header === undefined || header.trim() === '') return { mediaType: '', format: 'unknown' };
  const [type = '', ...params] = header.split(';');
  const mediaType = type.trim().toLowerCase();
  let charset: string | undefined;
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq === -1) continue;
    if (param.slice(0, eq).trim().toLowerCase() !== 'charset') continue;
    charset = param.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1').toLowerCase();
  }
  return charset === undefined || charset === '' ? { mediaType, format: formatOf(mediaType) } : { mediaType, charset, format: formatOf(mediaType) };
}

function formatOf(mediaType: string): BodyFormat {
  if (mediaType === 'text/html' || mediaType === 'application/xhtml+xml') return 'html';
  if (mediaType === 'application/json' || mediaType === 'text/json' || mediaType.endsWith('+json')) return 'json';
  if (mediaType.startsWith('text/') || mediaType.endsWith('+xml') || TEXTUAL_APPLICATION.has(mediaType)) return 'text';
  if (!/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(mediaType)) return 'unknown';
  return 'binary';
}

/**
 * The charset a body declares in its first bytes: a byte order mark, or (for HTML) a
 * `<meta charset>` or `<meta http-equiv content="...; charset=...">` in the first 1024 bytes.
 */
export function sniffCharset(head: Uint8Array, format: BodyFormat): string | undefined {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  if (format !== 'html') return undefined;
  const prefix = Buffer.from(head.subarray(0, 1024)).toString('latin1');
  const match = /<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)/i.exec(prefix);
  return match?.[1]?.toLowerCase();
}

export interface TextDecoding {
  readonly decoder: TextDecoder;
  /** Set when the declared charset was not known and UTF-8 was used instead. */
  readonly unknownLabel?: string;
}

/** A streaming decoder for `label` (UTF-8 when absent or unknown). */
export function decoderFor(label: string | undefined): TextDecoding {
  if (label === undefined) return { decoder: new TextDecoder('utf-8') };
  try {
    return { decoder: new TextDecoder(label) };
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return { decoder: new TextDecoder('utf-8'), unknownLabel: label };
  }
}

/** True when the bytes look like binary data rather than text: a NUL byte in the first 1024. */
export function looksBinary(head: Uint8Array): boolean {
  return head.subarray(0, 1024).includes(0);
}
