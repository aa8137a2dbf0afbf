/**
 * The Audit History tree: the newest calls, grouped by day, newest first, each with its caller,
 * tool, duration and an icon for its outcome; selecting one opens its full record. It reloads from
 * the log when records are appended (at most a few times a second) and when the filter changes.
 */
import * as vscode from 'vscode';
import type { AuditLog } from '../../core/audit/auditLog';
import type { AuditCall } from '../../core/audit/history';
import { callDescription, callLabel, describeFilter, groupByDay, isFiltered, NO_FILTER, statusIcon, type CallFilter, type DayGroup } from './callPresentation';

/** What the view needs from the log; `AuditLog` provides it. */
export type AuditSource = Pick<AuditLog, 'onDidAppend' | 'recentCalls' | 'findCall' | 'verify' | 'exportTo'>;

export const AUDIT_VIEW_ID = 'warden.audit';
export const OPEN_RECORD_COMMAND = 'warden.audit.openRecord';
const FILTERED_CONTEXT = 'warden.audit.filtered';
/** How many calls the view shows, and how many records it reads at most to find them. */
export const VIEW_LIMIT = 500;
const SCAN_LIMIT = 200_000;
const RELOAD_DELAY_MS = 250;

export type AuditNode = { readonly kind: 'day'; readonly group: DayGroup } | { readonly kind: 'call'; readonly call: AuditCall };

export class AuditTreeProvider implements vscode.TreeDataProvider<AuditNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<AuditNode | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private filterState: CallFilter = NO_FILTER;
  private loaded: Promise<DayGroup[]> | undefined;
  private reloadTimer: NodeJS.Timeout | undefined;
  private readonly appendListener: { dispose(): void };
  private readonly known = new Map<string, AuditCall>();

  constructor(private readonly source: AuditSource) {
    this.appendListener = source.onDidAppend(() => this.scheduleReload());
  }

  get filter(): CallFilter {
    return this.filterState;
  }

  /** Applies a filter and resolves with the calls the view then shows. */
  async setFilter(filter: CallFilter): Promise<AuditCall[]> {
    this.filterState = filter;
    await vscode.commands.executeCommand('setContext', FILTERED_CONTEXT, isFiltered(filter));
    this.reload();
    return this.visibleCalls();
  }

  async visibleCalls(): Promise<AuditCall[]> {
    return (await this.groups()).flatMap((g) => [...g.calls]);
  }

  /** A call the view has shown, without reading the log again. */
  knownCall(id: string): AuditCall | undefined {
    return this.known.get(id);
  }

  /** Tool names seen in the newest calls, whatever the filter: what the filter offers. */
  async recentTools(): Promise<string[]> {
    const calls = await this.source.recentCalls({ limit: VIEW_LIMIT, scanLimit: SCAN_LIMIT });
    return [...new Set(calls.map((c) => c.tool))].sort();
  }

  describe(): string | undefined {
    return describeFilter(this.filterState);
  }

  async getChildren(node?: AuditNode): Promise<AuditNode[]> {
    if (!node) return (await this.groups()).map((group) => ({ kind: 'day', group }));
    if (node.kind === 'day') return node.group.calls.map((call) => ({ kind: 'call', call }));
    return [];
  }

  getTreeItem(node: AuditNode): vscode.TreeItem {
    return node.kind === 'day' ? dayItem(node.group) : callItem(node.call);
  }

  reload(): void {
    this.loaded = undefined;
    this.changeEmitter.fire(undefined);
  }

  dispose(): void {
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    this.appendListener.dispose();
    this.changeEmitter.dispose();
  }

  private groups(): Promise<DayGroup[]> {
    const query = { limit: VIEW_LIMIT, tools: this.filterState.tools, statuses: this.filterState.statuses, scanLimit: SCAN_LIMIT };
    this.loaded ??= this.source.recentCalls(query).then((calls) => {
      this.known.clear();
      for (const call of calls) this.known.set(call.id, call);
      return groupByDay(calls, new Date());
    });
    return this.loaded;
  }

  private scheduleReload(): void {
    if (this.reloadTimer) return;
    this.reloadTimer = setTimeout(() => {
      this.reloadTimer = undefined;
      this.reload();
    }, RELOAD_DELAY_MS);
  }
}

function dayItem(group: DayGroup): vscode.TreeItem {
  const item = new vscode.TreeItem(group.label, group.label === 'Today' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `audit-day:${group.key}`;
  item.description = `${group.calls.length} call${group.calls.length === 1 ? '' : 's'}`;
  item.iconPath = new vscode.ThemeIcon('calendar');
  item.contextValue = 'auditDay';
  return item;
}

function callItem(call: AuditCall): vscode.TreeItem {
  const item = new vscode.TreeItem(callLabel(call), vscode.TreeItemCollapsibleState.None);
  item.id = `audit-call:${call.id}`;
  item.description = callDescription(call);
  const icon = statusIcon(call.status);
  item.iconPath = new vscode.ThemeIcon(icon.id, icon.color ? new vscode.ThemeColor(icon.color) : undefined);
  item.contextValue = 'auditCall';
  const tooltip = new vscode.MarkdownString();
  tooltip.appendMarkdown(`**${callLabel(call)}** · ${call.status}\n\n`);
  tooltip.appendText(`${call.caller} at ${call.time}\n`);
  const decision = call.started?.decision ?? call.refused?.decision;
  if (decision) tooltip.appendText(`Decision: ${decision.effect} by rule ${decision.ruleId}: ${decision.reason}\n`);
  if (call.message) tooltip.appendText(`${call.message}\n`);
  tooltip.appendText(`Audit id: ${call.id}`);
  item.tooltip = tooltip;
  item.command = { command: OPEN_RECORD_COMMAND, title: 'Open Audit Record', arguments: [call.id] };
  return item;
}
