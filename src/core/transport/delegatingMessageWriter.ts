/**
 * A message writer that hands each message to a function: a transport where every message is its
 * own exchange (an HTTP POST) rather than bytes on a stream. The promise settles when the exchange
 * has been accepted, not when a request's answer arrives.
 */
import { AbstractMessageWriter, type Message, type MessageWriter } from 'vscode-jsonrpc/node';

export class DelegatingMessageWriter extends AbstractMessageWriter implements MessageWriter {
  private ended = false;
  private errorCount = 0;

  constructor(private readonly send: (message: Message) => Promise<void>) {
    super();
  }

  async write(message: Message): Promise<void> {
    if (this.ended) throw new Error('The connection is closed; the message was not sent.');
    try {
      await this.send(message);
      this.errorCount = 0;
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      this.fireError(failure, message, ++this.errorCount);
      throw failure;
    }
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.fireClose();
  }
}
