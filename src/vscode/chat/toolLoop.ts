/**
 * The tool-calling loop: send the conversation to the model, run the tools it asks for through
 * the gate, give it the results (fitted to its context), and repeat until it answers, the round
 * limit is reached, or the person cancels. Tools reach the model either as its own tool calling
 * (`native`) or through the fenced-block text protocol (`text`) for models without it.
 */
import * as vscode from 'vscode';
import type { CallRecord, StopReason } from './callRecords';
import type { ContextBudget } from './contextBudget';
import { isJsonObject } from './jsonValues';
import { continuationHint, fitText } from './resultFitting';
import { parseToolBlocks, ToolBlockFilter } from './textProtocol';
import { runToolCall, type CallAnswer, type CallContext } from './toolCall';
import type { ToolCatalog } from './toolCatalog';

export type ToolMode = 'native' | 'text';

export interface LoopOptions {
  readonly model: vscode.LanguageModelChat;
  readonly mode: ToolMode;
  readonly catalog: ToolCatalog;
  readonly stream: vscode.ChatResponseStream;
  readonly token: vscode.CancellationToken;
  readonly calls: Pick<CallContext, 'gate' | 'confirm' | 'workspaceFolders'>;
  readonly maxRounds: number;
  readonly budget: ContextBudget;
}

export interface LoopResult {
  /** Requests sent to the model. */
  readonly rounds: number;
  readonly calls: readonly CallRecord[];
  readonly stopped?: StopReason;
  /** Tools the model still asked for when the round limit stopped it. */
  readonly pending?: readonly string[];
  /** What the model's request failed with, when it did. */
  readonly error?: unknown;
}

interface RequestedCall {
  readonly id: string;
  readonly name: string;
  readonly args: unknown;
}

interface Reply {
  readonly text: string;
  readonly toolCalls: readonly vscode.LanguageModelToolCallPart[];
}

export async function runToolLoop(messages: vscode.LanguageModelChatMessage[], options: LoopOptions): Promise<LoopResult> {
  const { model, mode, catalog, stream, token, budget } = options;
  const records: CallRecord[] = [];
  const abort = new AbortController();
  const cancellation = token.onCancellationRequested(() => abort.abort(new vscode.CancellationError()));
  const context: CallContext = { ...options.calls, catalog, stream, signal: abort.signal, referenced: new Set() };
  const requestOptions: vscode.LanguageModelChatRequestOptions = {
    justification: 'Warden answers your question with the tools your policy allows.',
    ...(mode === 'native' && catalog.offered.length > 0 && {
      tools: catalog.offered.map((t) => ({ name: t.name, description: t.tool.description ?? t.tool.title ?? t.name, inputSchema: t.tool.inputSchema })),
      toolMode: vscode.LanguageModelChatToolMode.Auto,
    }),
  };
  if (requestOptions.tools) await budget.addFixed(JSON.stringify(requestOptions.tools));
  const display = new ReplyDisplay(stream);
  try {
    for (let round = 1; ; round++) {
      let reply: Reply;
      try {
        reply = await readReply(await model.sendRequest(messages, requestOptions, token), mode, display);
      } catch (error) {
        if (token.isCancellationRequested) return { rounds: round, calls: records, stopped: 'cancelled' };
        return { rounds: round, calls: records, stopped: 'model-error', error };
      }
      if (token.isCancellationRequested) return { rounds: round, calls: records, stopped: 'cancelled' };
      const parsed = mode === 'text' ? parseToolBlocks(reply.text) : { calls: [], problems: [] };
      const requested: RequestedCall[] =
        mode === 'native'
          ? reply.toolCalls.map((part) => ({ id: part.callId, name: part.name, args: part.input }))
          : parsed.calls.map((call) => ({ id: `block-${call.block}`, name: call.name, args: call.args }));
      if (requested.length === 0 && parsed.problems.length === 0) return { rounds: round, calls: records };
      if (round >= options.maxRounds) {
        return { rounds: round, calls: records, stopped: 'round-limit', pending: requested.map((call) => call.name) };
      }

      messages.push(
        mode === 'native'
          ? vscode.LanguageModelChatMessage.Assistant([...(reply.text ? [new vscode.LanguageModelTextPart(reply.text)] : []), ...reply.toolCalls])
          : vscode.LanguageModelChatMessage.Assistant(reply.text),
      );
      const answers: { call: RequestedCall; text: string; isError: boolean }[] = [];
      let used = await budget.used(messages);
      for (const [index, call] of requested.entries()) {
        const answer = await runToolCall(call.name, call.args, context);
        if (answer.record) records.push(answer.record);
        const fitted = await fitAnswer(answer, call, budget, budget.allowance(used, requested.length - index));
        used += await budget.count(fitted);
        answers.push({ call, text: fitted, isError: answer.isError });
        if (token.isCancellationRequested) return { rounds: round, calls: records, stopped: 'cancelled' };
      }
      messages.push(mode === 'native' ? nativeResults(answers) : textResults(answers, parsed.problems));
    }
  } finally {
    cancellation.dispose();
  }
}

