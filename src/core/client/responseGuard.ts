/**
 * Matches every response from a server to a request this side sent. vscode-jsonrpc drops a
 * response it cannot match without a word, and of two responses to one id that arrive together
 * it keeps the later (its queue is keyed by id); a server that invents ids or answers twice is
 * misbehaving, the first answer is the one that counts, and the log should say so. The guard wraps
 * the connection's reader (what arrives, before vscode-jsonrpc queues it) and writer (what
 * leaves), and notes the time of the last message either way, which the idle health check reads.
 */
import { Message, type DataCallback, type MessageReader, type MessageWriter } from 'vscode-jsonrpc/node';
import type { Clock } from '../util/clock';

type Id = number | string;

export class ResponseGuard {
  private readonly awaiting = new Set<Id>();
  private readonly sentNumbers = { lowest: Infinity, highest: -Infinity };
  private lastActivity: number;

  constructor(
    private readonly log: (line: string) => void,
    private readonly clock: Clock,
  ) {
    this.lastActivity = clock.now();
  }

  /** When a message last went to or came from the server. */
  get lastActivityAt(): number {
    return this.lastActivity;
  }

  /** Requests sent and not answered yet, cancelled ones included (a late answer is still valid). */
  get awaitingCount(): number {
    return this.awaiting.size;
  }

  /** A writer that records the id of every request before it goes out. */
  wrapWriter(writer: MessageWriter): MessageWriter {
    return {
      onError: writer.onError,
      onClose: writer.onClose,
      write: (message) => {
        this.lastActivity = this.clock.now();
        if (!Message.isRequest(message) || message.id === null) return writer.write(message);
        const id = message.id;
        this.noteSent(id);
        const written = writer.write(message);
        // vscode-jsonrpc fails the request itself when the write fails; only the id is forgotten here.
        written.then(undefined, () => this.awaiting.delete(id));
        return written;
      },
      end: () => writer.end(),
      dispose: () => writer.dispose(),
    };
  }

  /** A reader that drops, and logs, responses to no request this side is waiting for. */
  wrapReader(reader: MessageReader): MessageReader {
    return {
      onError: reader.onError,
      onClose: reader.onClose,
      onPartialMessage: reader.onPartialMessage,
      listen: (callback: DataCallback) =>
        reader.listen((message) => {
          if (this.admit(message)) callback(message);
        }),
      dispose: () => reader.dispose(),
    };
  }

  /** Whether a message from the server may pass on; a response must answer a request still awaited. */
  admit(message: Message): boolean {
    this.lastActivity = this.clock.now();
    if (!Message.isResponse(message) || message.id === null || this.awaiting.delete(message.id)) return true;
    this.log(
      this.wasSent(message.id)
        ? `dropped a second response for id ${message.id}: the request was already answered`
        : `dropped a response for unknown id ${JSON.stringify(message.id)}: no request with that id was sent`,
    );
    return false;
  }

  private noteSent(id: Id): void {
    this.awaiting.add(id);
    if (typeof id === 'number') {
      this.sentNumbers.lowest = Math.min(this.sentNumbers.lowest, id);
      this.sentNumbers.highest = Math.max(this.sentNumbers.highest, id);
    }
  }

  /** vscode-jsonrpc numbers requests consecutively, so every id in the sent range was sent. */
  private wasSent(id: Id): boolean {
    return typeof id === 'number' && Number.isInteger(id) && id >= this.sentNumbers.lowest && id <= this.sentNumbers.highest;
  }
}
