/**
 * The Servers & Tools tree: each hosted server with an icon for its state, and its tools beneath.
 * It re-renders from the registry's change events; it holds no state of its own.
 */
import * as vscode from 'vscode';
import type { ManagedServer } from '../../core/host/managedServer';
import type { ServerRegistry } from '../../core/host/serverRegistry';
import { describeState, type ServerState } from '../../core/host/serverState';
import type { Tool } from '../../core/protocol/types';
import { assertNever } from '../../core/util/assertNever';

export type TreeNode =
  | { readonly kind: 'server'; readonly serverId: string }
  | { readonly kind: 'tool'; readonly serverId: string; readonly tool: Tool };

export class ServersTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<TreeNode | undefined>();
  private readonly subscription: vscode.Disposable;
  readonly onDidChangeTreeData = this.changeEmitter.event;

  constructor(private readonly registry: ServerRegistry) {
    const listener = registry.onDidChange(() => this.changeEmitter.fire(undefined));
    this.subscription = new vscode.Disposable(() => listener.dispose());
  }

  getChildren(node?: TreeNode): TreeNode[] {
    if (!node) return this.registry.all().map((server) => ({ kind: 'server', serverId: server.id }));
    if (node.kind === 'server') {
      const server = this.registry.get(node.serverId);
      return server ? server.tools.map((tool) => ({ kind: 'tool', serverId: node.serverId, tool })) : [];
    }
    return [];
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'server': {
        const server = this.registry.get(node.serverId);
        return server ? serverItem(server) : new vscode.TreeItem(node.serverId);
      }
      case 'tool':
        return toolItem(node.serverId, node.tool);
      default:
        return assertNever(node, 'tree node');
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.changeEmitter.dispose();
  }
}

function serverItem(server: ManagedServer): vscode.TreeItem {
  const state = server.state;
  const expandable = state.kind === 'running' && state.tools.length > 0;
  const item = new vscode.TreeItem(
    server.definition.label,
    expandable ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
  );
  item.id = `server:${server.id}`;
  item.description = shortState(state);
  item.iconPath = stateIcon(state);
  item.contextValue = `server.${state.kind}`;
  const tooltip = new vscode.MarkdownString(undefined, true);
  tooltip.appendMarkdown(`**${escapeMarkdown(server.definition.label)}** (\`${server.id}\`)${server.definition.builtin ? ' · built in' : ''}\n\n`);
  tooltip.appendMarkdown(`${escapeMarkdown(describeState(state))}\n\n`);
  if (state.kind === 'running') {
    tooltip.appendMarkdown(`${escapeMarkdown(state.session.serverInfo.name)} ${escapeMarkdown(state.session.serverInfo.version)}, MCP ${state.session.protocolVersion}`);
    if (state.pid !== undefined) tooltip.appendMarkdown(`, pid ${state.pid}`);
  }
  item.tooltip = tooltip;
  return item;
}

function toolItem(serverId: string, tool: Tool): vscode.TreeItem {
  const item = new vscode.TreeItem(tool.name, vscode.TreeItemCollapsibleState.None);
  item.id = `tool:${serverId}:${tool.name}`;
  item.description = tool.title ?? tool.annotations?.title ?? '';
  item.iconPath = new vscode.ThemeIcon(tool.annotations?.readOnlyHint ? 'eye' : 'tools');
  item.contextValue = 'tool';
  const tooltip = new vscode.MarkdownString();
  tooltip.appendText(tool.description ?? 'No description.');
  const hints = [
    tool.annotations?.readOnlyHint ? 'read-only' : 'may modify',
    tool.annotations?.openWorldHint === false ? 'closed world' : 'open world',
  ];
  tooltip.appendMarkdown(`\n\n_${hints.join(' · ')}_`);
  item.tooltip = tooltip;
  item.command = { command: 'warden.runTool', title: 'Run Tool…', arguments: [{ kind: 'tool', serverId, tool } satisfies TreeNode] };
  return item;
}

function shortState(state: ServerState): string {
  switch (state.kind) {
    case 'running':
      return 'running';
    case 'starting':
      return 'starting…';
    case 'restarting':
      return `restarting in ${Math.ceil(state.delayMs / 1000)} s`;
    case 'error':
      return 'error';
    case 'stopping':
      return 'stopping…';
    case 'stopped':
      return 'stopped';
    default:
      return assertNever(state, 'server state');
  }
}

function stateIcon(state: ServerState): vscode.ThemeIcon {
  switch (state.kind) {
    case 'running':
      return new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'));
    case 'starting':
    case 'stopping':
      return new vscode.ThemeIcon('loading~spin');
    case 'restarting':
      return new vscode.ThemeIcon('sync~spin', new vscode.ThemeColor('list.warningForeground'));
    case 'error':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
    case 'stopped':
      return new vscode.ThemeIcon('circle-slash');
    default:
      return assertNever(state, 'server state');
  }
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
