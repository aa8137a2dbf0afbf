/**
 * Reading an HTTP response body as server-sent events, and the small facts about responses the
 * Streamable HTTP transport needs: is it an event stream, is it JSON, and its body read with a cap.
 */
import type { SseParser } from './sseParser';

export function isEventStream(response: Response): boolean {
  return mediaType(response) === 'text/event-stream';
}

export function isJson(response: Response): boolean {
  return mediaType(response) === 'application/json';
}

function mediaType(response: Response): string {
  return (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * Feeds the body to `parser` until it ends or `signal` aborts; rejects when the connection breaks.
 * Either way `parser.lastEventId` says where to resume from.
 */
export async function readEventStream(response: Response, parser: SseParser, signal: AbortSignal): Promise<void> {
  const body = response.body;
  if (!body) return;
  const reader = body.getReader();
  const onAbort = (): void => {
    // Cancelling ends the pending read; a failure to cancel leaves nothing to clean up.
    reader.cancel().catch(() => undefined);
  };
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || signal.aborted) break;
      parser.push(value);
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    parser.end();
    reader.releaseLock();
  }
}

export type CappedBody = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'tooLarge'; readonly limitBytes: number };

/** The body as UTF-8 text, or `tooLarge` (the rest is not read) when it exceeds `maxBytes`. */
export async function readCappedBody(response: Response, maxBytes: number): Promise<CappedBody> {
  const body = response.body;
  if (!body) return { kind: 'text', text: '' };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > maxBytes) {
        await reader.cancel();
        return { kind: 'tooLarge', limitBytes: maxBytes };
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  return { kind: 'text', text: Buffer.concat(chunks).toString('utf8') };
}

/** Drops a body nobody reads, so the connection is freed. */
export function discardBody(response: Response): void {
  // Only frees the socket: a body that fails to cancel has nothing more to give anyway.
  response.body?.cancel().catch(() => undefined);
}
