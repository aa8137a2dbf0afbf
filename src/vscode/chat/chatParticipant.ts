/**
 * The `@warden` chat participant: answers with the chat model the person picked, letting it call
 * the hosted tools the policy allows (caller `participant`), every call through the gate. Slash
 * commands: `/tools` (what the model may use) and `/audit` (the calls of this conversation).
 */
import * as vscode from 'vscode';
import type { ToolRouter } from '../../core/router/toolRouter';
import { errorMessage } from '../../core/util/errors';
import { askToConfirm } from '../policy/confirmation';
import { chatMetadata, type ChatMetadata } from './callRecords';
import { ContextBudget } from './contextBudget';
import { openingMessages } from './conversation';
import { auditMarkdown, toolsMarkdown } from './slashCommands';
import { buildCatalog, type CatalogServers } from './toolCatalog';
import { runToolLoop, type LoopResult, type ToolMode } from './toolLoop';

export const CHAT_PARTICIPANT_ID = 'warden.chat';
/** Requests to the model per question; tools asked for in the last one are not run. */
export const MAX_ROUNDS = 8;

export interface ChatParticipantDeps {
  readonly registry: CatalogServers;
  readonly router: Pick<ToolRouter, 'call' | 'previewTool'>;
}

export function registerChatParticipant(context: vscode.ExtensionContext, deps: ChatParticipantDeps): vscode.Disposable[] {
  const participant = vscode.chat.createChatParticipant(CHAT_PARTICIPANT_ID, (request, chatContext, stream, token) =>
    handleRequest(deps, request, chatContext, stream, token),
  );
  participant.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'warden.svg');
  return [participant];
}

async function handleRequest(
  deps: ChatParticipantDeps,
  request: vscode.ChatRequest,
  chatContext: vscode.ChatContext,
  stream: vscode.ChatResponseStream,
  token: vscode.CancellationToken,
): Promise<vscode.ChatResult> {
  // The API promises a model, but a VS Code without any chat model provider has none to give.
  const model: vscode.LanguageModelChat | undefined = request.model;
  const mode = model ? toolMode(model) : 'native';
  const catalog = buildCatalog(deps.registry, deps.router, 'participant');
  switch (request.command) {
    case 'tools':
      stream.markdown(toolsMarkdown(catalog, model?.name, mode));
      return { metadata: chatMetadata({ command: 'tools', rounds: 0, calls: [] }) };
    case 'audit':
      stream.markdown(auditMarkdown(chatContext.history));
      return { metadata: chatMetadata({ command: 'audit', rounds: 0, calls: [] }) };
    default:
      break;
  }
  if (!model) {
    return {
      errorDetails: {
        message: 'No chat model is available. Install or sign in to a language model provider (such as GitHub Copilot), pick a model in the chat view, and ask again.',
      },
      metadata: chatMetadata({ rounds: 0, calls: [] }),
    };
  }

  const budget = new ContextBudget(model, token);
  const messages = await openingMessages({ mode, catalog, request, history: chatContext.history, budget, maxInputTokens: model.maxInputTokens });
  const result = await runToolLoop(messages, {
    model,
    mode,
    catalog,
    stream,
    token,
    budget,
    maxRounds: MAX_ROUNDS,
    calls: {
      gate: deps.router,
      confirm: askToConfirm,
      workspaceFolders: () => (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath),
    },
  });
  const metadata = chatMetadata({ mode, rounds: result.rounds, calls: result.calls, ...(result.stopped && { stopped: result.stopped }) });
  return finish(result, model, stream, metadata);
}

function finish(result: LoopResult, model: vscode.LanguageModelChat, stream: vscode.ChatResponseStream, metadata: ChatMetadata): vscode.ChatResult {
  switch (result.stopped) {
    case undefined:
    case 'cancelled':
      return { metadata };
    case 'round-limit': {
      const pending = [...new Set(result.pending ?? [])].map((name) => `\`${name}\``).join(', ');
      stream.markdown(
        `\n\n---\n_Warden stopped after ${result.rounds} requests to the model: it still wanted to call ${pending || 'tools'} ` +
          `after ${result.calls.length} tool calls. Ask a narrower question, or ask it to continue from here._`,
      );
      return { metadata };
    }
    case 'model-error':
      return { errorDetails: { message: modelErrorMessage(model, result.error) }, metadata };
  }
}

/** Tool calling where the model supports it; the text protocol where it says it does not. */
export function toolMode(model: vscode.LanguageModelChat): ToolMode {
  // `capabilities` is not in the API version Warden builds against (it is a proposal there), but
  // VS Code sets it on every model it hands out (1.139 does); without it, assume tool calling.
  if (!('capabilities' in model)) return 'native';
  const capabilities: unknown = model.capabilities;
  if (typeof capabilities !== 'object' || capabilities === null || !('supportsToolCalling' in capabilities)) return 'native';
  return capabilities.supportsToolCalling === false ? 'text' : 'native';
}

function modelErrorMessage(model: vscode.LanguageModelChat, error: unknown): string {
  const name = model.name || model.id;
  if (error instanceof vscode.LanguageModelError) {
    if (error.code === vscode.LanguageModelError.NoPermissions.name) {
      return `Warden may not use the chat model ${name} (${error.message}). Allow it under Manage Language Model Access in the Accounts menu, then ask again.`;
    }
    if (error.code === vscode.LanguageModelError.NotFound.name) {
      return `The chat model ${name} is no longer available (${error.message}). Pick another model in the chat view and ask again.`;
    }
    if (error.code === vscode.LanguageModelError.Blocked.name) {
      return `The chat model ${name} refused the request (${error.message}): a quota or a content filter. Wait and ask again, or pick another model.`;
    }
  }
  return `The chat model ${name} failed: ${errorMessage(error)}. Ask again, or pick another model in the chat view.`;
}
