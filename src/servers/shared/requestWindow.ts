/**
 * Bounds how many requests a server works on at once. A request beyond the window is held, and the
 * input is paused, until a reply has been written. Without it a burst of calls for large files is
 * read, run and answered all at once: every reply sits in memory, serialised, while the peer reads
 * at its own pace. With it, memory holds at most `limit` replies, whatever the burst.
 *
 * Notifications pass at once, in order with the requests already let through. A cancellation of a
 * request that is still held drops it: the caller has stopped waiting, and MCP sends no reply to a
 * cancelled request.
 */
import {
  AbstractMessageReader,
  type DataCallback,
  Disposable,
  type Message,
  type MessageReader,
  type MessageWriter,
  type RequestMessage,
} from 'vscode-jsonrpc/node';

/** Stops and restarts the bytes coming in (for stdio, `process.stdin.pause()` and `resume()`). */
export interface InputFlow {
  pause(): void;
  resume(): void;
}

type RequestId = RequestMessage['id'];

export class RequestWindow implements Disposable {
  readonly reader: MessageReader;
  readonly writer: MessageWriter;
  private readonly open = new Set<RequestId>();
  private readonly held: RequestMessage[] = [];
  private deliver: DataCallback | undefined;
  private paused = false;

  constructor(
    inner: { reader: MessageReader; writer: MessageWriter },
    private readonly limit: number,
    private readonly flow: InputFlow,
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`The request window must be a positive integer, not ${limit}.`);
    this.reader = new WindowReader(inner.reader, (message) => this.onMessage(message), (callback) => (this.deliver = callback));
    this.writer = new WindowWriter(inner.writer, (message) => this.onReplyWritten(message));
  }

  /** Requests let through and not yet answered. */
  get inFlight(): number {
    return this.open.size;
  }

  /** Requests read but held back. */
  get waiting(): number {
    return this.held.length;
  }

  dispose(): void {
    this.reader.dispose();
    this.writer.dispose();
  }

  private onMessage(message: Message): void {
    if (isRequest(message)) {
      if (this.open.size < this.limit && this.held.length === 0) this.pass(message);
      else this.hold(message);
      return;
    }
    if (isCancellation(message) && this.dropHeld(message.params.requestId)) return;
    this.deliver?.(message);
  }

  private pass(request: RequestMessage): void {
    this.open.add(request.id);
    this.deliver?.(request);
  }

  private hold(request: RequestMessage): void {
    this.held.push(request);
    if (!this.paused) {
      this.paused = true;
      this.flow.pause();
    }
  }

  private dropHeld(id: unknown): boolean {
    const index = this.held.findIndex((request) => request.id === id);
    if (index === -1) return false;
    this.held.splice(index, 1);
    this.release();
    return true;
  }

  private onReplyWritten(message: Message): void {
    if (!isReply(message) || !this.open.delete(message.id)) return;
    this.release();
  }

  /** Lets held requests through while there is room, and reads on once none is held. */
  private release(): void {
    while (this.open.size < this.limit && this.held.length > 0) this.pass(this.held.shift()!);
    if (this.held.length === 0 && this.paused) {
      this.paused = false;
      this.flow.resume();
    }
  }
}

class WindowReader extends AbstractMessageReader implements MessageReader {
  private subscription: Disposable | undefined;

  constructor(
    private readonly inner: MessageReader,
    private readonly route: (message: Message) => void,
    private readonly setDelivery: (callback: DataCallback | undefined) => void,
  ) {
    super();
    inner.onError((error) => this.fireError(error));
    inner.onClose(() => this.fireClose());
    inner.onPartialMessage((info) => this.firePartialMessage(info));
  }

  listen(callback: DataCallback): Disposable {
    this.setDelivery(callback);
    this.subscription = this.inner.listen(this.route);
    return Disposable.create(() => {
      this.setDelivery(undefined);
      this.subscription?.dispose();
      this.subscription = undefined;
    });
  }

  override dispose(): void {
    this.subscription?.dispose();
    this.inner.dispose();
    super.dispose();
  }
}

class WindowWriter implements MessageWriter {
  readonly onError;
  readonly onClose;

  constructor(
    private readonly inner: MessageWriter,
    private readonly written: (message: Message) => void,
  ) {
    this.onError = inner.onError;
    this.onClose = inner.onClose;
  }

  async write(message: Message): Promise<void> {
    try {
      await this.inner.write(message);
    } finally {
      // A reply that could not be written frees its slot too: the peer will not get it either way.
      this.written(message);
    }
  }

  end(): void {
    this.inner.end();
  }

  dispose(): void {
    this.inner.dispose();
  }
}

function isRequest(message: Message): message is RequestMessage {
  const candidate = message as Partial<RequestMessage>;
  return typeof candidate.method === 'string' && candidate.id !== undefined && candidate.id !== null;
}

function isReply(message: Message): message is Message & { id: RequestId } {
  const candidate = message as { method?: unknown; id?: unknown };
  return candidate.method === undefined && (typeof candidate.id === 'string' || typeof candidate.id === 'number');
}

function isCancellation(message: Message): message is Message & { params: { requestId: unknown } } {
  const candidate = message as { method?: unknown; params?: { requestId?: unknown } };
  return candidate.method === 'notifications/cancelled' && candidate.params?.requestId !== undefined;
}
