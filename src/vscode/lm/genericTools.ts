/**
 * Registers warden_list_tools and warden_call_tool (see genericToolDeclarations.ts), so that tools
 * of servers Warden learns about at run time still reach Copilot's agent mode, behind the gate.
 */
import * as vscode from 'vscode';
import type { ServerRegistry } from '../../core/host/serverRegistry';
import { resultText } from '../../core/protocol/contentText';
import type { JsonObject } from '../../core/protocol/types';
import type { ToolRouter } from '../../core/router/toolRouter';
import { buildCatalog } from '../chat/toolCatalog';
import { askToConfirm } from '../policy/confirmation';
import { CALL_TOOL, LIST_TOOLS } from './genericToolDeclarations';

export function registerGenericTools(registry: ServerRegistry, router: ToolRouter): vscode.Disposable[] {
  return [
    vscode.lm.registerTool<unknown>(LIST_TOOLS.name, {
      invoke: (options) => {
        const only = isObject(options.input) && typeof options.input.server === 'string' ? options.input.server : undefined;
        const catalog = buildCatalog(registry, router, 'copilot');
        const tools = catalog.offered
          .filter((t) => only === undefined || t.server === only)
          .map((t) => ({
            server: t.server,
            tool: t.tool.name,
            description: t.tool.description ?? '',
            inputSchema: t.tool.inputSchema,
            ...(t.confirmation !== undefined && { asksFirst: t.confirmation }),
          }));
        const text = tools.length > 0 ? JSON.stringify(tools, null, 2) : 'No hosted tool is available to you: no server runs, or the policy allows none.';
        return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(text)]);
      },
    }),
    vscode.lm.registerTool<unknown>(CALL_TOOL.name, {
      prepareInvocation: (options) => {
        const call = callOf(options.input);
        if (!call) return { invocationMessage: 'Calling a Warden tool' };
        const invocationMessage = `Calling ${call.server}.${call.tool}`;
        const preview = router.preview({ caller: 'copilot', ...call });
        if (preview.kind !== 'decided' || preview.decision.effect !== 'confirm') return { invocationMessage };
        const message = new vscode.MarkdownString();
        message.appendText(`Warden asks because ${preview.decision.why}.`);
        message.appendCodeblock(JSON.stringify(call.args, null, 2), 'json');
        return { invocationMessage, confirmationMessages: { title: `Run ${call.server}.${call.tool}?`, message } };
      },
      invoke: async (options, token) => {
        const call = callOf(options.input);
        if (!call) throw new Error('warden_call_tool needs "server" and "tool" as strings, and "arguments" as a JSON object.');
        const abort = new AbortController();
        const subscription = token.onCancellationRequested(() => abort.abort());
        try {
          const outcome = await router.call({
            caller: 'copilot',
            ...call,
            signal: abort.signal,
            confirmation: options.toolInvocationToken !== undefined ? 'granted' : askToConfirm,
          });
          if (outcome.kind === 'failed') throw new Error(outcome.error.message);
          if (outcome.kind === 'tool-error') throw new Error(resultText(outcome.result));
          return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(resultText(outcome.result))]);
        } finally {
          subscription.dispose();
        }
      },
    }),
  ];
}

function callOf(input: unknown): { server: string; tool: string; args: JsonObject } | undefined {
  if (!isObject(input) || typeof input.server !== 'string' || typeof input.tool !== 'string') return undefined;
  const args = input.arguments === undefined ? {} : input.arguments;
  return isObject(args) ? { server: input.server, tool: input.tool, args } : undefined;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
