/**
 * Runs one tool call a model asked for, through the gate as the caller `participant`: shows what
 * it does while it runs, shows the files it read as references, and words the outcome for the
 * model. A failure is a result too, so the model can correct the call or explain the problem.
 */
import * as vscode from 'vscode';
import { resultText } from '../../core/protocol/contentText';
import type { JsonObject } from '../../core/protocol/types';
import { outcomeClass } from '../../core/router/outcome';
import type { ConfirmationAnswer, ConfirmationPrompt, ToolCallOutcome, ToolCallRequest } from '../../core/router/toolRouter';
import { FILESYSTEM_SERVER_ID } from '../builtin/builtinServers';
import { callTarget, fileReference, progressMessage } from './callDisplay';
import type { CallRecord } from './callRecords';
import { isJsonObject } from './jsonValues';
import type { OfferedTool, ToolCatalog } from './toolCatalog';

/** The router as the participant uses it. */
export interface CallGate {
  call(request: ToolCallRequest): Promise<ToolCallOutcome>;
}

export interface CallContext {
  readonly gate: CallGate;
  readonly catalog: ToolCatalog;
  readonly stream: vscode.ChatResponseStream;
  readonly signal: AbortSignal;
  readonly confirm: (prompt: ConfirmationPrompt) => Promise<ConfirmationAnswer>;
  readonly workspaceFolders: () => readonly string[];
  /** Files already shown as references in this response. */
  readonly referenced: Set<string>;
}

export interface CallAnswer {
  /** What the model reads. */
  readonly text: string;
  readonly isError: boolean;
  /** The tool, for fitting the text to the context; absent for a name that matches no tool. */
  readonly offered?: OfferedTool;
  /** Present when the call reached the gate (and so the audit log). */
  readonly record?: CallRecord;
}

export async function runToolCall(name: string, args: unknown, context: CallContext): Promise<CallAnswer> {
  const offered = context.catalog.find(name);
  if (!offered) {
    const names = context.catalog.offered.map((t) => t.name).join(', ') || 'none';
    return { text: `There is no tool named "${name}". Call one of these, by its exact name: ${names}.`, isError: true };
  }
  if (!isJsonObject(args)) {
    return { text: `The arguments for ${name} must be a JSON object matching its input schema.`, isError: true, offered };
  }
  const server = offered.server;
  const tool = offered.tool.name;
  context.stream.progress(progressMessage(server, tool, args));
  const outcome = await context.gate.call({
    caller: 'participant',
    server,
    tool,
    args,
    signal: context.signal,
    onProgress: (progress) => {
      if (progress.message) context.stream.progress(progress.message);
    },
    confirmation: context.confirm,
  });
  const target = callTarget(args);
  const record: CallRecord = {
    tool: `${server}.${tool}`,
    ...(target !== undefined && { target }),
    outcome: outcomeClass(outcome),
    durationMs: Math.round(outcome.durationMs),
    auditId: outcome.auditId,
  };
  switch (outcome.kind) {
    case 'ok':
      if (server === FILESYSTEM_SERVER_ID) showReference(args, outcome.result.structuredContent, context);
      return { text: resultText(outcome.result), isError: false, offered, record };
    case 'tool-error':
      return { text: `${offered.name} reported an error: ${resultText(outcome.result)}`, isError: true, offered, record };
    case 'failed':
      return { text: `${offered.name} was not run (${outcome.error.code}): ${outcome.error.message}`, isError: true, offered, record };
  }
}

function showReference(args: JsonObject, structured: JsonObject | undefined, context: CallContext): void {
  const file = fileReference(args, structured, context.workspaceFolders());
  if (file === undefined || context.referenced.has(file)) return;
  context.referenced.add(file);
  context.stream.reference(vscode.Uri.file(file));
}
