/**
 * One fetch, from URL to text: check the URL, resolve and check its addresses, send the request
 * pinned to a checked address, follow up to five redirects (each hop checked exactly like the
 * first), then read the body into text. The whole exchange runs under one deadline, and the
 * caller's signal (the client cancelling) aborts it at any point.
 */
import type { IncomingMessage } from 'node:http';
import { ToolError } from '../shared/toolResult';
import { parseContentType, type ContentType } from './contentType';
import { checkUrl, type FetchPolicy } from './fetchPolicy';
import { readBody, type BodyText } from './readBody';
import { resolveTarget, type Resolver } from './resolveTarget';
import { sendRequest } from './sendRequest';

export const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export interface FetchRequest {
  readonly url: string;
  readonly method: 'GET' | 'HEAD';
  /** Checked request headers, defaults included. */
  readonly headers: Readonly<Record<string, string>>;
  readonly offset: number;
  readonly maxBytes: number;
}

export interface FetchLimits {
  readonly policy: FetchPolicy;
  readonly resolve: Resolver;
  readonly timeoutMs: number;
  readonly downloadLimit: number;
}

export interface FetchedPage {
  readonly finalUrl: string;
  /** Every URL a redirect led to, in order. */
  readonly redirects: readonly string[];
  readonly status: number;
  readonly statusText: string;
  readonly contentType: ContentType;
  readonly headers: Readonly<Record<string, string>>;
  /** Absent for HEAD. */
  readonly body?: BodyText;
}

/** Response headers worth showing a model. */
const SHOWN_HEADERS = ['content-type', 'content-length', 'content-language', 'last-modified', 'etag', 'cache-control', 'expires', 'retry-after'];

export async function fetchPage(request: FetchRequest, limits: FetchLimits, signal: AbortSignal): Promise<FetchedPage> {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new ToolError(`Timed out after ${limits.timeoutMs} ms fetching ${request.url}: the server did not finish answering in time. Try again later.`)),
    limits.timeoutMs,
  );
  const onCancel = (): void => controller.abort(new ToolError('The client cancelled the fetch.'));
  signal.addEventListener('abort', onCancel, { once: true });
  if (signal.aborted) onCancel();
  try {
    return await untilAborted(exchange(request, limits, controller.signal), controller.signal);
  } catch (error) {
    const aborted = controller.signal.reason;
    if (controller.signal.aborted && aborted instanceof ToolError) throw aborted;
    throw error;
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onCancel);
    controller.abort(new ToolError('The fetch is over.'));
  }
}

async function exchange(request: FetchRequest, limits: FetchLimits, signal: AbortSignal): Promise<FetchedPage> {
  const redirects: string[] = [];
  let url = request.url;
  for (;;) {
    const response = await hop(url, request, limits, signal, redirects);
    const location = response.headers.location;
    if (!REDIRECTS.has(response.statusCode ?? 0) || location === undefined) {
      return await describe(response, url, redirects, request, limits);
    }
    response.destroy();
    let next: string;
    try {
      next = new URL(location, url).href;
    } catch {
      throw new ToolError(`The redirect from ${url} points to ${JSON.stringify(location)}, which is not a valid URL.`);
    }
    if (redirects.length >= MAX_REDIRECTS) {
      throw new ToolError(
        `Too many redirects: ${request.url} redirected more than ${MAX_REDIRECTS} times (the last to ${next}). ` +
          'Fetch the final URL directly if you know it.',
      );
    }
    redirects.push(next);
    url = next;
  }
}

/** Checks and sends one request; a refusal after a redirect names the hop. */
async function hop(url: string, request: FetchRequest, limits: FetchLimits, signal: AbortSignal, redirects: readonly string[]): Promise<IncomingMessage> {
  try {
    const target = checkUrl(url, limits.policy);
    const pinned = await untilAborted(resolveTarget(target, limits.policy.allowPrivate, limits.resolve), signal);
    return await sendRequest({ target, pinned, method: request.method, headers: request.headers, signal });
  } catch (error) {
    if (signal.aborted) throw error;
    const message = error instanceof ToolError ? error.message : `Could not connect to ${hostOf(url)}: ${connectReason(error)}.`;
    if (redirects.length === 0) throw new ToolError(message);
    const from = redirects.length === 1 ? request.url : redirects[redirects.length - 2];
    throw new ToolError(`Stopped at redirect ${redirects.length} (from ${from} to ${url}). ${message}`);
  }
}

async function describe(
  response: IncomingMessage,
  url: string,
  redirects: readonly string[],
  request: FetchRequest,
  limits: FetchLimits,
): Promise<FetchedPage> {
  const contentType = parseContentType(response.headers['content-type']);
  const page = {
    finalUrl: url,
    redirects,
    status: response.statusCode ?? 0,
    statusText: response.statusMessage ?? '',
    contentType,
    headers: shownHeaders(response),
  };
  if (request.method === 'HEAD') {
    response.destroy();
    return page;
  }
  if (contentType.format === 'binary') {
    response.destroy();
    const length = response.headers['content-length'];
    const size = length !== undefined && /^\d+$/.test(length) ? `${length} bytes` : 'size not given';
    throw new ToolError(
      `Refused: ${url} is ${contentType.mediaType} (${size}), not text. Warden's fetch tool returns text only (HTML, JSON, XML and other text); ` +
        'use method HEAD to see a file\'s headers without downloading it.',
    );
  }
  const body = await readBody({ response, contentType, url, offset: request.offset, maxBytes: request.maxBytes, downloadLimit: limits.downloadLimit });
  return { ...page, body };
}

function shownHeaders(response: IncomingMessage): Record<string, string> {
  const shown: Record<string, string> = {};
  for (const name of SHOWN_HEADERS) {
    const value = response.headers[name];
    if (typeof value === 'string') shown[name] = value;
    else if (Array.isArray(value)) shown[name] = value.join(', ');
  }
  return shown;
}

/** Settles with `work`, or rejects with the signal's reason as soon as it aborts. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function connectReason(error: unknown): string {
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  if (code === 'ECONNREFUSED') return 'the connection was refused (nothing listens on that port)';
  if (code === 'ECONNRESET') return 'the server closed the connection';
  if (code.startsWith('ERR_TLS') || code.includes('CERT') || code === 'DEPTH_ZERO_SELF_SIGNED_CERT') {
    return `the TLS certificate was not accepted (${code})`;
  }
  return error instanceof Error ? error.message : String(error);
}
