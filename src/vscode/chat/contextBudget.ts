/**
 * How many tokens a tool result may take: what is left of the model's input limit after the
 * conversation so far and a reserve for the turns still to come, and never more than a quarter of
 * the limit for one result, so that no single result floods the conversation.
 */
import type * as vscode from 'vscode';

const RESERVE_SHARE = 0.15;
const MIN_RESERVE_TOKENS = 256;
const MAX_SHARE_PER_RESULT = 0.25;

export class ContextBudget {
  private readonly counted = new WeakMap<vscode.LanguageModelChatMessage, number>();
  private fixedTokens = 0;

  constructor(
    private readonly model: vscode.LanguageModelChat,
    private readonly token: vscode.CancellationToken,
  ) {}

  /** Counts `text` with the model's tokenizer. */
  readonly count = async (text: string): Promise<number> => this.model.countTokens(text, this.token);

  /** Adds what every request carries besides its messages (the tool definitions). */
  async addFixed(text: string): Promise<void> {
    this.fixedTokens += await this.count(text);
  }

  /** Tokens one message takes; each message is counted once. */
  async messageTokens(message: vscode.LanguageModelChatMessage): Promise<number> {
    let tokens = this.counted.get(message);
    if (tokens === undefined) {
      tokens = await this.model.countTokens(message, this.token);
      this.counted.set(message, tokens);
    }
    return tokens;
  }

  /** Tokens a request with these messages takes, tool definitions included. */
  async used(messages: readonly vscode.LanguageModelChatMessage[]): Promise<number> {
    let total = this.fixedTokens;
    for (const message of messages) total += await this.messageTokens(message);
    return total;
  }

  /** Tokens the next result may take when `used` are taken and `pending` results share the rest. */
  allowance(used: number, pending: number): number {
    const limit = this.model.maxInputTokens;
    const reserve = Math.max(MIN_RESERVE_TOKENS, Math.floor(limit * RESERVE_SHARE));
    const left = Math.floor((limit - used - reserve) / Math.max(pending, 1));
    return Math.max(0, Math.min(Math.floor(limit * MAX_SHARE_PER_RESULT), left));
  }
}
