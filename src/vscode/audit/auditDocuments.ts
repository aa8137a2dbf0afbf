/**
 * Read-only documents of the audit log (`warden-audit:` URIs): a call's full record as JSON, and
 * verification reports as Markdown. A call's document updates when its `finished` record arrives.
 */
import * as vscode from 'vscode';
import type { AuditTreeProvider, AuditSource } from './auditTree';
import { callDocument } from './callPresentation';

export const AUDIT_SCHEME = 'warden-audit';
const CALL_PATH = /^\/calls\/(.+)\.json$/;
const MAX_REPORTS = 20;

export class AuditDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changeEmitter.event;
  private readonly reports = new Map<string, string>();
  private readonly registration: vscode.Disposable;
  private readonly appendListener: { dispose(): void };
  private reportCount = 0;

  constructor(
    private readonly source: AuditSource,
    private readonly tree: AuditTreeProvider,
  ) {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(AUDIT_SCHEME, this);
    this.appendListener = source.onDidAppend((records) => {
      const ids = new Set(records.flatMap((r) => ('id' in r ? [r.id] : [])));
      for (const document of vscode.workspace.textDocuments) {
        const id = callIdOf(document.uri);
        if (id !== undefined && ids.has(id)) this.changeEmitter.fire(document.uri);
      }
    });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const id = callIdOf(uri);
    if (id !== undefined) {
      // A call that has ended never changes; a running one is read again for its end.
      const known = this.tree.knownCall(id);
      const call = known && known.status !== 'running' ? known : ((await this.source.findCall(id)) ?? known);
      return call ? callDocument(call) : `No call with audit id ${id} is in the log: retention may have removed it.\n`;
    }
    return this.reports.get(uri.path) ?? 'This report is no longer kept. Run "Warden: Verify Audit Log" again.\n';
  }

  async openCall(id: string): Promise<vscode.TextEditor> {
    const uri = vscode.Uri.from({ scheme: AUDIT_SCHEME, path: `/calls/${id}.json` });
    const document = await vscode.workspace.openTextDocument(uri);
    return vscode.window.showTextDocument(document, { preview: true });
  }

  async openReport(name: string, text: string): Promise<vscode.TextEditor> {
    const path = `/reports/${++this.reportCount}-${name}.md`;
    this.reports.set(path, text);
    while (this.reports.size > MAX_REPORTS) {
      const oldest = this.reports.keys().next().value;
      if (oldest === undefined) break;
      this.reports.delete(oldest);
    }
    const document = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: AUDIT_SCHEME, path }));
    return vscode.window.showTextDocument(document, { preview: false });
  }

  dispose(): void {
    this.appendListener.dispose();
    this.registration.dispose();
    this.changeEmitter.dispose();
    this.reports.clear();
  }
}

function callIdOf(uri: vscode.Uri): string | undefined {
  if (uri.scheme !== AUDIT_SCHEME) return undefined;
  return CALL_PATH.exec(uri.path)?.[1];
}
