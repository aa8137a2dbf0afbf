/**
 * A message reader fed by its owner rather than by a stream: a transport that receives whole
 * messages (an HTTP response body, a server-sent event) hands each one's text to `deliver`. Text
 * that is not one JSON-RPC 2.0 message is skipped and reported through `onError`, never fatal.
 * Messages delivered before `listen` are kept, not lost.
 */
import { AbstractMessageReader, Disposable, type DataCallback, type Message } from 'vscode-jsonrpc/node';
import { jsonRpcProblem } from './ndjsonReader';

const PREVIEW_CHARS = 200;

export class PushMessageReader extends AbstractMessageReader {
  private callback: DataCallback | undefined;
  private readonly early: Message[] = [];
  private closed = false;

  listen(callback: DataCallback): Disposable {
    this.callback = callback;
    for (const message of this.early.splice(0)) callback(message);
    return Disposable.create(() => {
      this.callback = undefined;
    });
  }

  /** Parses and passes on one message's text; returns the message, or undefined if it was skipped. */
  deliver(text: string): Message | undefined {
    if (this.closed) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.fail(new Error(`Skipped a message that is not JSON: ${preview(text)}`));
      return undefined;
    }
    const problem = jsonRpcProblem(value);
    if (problem !== undefined) {
      this.fail(new Error(`Skipped a malformed JSON-RPC message (${problem}): ${preview(text)}`));
      return undefined;
    }
    const message = value as Message;
    if (this.callback) this.callback(message);
    else this.early.push(message);
    return message;
  }

  /** Reports a problem with what arrived (a message over the size limit, a malformed one). */
  fail(error: Error): void {
    this.fireError(error);
  }

  /** No more messages will come. */
  end(): void {
    if (this.closed) return;
    this.closed = true;
    this.fireClose();
  }
}

function preview(text: string): string {
  return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text;
}
