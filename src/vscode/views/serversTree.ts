/**
 * The Servers & Tools tree: each hosted server with an icon for its state and its tools beneath
 * (metrics in their tooltips), then the approvals a person gave, each revocable. It re-renders
 * from change events and holds no state of its own.
 */
import * as vscode from 'vscode';
import type { ServerRegistry } from '../../core/host/serverRegistry';
import type { ToolMetrics } from '../../core/metrics/toolMetrics';
import type { Approval, Approvals } from '../../core/policy/approvals';
import type { Tool } from '../../core/protocol/types';
import { assertNever } from '../../core/util/assertNever';
import { disabledTools } from '../disabledTools';
import { SQLITE_SERVER_ID } from '../builtin/builtinServers';
import { databaseItem, databasesGroupItem, findDatabases } from './databaseItems';
import { approvalItem, approvalsGroupItem, serverItem, toolItem } from './serverItems';

export type TreeNode =
  | { readonly kind: 'server'; readonly serverId: string }
  | { readonly kind: 'tool'; readonly serverId: string; readonly tool: Tool }
  | { readonly kind: 'databases' }
  | { readonly kind: 'database'; readonly uri: vscode.Uri }
  | { readonly kind: 'approvals' }
  | { readonly kind: 'approval'; readonly approval: Approval };

export class ServersTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<TreeNode | undefined>();
  private readonly subscriptions: { dispose(): void }[];
  readonly onDidChangeTreeData = this.changeEmitter.event;

  constructor(
    private readonly registry: ServerRegistry,
    private readonly metrics: ToolMetrics,
    private readonly approvals: Approvals,
  ) {
    const refresh = (): void => this.changeEmitter.fire(undefined);
    this.subscriptions = [
      registry.onDidChange(refresh),
      metrics.onDidRecord(refresh),
      approvals.onDidChange(refresh),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('warden.disabledTools')) refresh();
      }),
    ];
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) {
      const servers: TreeNode[] = this.registry.all().map((server) => ({ kind: 'server', serverId: server.id }));
      return this.approvals.list().length > 0 ? [...servers, { kind: 'approvals' }] : servers;
    }
    switch (node.kind) {
      case 'server': {
        const server = this.registry.get(node.serverId);
        const tools: TreeNode[] = server ? server.tools.map((tool) => ({ kind: 'tool', serverId: node.serverId, tool })) : [];
        return node.serverId === SQLITE_SERVER_ID && server?.state.kind === 'running' ? [...tools, { kind: 'databases' }] : tools;
      }
      case 'databases':
        return (await findDatabases()).map((uri) => ({ kind: 'database', uri }));
      case 'database':
      case 'approvals':
        return this.approvals.list().map((approval) => ({ kind: 'approval', approval }));
      case 'tool':
      case 'approval':
        return [];
      default:
        return assertNever(node, 'tree node');
    }
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'server': {
        const server = this.registry.get(node.serverId);
        return server ? serverItem(server) : new vscode.TreeItem(node.serverId);
      }
      case 'tool':
        return toolItem(
          node.serverId,
          node.tool,
          this.metrics.summary(node.serverId, node.tool.name),
          disabledTools().has(`${node.serverId}.${node.tool.name}`),
          this.registry.get(node.serverId)?.toolApprovals.get(node.tool.name),
        );
      case 'approvals':
        return approvalsGroupItem(this.approvals.list().length);
      case 'databases':
        return databasesGroupItem();
      case 'database':
        return databaseItem(node.uri);
      case 'approval':
        return approvalItem(node.approval);
      default:
        return assertNever(node, 'tree node');
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changeEmitter.dispose();
  }
}

