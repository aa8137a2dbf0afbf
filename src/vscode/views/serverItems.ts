/**
 * How each node of the Servers & Tools tree looks: label, icon, description and tooltip.
 */
import * as vscode from 'vscode';
import { describeFindings } from '../../core/host/hiddenCharacters';
import type { ManagedServer } from '../../core/host/managedServer';
import type { ToolApproval } from '../../core/host/toolApproval';
import { describeState, type ServerState } from '../../core/host/serverState';
import type { ToolSummary } from '../../core/metrics/toolMetrics';
import type { Approval } from '../../core/policy/approvals';
import type { Tool } from '../../core/protocol/types';
import { assertNever } from '../../core/util/assertNever';
import type { TreeNode } from './serversTree';

export function serverItem(server: ManagedServer): vscode.TreeItem {
  const state = server.state;
  // Always expanded: VS Code keeps an item's first collapsible state by id, so a server drawn
  // while it was still starting would otherwise stay collapsed once its tools arrive.
  const item = new vscode.TreeItem(server.definition.label, vscode.TreeItemCollapsibleState.Expanded);
  item.id = `server:${server.id}`;
  item.description = shortState(state);
  item.iconPath = stateIcon(state);
  item.contextValue = `server.${state.kind}`;
  const circuit = server.circuit;
  if (circuit.kind !== 'closed' && state.kind === 'running') {
    item.description = circuit.kind === 'open' ? 'circuit open' : 'circuit half-open';
    item.iconPath = new vscode.ThemeIcon('debug-disconnect', new vscode.ThemeColor('list.warningForeground'));
  }
  const tooltip = new vscode.MarkdownString(undefined, true);
  tooltip.appendMarkdown(`**${escapeMarkdown(server.definition.label)}** (\`${server.id}\`)${server.definition.builtin ? ' · built in' : ''}\n\n`);
  tooltip.appendMarkdown(`${escapeMarkdown(describeState(state))}\n\n`);
  if (circuit.kind === 'open') {
    tooltip.appendMarkdown(`Circuit open after ${circuit.failures} failures in a row (last: ${escapeMarkdown(circuit.lastFailure)}); calls fail fast until it retries.\n\n`);
  } else if (circuit.kind === 'half-open') {
    tooltip.appendMarkdown(`Circuit half-open: the next call is a trial after ${circuit.failures} failures.\n\n`);
  }
  if (state.kind === 'running') {
    tooltip.appendMarkdown(`${escapeMarkdown(state.session.serverInfo.name)} ${escapeMarkdown(state.session.serverInfo.version)}, MCP ${state.session.protocolVersion}`);
    if (state.pid !== undefined) tooltip.appendMarkdown(`, pid ${state.pid}`);
  }
  item.tooltip = tooltip;
  return item;
}

export function toolItem(
  serverId: string,
  tool: Tool,
  metrics: ToolSummary | undefined,
  disabled: boolean,
  approval: ToolApproval | undefined,
): vscode.TreeItem {
  const item = new vscode.TreeItem(tool.name, vscode.TreeItemCollapsibleState.None);
  item.id = `tool:${serverId}:${tool.name}`;
  item.description = tool.title ?? tool.annotations?.title ?? '';
  item.iconPath = new vscode.ThemeIcon(disabled ? 'circle-slash' : tool.annotations?.readOnlyHint ? 'eye' : 'tools');
  item.contextValue = disabled ? 'tool.disabled' : 'tool.enabled';
  if (disabled) item.description = 'disabled';
  const tooltip = new vscode.MarkdownString();
  tooltip.appendText(tool.description ?? 'No description.');
  const hints = [
    tool.annotations?.readOnlyHint ? 'read-only' : 'may modify',
    tool.annotations?.openWorldHint === false ? 'closed world' : 'open world',
  ];
  tooltip.appendMarkdown(`\n\n_${hints.join(' · ')}_`);
  if (metrics) tooltip.appendMarkdown(`\n\n${describeMetrics(metrics)}`);
  if (approval && approval.findings.length > 0) {
    tooltip.appendMarkdown('\n\n**Hidden characters:** ');
    tooltip.appendText(describeFindings(approval.findings));
  }
  if (approval && approval.kind !== 'approved') {
    item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
    item.description = approval.kind === 'changed' ? 'changed: review' : 'needs approval';
    item.contextValue = 'tool.review';
    item.command = { command: 'warden.reviewTool', title: 'Review Tool…', arguments: [{ serverId, tool: tool.name }] };
    tooltip.appendMarkdown(
      approval.kind === 'changed'
        ? '\n\n**Its definition changed since it was approved.** Models cannot call it until you review the change and approve it again.'
        : '\n\n**Not approved yet.** Models cannot call it until you review and approve it.',
    );
  }
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

export function approvalsGroupItem(count: number): vscode.TreeItem {
  const item = new vscode.TreeItem('Approvals', vscode.TreeItemCollapsibleState.Collapsed);
  item.id = 'approvals';
  item.description = `${count}`;
  item.iconPath = new vscode.ThemeIcon('shield');
  item.tooltip = 'Tools you allowed when Warden asked. Revoke one to be asked again.';
  return item;
}

export function approvalItem(approval: Approval): vscode.TreeItem {
  const item = new vscode.TreeItem(approval.key.replace('/', '.'), vscode.TreeItemCollapsibleState.None);
  item.id = `approval:${approval.scope}:${approval.key}`;
  item.description = approval.scope === 'always' ? 'always' : approval.scope === 'workspace' ? 'this workspace' : 'this session';
  item.iconPath = new vscode.ThemeIcon('check');
  item.contextValue = 'approval';
  item.tooltip = `Calls to ${approval.key.replace('/', '.')} from language models run without asking (${item.description}).`;
  return item;
}

/** "12 calls · p50 3.1 ms · p95 9.8 ms · p99 12 ms · ok 10, denied 2" */
export function describeMetrics(m: ToolSummary): string {
  const parts = [`${m.calls} call${m.calls === 1 ? '' : 's'}`];
  if (m.p50Ms !== undefined) parts.push(`p50 ${ms(m.p50Ms)}`, `p95 ${ms(m.p95Ms ?? 0)}`, `p99 ${ms(m.p99Ms ?? 0)}`);
  const outcomes = Object.entries(m.outcomes).filter(([, n]) => n > 0).map(([o, n]) => `${o} ${n}`);
  return `${parts.join(' · ')}${outcomes.length > 0 ? ` · ${outcomes.join(', ')}` : ''}`;
}

function ms(value: number): string {
  return value >= 100 ? `${Math.round(value)} ms` : `${value.toPrecision(2)} ms`;
}
