/**
 * Registers each bound hosted tool with `vscode.lm.registerTool`, so Copilot's agent mode (and any
 * extension using `vscode.lm.invokeTool`) can call it. Every call goes through the router, and so
 * through the gate and the audit log; cancellation is passed on to the server.
 */
import * as vscode from 'vscode';
import { resultText } from '../../core/protocol/contentText';
import type { JsonObject } from '../../core/protocol/types';
import type { ToolRouter } from '../../core/router/toolRouter';
import { askToConfirm } from '../policy/confirmation';
import { LANGUAGE_MODEL_TOOL_BINDINGS, type ToolBinding } from './toolBindings';

export function registerLanguageModelTools(router: ToolRouter): vscode.Disposable[] {
  return LANGUAGE_MODEL_TOOL_BINDINGS.map((binding) => vscode.lm.registerTool<unknown>(binding.name, new BoundTool(binding, router)));
}

class BoundTool implements vscode.LanguageModelTool<unknown> {
  constructor(
    private readonly binding: ToolBinding,
    private readonly router: ToolRouter,
  ) {}

  /**
   * Shows what the call does, and asks for VS Code's confirmation when the policy wants one. A
   * call the policy denies is not refused here: `invoke` refuses it with the policy's message,
   * so that the model learns why.
   */
  prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<unknown>): vscode.PreparedToolInvocation {
    const target = isJsonObject(options.input) && typeof options.input.path === 'string' ? options.input.path : 'the workspace';
    const invocationMessage = `${this.binding.progressVerb} ${target}`;
    if (!isJsonObject(options.input)) return { invocationMessage };
    const preview = this.router.preview({ caller: 'copilot', server: this.binding.server, tool: this.binding.tool, args: options.input });
    if (preview.kind !== 'decided' || preview.decision.effect !== 'confirm') return { invocationMessage };
    const message = new vscode.MarkdownString();
    message.appendText(`Warden asks because ${preview.decision.why}.`);
    message.appendCodeblock(JSON.stringify(options.input, null, 2), 'json');
    return { invocationMessage, confirmationMessages: { title: `Run ${this.binding.server}.${this.binding.tool}?`, message } };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<unknown>, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
    if (!isJsonObject(options.input)) {
      throw new Error(`The input to ${this.binding.name} must be a JSON object; got ${JSON.stringify(options.input)}.`);
    }
    const abort = new AbortController();
    const subscription = token.onCancellationRequested(() => abort.abort());
    try {
      const outcome = await this.router.call({
        caller: 'copilot',
        server: this.binding.server,
        tool: this.binding.tool,
        args: options.input,
        signal: abort.signal,
        // In a chat request VS Code showed prepareInvocation's confirmation already; a call from
        // outside chat gets Warden's own.
        confirmation: options.toolInvocationToken !== undefined ? 'granted' : askToConfirm,
      });
      switch (outcome.kind) {
        case 'ok':
          return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(resultText(outcome.result))]);
        case 'tool-error':
          throw new Error(resultText(outcome.result));
        case 'failed':
          throw new Error(outcome.error.message);
      }
    } finally {
      subscription.dispose();
    }
  }
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
