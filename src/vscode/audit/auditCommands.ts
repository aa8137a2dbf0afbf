/**
 * The audit log's commands. Each takes an optional argument that skips its questions, so scripts
 * and tests can run it: verify `{ dir }` (another copy of a log, checked with this installation's
 * key), export `{ format, path }`, filter `{ tools, statuses }`, open record `'<audit id>'`.
 */
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { ExportFormat, ExportResult } from '../../core/audit/exporter';
import type { AuditCall } from '../../core/audit/history';
import { verifyAuditLog } from '../../core/audit/verifier';
import type { VerifyReport } from '../../core/audit/verifyReport';
import { auditKey } from './auditKey';
import type { AuditDocuments } from './auditDocuments';
import { OPEN_RECORD_COMMAND, type AuditNode, type AuditSource, type AuditTreeProvider } from './auditTree';
import { breakPlace, CALL_STATUSES, callDescription, callLabel, isCallStatus, NO_FILTER, verifyDocument, type CallFilter } from './callPresentation';

export const VERIFY_COMMAND = 'warden.audit.verify';
export const EXPORT_COMMAND = 'warden.audit.export';
export const FILTER_COMMAND = 'warden.audit.filter';
export const CLEAR_FILTER_COMMAND = 'warden.audit.clearFilter';

export interface AuditCommandDeps {
  readonly context: vscode.ExtensionContext;
  readonly source: AuditSource;
  readonly tree: AuditTreeProvider;
  readonly view: vscode.TreeView<AuditNode>;
  readonly documents: AuditDocuments;
}

/** What the filter commands return: the filter now applied and the calls the view shows. */
export interface FilterResult {
  readonly filter: CallFilter;
  readonly calls: readonly { readonly id: string; readonly server: string; readonly tool: string; readonly caller: string; readonly status: string; readonly time: string }[];
}

export function registerAuditCommands(deps: AuditCommandDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(VERIFY_COMMAND, (arg?: unknown) => verify(deps, arg)),
    vscode.commands.registerCommand(EXPORT_COMMAND, (arg?: unknown) => exportLog(deps, arg)),
    vscode.commands.registerCommand(FILTER_COMMAND, async (arg?: unknown) => {
      const filter = arg === undefined ? await pickFilter(deps.tree) : filterArgument(arg);
      return filter ? applyFilter(deps, filter) : undefined;
    }),
    vscode.commands.registerCommand(CLEAR_FILTER_COMMAND, () => applyFilter(deps, NO_FILTER)),
    vscode.commands.registerCommand(OPEN_RECORD_COMMAND, async (arg?: unknown) => {
      const id = typeof arg === 'string' ? arg : isCallNode(arg) ? arg.call.id : await pickCall(deps.tree);
      if (id === undefined) return undefined;
      const editor = await deps.documents.openCall(id);
      return { uri: editor.document.uri.toString() };
    }),
  ];
}

async function verify(deps: AuditCommandDeps, arg: unknown): Promise<VerifyReport> {
  const dir = isObject(arg) && typeof arg.dir === 'string' ? arg.dir : undefined;
  const report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Verifying the audit log' }, async (progress) => {
    let shown = 0;
    const onProgress = (done: number, total: number): void => {
      const percent = total > 0 ? Math.floor((done * 100) / total) : 100;
      if (percent <= shown) return;
      progress.report({ increment: percent - shown, message: `${megabytes(done)} of ${megabytes(total)}` });
      shown = percent;
    };
    return dir === undefined ? deps.source.verify(onProgress) : verifyAuditLog(dir, await auditKey(deps.context), { onProgress });
  });
  void showVerdict(deps, report);
  return report;
}

async function showVerdict(deps: AuditCommandDeps, report: VerifyReport): Promise<void> {
  if (report.ok) {
    const choice = await vscode.window.showInformationMessage(report.summary, ...(report.notices.length > 0 || report.openCalls.length > 0 ? ['Show Report'] : []));
    if (choice === 'Show Report') await deps.documents.openReport('verification', verifyDocument(report));
    return;
  }
  const shown = report.breaks.slice(0, 3);
  const buttons = shown.map((b) => `Open ${breakPlace(b)}`);
  const count = report.breaks.length;
  const first = report.breaks[0];
  const message = `The audit log does not verify: ${count} break${count === 1 ? '' : 's'}. ${first ? `${first.kind} at ${breakPlace(first)}: ${first.message}` : ''}`;
  const choice = await vscode.window.showErrorMessage(message, ...buttons, 'Show Report');
  if (choice === 'Show Report') {
    await deps.documents.openReport('verification', verifyDocument(report));
    return;
  }
  const picked = shown[buttons.indexOf(choice ?? '')];
  if (picked) {
    const position = new vscode.Position(Math.max(0, picked.line - 1), 0);
    await vscode.window.showTextDocument(vscode.Uri.file(picked.path), { selection: new vscode.Range(position, position), preview: false });
  }
}

