/**
 * Reads a response body into the text one call returns: decompress, decode by charset, convert
 * (HTML to text, JSON re-indented), then keep the window at `offset`. Nothing beyond the window
 * (and one chunk in flight) is held, and the response is destroyed as soon as the window is full,
 * so a large or endless body costs no more than what is returned. A download limit bounds how
 * much is read to reach a far offset (or to find text in a page that is mostly markup).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { pipeline, type Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { TextDecoder } from 'node:util';
import { ToolError } from '../shared/toolResult';
import { decoderFor, looksBinary, sniffCharset, type BodyFormat, type ContentType } from './contentType';
import { HtmlToText } from './htmlToText';
import { JsonIndenter } from './jsonIndent';
import { TextWindow, type WindowResult } from './textWindow';

/** A response body with its headers (an IncomingMessage is one). */
export interface ResponseBody extends Readable {
  readonly headers: IncomingHttpHeaders;
}

export interface BodyRequest {
  readonly response: ResponseBody;
  readonly contentType: ContentType;
  /** For resolving relative links in HTML. */
  readonly url: string;
  readonly offset: number;
  readonly maxBytes: number;
  /** Most bytes of (decompressed) body to read. */
  readonly downloadLimit: number;
}

export interface BodyText extends WindowResult {
  /** How the body was turned into text. */
  readonly format: 'html' | 'json' | 'text';
  /** The charset used to decode it (WHATWG name). */
  readonly charset: string;
  readonly unknownCharset?: string;
  /** True when reading stopped at the download limit, not at the end of the body. */
  readonly hitDownloadLimit: boolean;
}

interface Transform {
  write(text: string): string;
  end(): string;
}

const SNIFF_BYTES = 1024;

interface Stage {
  readonly transform: Transform;
  readonly decoder: TextDecoder;
  readonly format: BodyText['format'];
  readonly unknownCharset: string | undefined;
}

export async function readBody(request: BodyRequest): Promise<BodyText> {
  const { response } = request;
  const source = decompressed(response);
  const window = new TextWindow(request.offset, request.maxBytes);
  // The first bytes are held back until there are enough to sniff a charset or binary data.
  let head: Buffer[] = [];
  let headBytes = 0;
  let stage: Stage | undefined;
  let read = 0;
  let full = false;
  let hitLimit = false;

  const feed = (bytes: Buffer, last: boolean): boolean => {
    stage ??= startStage(request, bytes);
    const text = stage.decoder.decode(bytes, { stream: !last });
    if (window.push(stage.transform.write(text))) return true;
    return last ? window.push(stage.transform.end()) : false;
  };

  try {
    for await (const chunk of source) {
      const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      const allowed = Math.min(bytes.length, request.downloadLimit - read);
      hitLimit = allowed < bytes.length;
      read += allowed;
      head.push(bytes.subarray(0, allowed));
      headBytes += allowed;
      if (stage === undefined && headBytes < SNIFF_BYTES && !hitLimit) continue;
      const piece = head.length === 1 ? (head[0] ?? Buffer.alloc(0)) : Buffer.concat(head);
      head = [];
      full = feed(piece, false);
      if (full || hitLimit) break;
    }
    if (!full) full = feed(Buffer.concat(head), true);
  } catch (error) {
    if (error instanceof ToolError) throw error;
    throw new ToolError(`The connection failed while reading the body of ${request.url}: ${reason(error)}. Try again.`);
  } finally {
    source.destroy();
    response.destroy();
  }
  return {
    ...window.result(),
    format: stage?.format ?? 'text',
    charset: stage?.decoder.encoding ?? 'utf-8',
    ...(stage?.unknownCharset !== undefined && { unknownCharset: stage.unknownCharset }),
    hitDownloadLimit: hitLimit && !full,
  };
}

function startStage(request: BodyRequest, head: Buffer): Stage {
  const { contentType } = request;
  const format = textFormat(contentType.format, head, contentType.mediaType);
  const label = contentType.charset ?? sniffCharset(head, format) ?? (format === 'json' ? 'utf-8' : undefined);
  const decoding = decoderFor(label);
  const transform: Transform = format === 'html' ? new HtmlToText(request.url) : format === 'json' ? new JsonIndenter() : passThrough();
  return { transform, decoder: decoding.decoder, format, unknownCharset: decoding.unknownLabel };
}

function passThrough(): Transform {
  return { write: (text) => text, end: () => '' };
}

/** The format to use once the first bytes are known: a body without a type is text unless it looks binary. */
function textFormat(format: BodyFormat, head: Buffer, mediaType: string): BodyText['format'] {
  if (format === 'html' || format === 'json' || format === 'text') return format;
  if (looksBinary(head) && sniffCharset(head, 'text') === undefined) {
    throw new ToolError(
      `Refused: the response has ${mediaType === '' ? 'no Content-Type' : `the Content-Type ${JSON.stringify(mediaType)}`} and its body looks binary. ` +
        "Warden's fetch tool returns text only (HTML, JSON, XML and other text).",
    );
  }
  return 'text';
}

function decompressed(response: ResponseBody): Readable {
  const encoding = (response.headers['content-encoding'] ?? '').trim().toLowerCase();
  const decompressor =
    encoding === '' || encoding === 'identity'
      ? undefined
      : encoding === 'gzip' || encoding === 'x-gzip'
        ? zlib.createGunzip()
        : encoding === 'deflate'
          ? zlib.createInflate()
          : encoding === 'br'
            ? zlib.createBrotliDecompress()
            : null;
  if (decompressor === undefined) return response;
  if (decompressor === null) {
    response.destroy();
    throw new ToolError(`The response is compressed with ${JSON.stringify(encoding)}, which Warden's fetch tool cannot decode.`);
  }
  // pipeline destroys both streams when either fails or is destroyed; the error reaches the reader.
  return pipeline(response, decompressor, () => undefined);
}

function reason(error: unknown): string {
  if (error instanceof Error) return 'code' in error && typeof error.code === 'string' ? `${error.code} (${error.message})` : error.message;
  return String(error);
}
