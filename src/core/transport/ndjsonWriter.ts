/**
 * Writes MCP's stdio framing: each message as one line of JSON. One write is in flight at a time;
 * small messages queued behind it go out together in the next write, so they share a syscall. A
 * batch stops growing at `BATCH_BYTES`: joining a backlog of large replies into one string would
 * copy all of them once more while the peer is reading slowly.
 */
import { AbstractMessageWriter, type Message, type MessageWriter } from 'vscode-jsonrpc/node';
import type { Writable } from 'node:stream';

/** Messages are joined into one write up to this many characters; a longer message goes alone. */
export const BATCH_BYTES = 64 * 1024;

interface Queued {
  data: string;
  resolve: () => void;
  reject: (error: Error) => void;
}

export class NdjsonMessageWriter extends AbstractMessageWriter implements MessageWriter {
  private queue: Queued[] = [];
  private writing = false;
  private closed = false;
  private errorCount = 0;

  constructor(private readonly writable: Writable) {
    super();
    writable.on('error', this.onStreamError);
    writable.on('close', this.onStreamClose);
  }

  write(message: Message): Promise<void> {
    if (this.closed || this.writable.writableEnded || this.writable.destroyed) {
      return Promise.reject(new Error('The connection is closed; the message was not sent.'));
    }
    let data: string;
    try {
      data = `${JSON.stringify(message)}\n`;
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ data, resolve, reject });
      if (!this.writing) this.flush();
    });
  }

  end(): void {
    this.closed = true;
    this.writable.end();
  }

  override dispose(): void {
    this.closed = true;
    this.writable.off('error', this.onStreamError);
    this.writable.off('close', this.onStreamClose);
    this.failQueued(new Error('The writer was disposed before the message was sent.'));
    super.dispose();
  }

  private flush(): void {
    if (this.queue.length === 0) return;
    const batch = this.takeBatch();
    this.writing = true;
    const chunk = batch.length === 1 ? batch[0]!.data : batch.map((q) => q.data).join('');
    this.writable.write(chunk, 'utf8', (error) => {
      this.writing = false;
      if (error) {
        this.errorCount++;
        for (const q of batch) q.reject(error);
        this.fireError(error, undefined, this.errorCount);
      } else {
        this.errorCount = 0;
        for (const q of batch) q.resolve();
      }
      if (!this.closed) this.flush();
      else this.failQueued(new Error('The connection closed before the message was sent.'));
    });
  }

  /** The first queued message, and those after it while the batch stays within `BATCH_BYTES`. */
  private takeBatch(): Queued[] {
    let size = this.queue[0]!.data.length;
    let count = 1;
    while (count < this.queue.length && size + this.queue[count]!.data.length <= BATCH_BYTES) {
      size += this.queue[count]!.data.length;
      count++;
    }
    return count === this.queue.length ? this.queue.splice(0) : this.queue.splice(0, count);
  }

  private failQueued(error: Error): void {
    const pending = this.queue;
    this.queue = [];
    for (const q of pending) q.reject(error);
  }

  private readonly onStreamError = (error: Error): void => {
    this.fireError(error, undefined, ++this.errorCount);
  };

  private readonly onStreamClose = (): void => {
    this.closed = true;
    this.failQueued(new Error('The connection closed before the message was sent.'));
    this.fireClose();
  };
}
