/**
 * The audit log in VS Code: the Audit History view (`warden.audit`), its read-only documents
 * (`warden-audit:`) and the commands Verify, Export, Filter, Clear Filter and Open Record.
 */
import * as vscode from 'vscode';
import { registerAuditCommands } from './auditCommands';
import { AuditDocuments } from './auditDocuments';
import { AUDIT_VIEW_ID, AuditTreeProvider, type AuditSource } from './auditTree';

export type { AuditSource } from './auditTree';
export { auditKey } from './auditKey';

export function registerAuditSurfaces(context: vscode.ExtensionContext, log: AuditSource): vscode.Disposable[] {
  const tree = new AuditTreeProvider(log);
  const view = vscode.window.createTreeView(AUDIT_VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  const documents = new AuditDocuments(log, tree);
  void vscode.commands.executeCommand('setContext', 'warden.audit.filtered', false);
  return [tree, view, documents, ...registerAuditCommands({ context, source: log, tree, view, documents })];
}