async function exportLog(deps: AuditCommandDeps, arg: unknown): Promise<ExportResult | undefined> {
  const scripted = exportArgument(arg);
  const target = scripted ?? (await askExportTarget());
  if (!target) return undefined;
  let result: ExportResult;
  try {
    result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Exporting the audit log' }, () => deps.source.exportTo(target));
  } catch (error) {
    void vscode.window.showErrorMessage(error instanceof Error ? error.message : String(error));
    if (scripted) throw error;
    return undefined;
  }
  const shown = vscode.window.showInformationMessage(`Exported ${result.records} audit records to ${result.path}.`, 'Open');
  if (!scripted && (await shown) === 'Open') await vscode.window.showTextDocument(vscode.Uri.file(result.path), { preview: false });
  return result;
}

async function askExportTarget(): Promise<{ format: ExportFormat; path: string } | undefined> {
  const formats: (vscode.QuickPickItem & { format: ExportFormat })[] = [
    { label: 'JSON Lines', description: '.jsonl', detail: 'Every record exactly as logged; a copy that still verifies with this installation’s key.', format: 'jsonl' },
    { label: 'CSV', description: '.csv', detail: 'One row per record: seq, time, kind, id, caller, server, tool, outcome, duration, error code, message, rule.', format: 'csv' },
  ];
  const picked = await vscode.window.showQuickPick(formats, { title: 'Export Audit Log', placeHolder: 'Export in which format?' });
  if (!picked) return undefined;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? os.homedir();
  const name = `warden-audit-${new Date().toISOString().slice(0, 10)}.${picked.format}`;
  const uri = await vscode.window.showSaveDialog({
    title: 'Export Audit Log',
    saveLabel: 'Export',
    defaultUri: vscode.Uri.file(path.join(folder, name)),
    filters: picked.format === 'csv' ? { CSV: ['csv'] } : { 'JSON Lines': ['jsonl'] },
  });
  return uri ? { format: picked.format, path: uri.fsPath } : undefined;
}

async function applyFilter(deps: AuditCommandDeps, filter: CallFilter): Promise<FilterResult> {
  const calls = await deps.tree.setFilter(filter);
  deps.view.description = deps.tree.describe();
  deps.view.message = calls.length === 0 && deps.tree.describe() !== undefined ? 'No recorded call matches the filter.' : undefined;
  return { filter, calls: calls.map(summary) };
}

async function pickFilter(tree: AuditTreeProvider): Promise<CallFilter | undefined> {
  type Item = vscode.QuickPickItem & { tool?: string; status?: (typeof CALL_STATUSES)[number] };
  const current = tree.filter;
  const tools = [...new Set([...(await tree.recentTools()), ...current.tools])].sort();
  const items: Item[] = [
    { label: 'Tools', kind: vscode.QuickPickItemKind.Separator },
    ...tools.map((tool) => ({ label: tool, tool, picked: current.tools.includes(tool) })),
    { label: 'Outcomes', kind: vscode.QuickPickItemKind.Separator },
    ...CALL_STATUSES.map((status) => ({ label: status, status, picked: current.statuses.includes(status) })),
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Filter Audit History',
    placeHolder: 'Show only calls of these tools and with these outcomes (none picked: all)',
    canPickMany: true,
  });
  if (!picked) return undefined;
  return { tools: picked.flatMap((i) => (i.tool ? [i.tool] : [])), statuses: picked.flatMap((i) => (i.status ? [i.status] : [])) };
}

async function pickCall(tree: AuditTreeProvider): Promise<string | undefined> {
  const calls = await tree.visibleCalls();
  if (calls.length === 0) {
    void vscode.window.showInformationMessage('The audit log has no recorded calls to open yet.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    calls.map((call) => ({ label: callLabel(call), description: callDescription(call), detail: call.id, id: call.id })),
    { title: 'Open Audit Record', matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.id;
}

function filterArgument(arg: unknown): CallFilter {
  if (!isObject(arg)) throw new Error('The filter must be an object like { "tools": ["read_text"], "statuses": ["ok"] }.');
  const tools = arg.tools === undefined ? [] : arg.tools;
  const statuses = arg.statuses === undefined ? [] : arg.statuses;
  if (!Array.isArray(tools) || !tools.every((t): t is string => typeof t === 'string')) throw new Error('"tools" must be a list of tool names.');
  if (!Array.isArray(statuses) || !statuses.every(isCallStatus)) throw new Error(`"statuses" must be a list of: ${CALL_STATUSES.join(', ')}.`);
  return { tools, statuses };
}

function exportArgument(arg: unknown): { format: ExportFormat; path: string } | undefined {
  if (arg === undefined) return undefined;
  if (!isObject(arg) || (arg.format !== 'jsonl' && arg.format !== 'csv') || typeof arg.path !== 'string' || arg.path.length === 0) {
    throw new Error('Export takes { "format": "jsonl" | "csv", "path": "/absolute/file" }.');
  }
  return { format: arg.format, path: arg.path };
}

function summary(call: AuditCall): FilterResult['calls'][number] {
  return { id: call.id, server: call.server, tool: call.tool, caller: call.caller, status: call.status, time: call.time };
}

function isCallNode(arg: unknown): arg is Extract<AuditNode, { kind: 'call' }> {
  return isObject(arg) && arg.kind === 'call' && isObject(arg.call) && typeof arg.call.id === 'string';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
