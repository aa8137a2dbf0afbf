/** Server-sent events read from a fetch() response, one at a time, for tests of SSE endpoints. */
export interface SseEvent {
  readonly id?: string;
  readonly event?: string;
  readonly data: string;
  readonly comments: readonly string[];
}

export class SseReader {
  private buffer = '';
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder();

  constructor(response: Response) {
    if (!response.body) throw new Error(`The response (${response.status}) has no body to read events from.`);
    this.reader = response.body.getReader();
  }

  /**
   * The next event, with the comments sent since the previous one (keep-alives, notes), or
   * undefined when the stream ended first.
   */
  async next(): Promise<SseEvent | undefined> {
    const comments: string[] = [];
    for (;;) {
      const end = this.buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        const { event, dispatched } = parse(block);
        comments.push(...event.comments);
        if (dispatched) return { ...event, comments };
        continue;
      }
      const { value, done } = await this.reader.read();
      if (done) return undefined;
      this.buffer += this.decoder.decode(value, { stream: true });
    }
  }

  /** The next event that carries data, skipping priming events and keep-alives. */
  async nextMessage(): Promise<SseEvent | undefined> {
    for (;;) {
      const event = await this.next();
      if (event === undefined || event.data !== '') return event;
    }
  }

  async cancel(): Promise<void> {
    await this.reader.cancel();
  }
}

/** The block as an event; `dispatched` is false for a block of comments only. */
function parse(block: string): { event: SseEvent; dispatched: boolean } {
  let id: string | undefined;
  let event: string | undefined;
  const data: string[] = [];
  const comments: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) comments.push(line.slice(1).trim());
    else if (line.startsWith('id:')) id = line.slice(3).trim();
    else if (line.startsWith('event:')) event = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
  }
  return {
    event: { ...(id !== undefined && { id }), ...(event !== undefined && { event }), data: data.join('\n'), comments },
    dispatched: id !== undefined || event !== undefined || data.length > 0,
  };
}
