/**
 * Warden: Run Tool… picks a tool, asks for its arguments in a form driven by the tool's input
 * schema, runs it through the router with a cancellable progress notification, and
 * opens the result in a read-only document with its audit id and duration.
 */
import * as vscode from 'vscode';
import type { Caller } from '../../core/audit/auditRecord';
import type { ServerRegistry } from '../../core/host/serverRegistry';
import { resultText } from '../../core/protocol/contentText';
import type { JsonObject, Tool } from '../../core/protocol/types';
import type { ToolCallOutcome, ToolRouter } from '../../core/router/toolRouter';
import { askToConfirm } from '../policy/confirmation';
import { askArguments } from './argumentForm';
import type { ResultDocuments } from './resultDocuments';

interface ToolChoice {
  readonly serverId: string;
  readonly tool: Tool;
}

export function registerRunTool(registry: ServerRegistry, router: ToolRouter, results: ResultDocuments): vscode.Disposable {
  return vscode.commands.registerCommand('warden.runTool', async (arg?: unknown) => {
    const fromTree = isToolChoice(arg);
    const scripted = scriptedCall(arg);
    const choice = fromTree ? arg : scripted ? findTool(registry, scripted.server, scripted.tool) : await pickTool(registry);
    if (!choice) return undefined;
    const args = scripted ? scripted.args : await askArguments(choice.tool);
    if (!args) return undefined;
    const caller: Caller = fromTree ? 'sidebar' : 'palette';
    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Running ${choice.tool.name}…`, cancellable: true },
      (progress, token) => {
        const abort = new AbortController();
        const subscription = token.onCancellationRequested(() => abort.abort());
        return router
          .call({
            caller,
            server: choice.serverId,
            tool: choice.tool.name,
            args,
            signal: abort.signal,
            confirmation: askToConfirm,
            onProgress: (p) => progress.report({ message: p.message ?? `${p.progress}${p.total ? ` of ${p.total}` : ''}` }),
          })
          .finally(() => subscription.dispose());
      },
    );
    await results.open(`${choice.serverId}.${choice.tool.name}-${outcome.auditId.slice(0, 8)}`, formatOutcome(choice, args, outcome));
    return outcome;
  });
}

function isToolChoice(arg: unknown): arg is ToolChoice {
  return typeof arg === 'object' && arg !== null && 'serverId' in arg && 'tool' in arg && typeof arg.tool === 'object' && arg.tool !== null;
}

function scriptedCall(arg: unknown): { server: string; tool: string; args: JsonObject } | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  if (!('server' in arg) || !('tool' in arg) || typeof arg.server !== 'string' || typeof arg.tool !== 'string') return undefined;
  const args = 'args' in arg && isJsonObject(arg.args) ? arg.args : {};
  return { server: arg.server, tool: arg.tool, args };
}

function findTool(registry: ServerRegistry, serverId: string, name: string): ToolChoice {
  const server = registry.get(serverId);
  const tool = server?.tools.find((t) => t.name === name);
  if (!server || !tool) throw new Error(`No running server "${serverId}" offers a tool "${name}".`);
  return { serverId, tool };
}

async function pickTool(registry: ServerRegistry): Promise<ToolChoice | undefined> {
  type Item = vscode.QuickPickItem & { choice?: ToolChoice };
  const items: Item[] = [];
  for (const server of registry.all()) {
    if (server.tools.length === 0) continue;
    items.push({ label: server.definition.label, kind: vscode.QuickPickItemKind.Separator });
    for (const tool of server.tools) {
      items.push({ label: tool.name, description: tool.title ?? '', detail: tool.description, choice: { serverId: server.id, tool } });
    }
  }
  if (items.length === 0) {
    void vscode.window.showInformationMessage('No tools are available: no hosted server is running. See the Warden view.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(items, { title: 'Warden: Run Tool', placeHolder: 'Pick a tool', matchOnDetail: true });
  return picked?.choice;
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function formatOutcome(choice: ToolChoice, args: JsonObject, outcome: ToolCallOutcome): string {
  const status = outcome.kind === 'ok' ? 'succeeded' : outcome.kind === 'tool-error' ? 'reported an error' : `failed (${outcome.error.code})`;
  const body = outcome.kind === 'failed' ? outcome.error.message : resultText(outcome.result);
  return [
    `# ${choice.serverId}.${choice.tool.name} ${status}`,
    '',
    `- Duration: ${outcome.durationMs.toFixed(1)} ms`,
    `- Audit id: ${outcome.auditId}`,
    `- Arguments: \`${JSON.stringify(args)}\``,
    '',
    '---',
    '',
    body,
    '',
  ].join('\n');
}