/**
 * Streams the visible part of each reply, one blank line between the text of successive rounds
 * however the model spaced it.
 */
class ReplyDisplay {
  private tail = '';
  private atRoundStart = true;

  constructor(private readonly stream: vscode.ChatResponseStream) {}

  startRound(): void {
    this.atRoundStart = true;
  }

  show(text: string): void {
    let shown = text;
    if (this.atRoundStart) {
      shown = shown.replace(/^\s+/, '');
      if (shown.length === 0) return;
      const separator = this.tail === '' || this.tail.endsWith('\n\n') ? '' : this.tail.endsWith('\n') ? '\n' : '\n\n';
      shown = separator + shown;
      this.atRoundStart = false;
    }
    if (shown.length === 0) return;
    this.stream.markdown(shown);
    this.tail = (this.tail + shown).slice(-2);
  }
}

async function readReply(response: vscode.LanguageModelChatResponse, mode: ToolMode, display: ReplyDisplay): Promise<Reply> {
  display.startRound();
  const filter = mode === 'text' ? new ToolBlockFilter() : undefined;
  let text = '';
  const toolCalls: vscode.LanguageModelToolCallPart[] = [];
  for await (const part of response.stream) {
    if (part instanceof vscode.LanguageModelTextPart) {
      text += part.value;
      display.show(filter ? filter.push(part.value) : part.value);
    } else if (part instanceof vscode.LanguageModelToolCallPart && mode === 'native') {
      toolCalls.push(part);
    }
  }
  if (filter) display.show(filter.end());
  return { text, toolCalls };
}

async function fitAnswer(answer: CallAnswer, call: RequestedCall, budget: ContextBudget, allowance: number): Promise<string> {
  const offered = answer.offered;
  const args = isJsonObject(call.args) ? call.args : {};
  const hint = (kept: string): string =>
    offered && !answer.isError ? continuationHint(offered.name, offered.tool, args, kept) : 'the rest of this message was too long for the conversation';
  return (await fitText(answer.text, allowance, budget.count, hint)).text;
}

function nativeResults(answers: readonly { call: RequestedCall; text: string; isError: boolean }[]): vscode.LanguageModelChatMessage {
  return vscode.LanguageModelChatMessage.User(
    answers.map(({ call, text }) => new vscode.LanguageModelToolResultPart(call.id, [new vscode.LanguageModelTextPart(text)])),
  );
}

function textResults(answers: readonly { call: RequestedCall; text: string; isError: boolean }[], problems: readonly string[]): vscode.LanguageModelChatMessage {
  const parts = answers.map(({ call, text, isError }) =>
    isError ? `Tool block for ${call.name} failed:\n${text}` : `Result of ${call.name}:\n${text}`,
  );
  parts.push(...problems);
  parts.push('Continue: call more tools in tool blocks if you need them, or answer the question.');
  return vscode.LanguageModelChatMessage.User(parts.join('\n\n'));
}
