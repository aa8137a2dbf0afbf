/**
 * Warden: Review Tool… shows what a person is asked to approve: a new tool's definition, or the
 * change since the definition they approved (as a diff), with any hidden characters named, and
 * approves exactly that definition when they agree. Until then, models cannot call the tool.
 */
import * as vscode from 'vscode';
import { describeFindings } from '../../core/host/hiddenCharacters';
import type { ServerRegistry } from '../../core/host/serverRegistry';
import type { ResultDocuments } from './resultDocuments';

export function registerReviewTool(registry: ServerRegistry, results: ResultDocuments): vscode.Disposable {
  return vscode.commands.registerCommand('warden.reviewTool', async (arg?: unknown) => {
    const target = reviewTarget(arg);
    if (!target) {
      void vscode.window.showInformationMessage('Pick a tool marked "needs approval" or "changed" in the Warden view to review it.');
      return;
    }
    const server = registry.get(target.serverId);
    const approval = server?.toolApprovals.get(target.tool);
    if (!server || !approval) throw new Error(`No server "${target.serverId}" offers a tool "${target.tool}".`);
    if (approval.kind === 'approved') {
      void vscode.window.showInformationMessage(`${target.serverId}.${target.tool} is approved already.`);
      return;
    }
    const name = `${target.serverId}.${target.tool}`;
    const current = results.put(`${name}.current.json`, `${JSON.stringify(approval.current, null, 2)}\n`);
    if (approval.kind === 'changed') {
      const previous = results.put(`${name}.approved.json`, `${JSON.stringify(approval.previous, null, 2)}\n`);
      await vscode.commands.executeCommand('vscode.diff', previous, current, `${name}: approved ↔ now`);
    } else {
      await vscode.window.showTextDocument(current, { preview: true });
    }
    const findings = approval.findings.length > 0 ? `Hidden characters: ${describeFindings(approval.findings)}. ` : '';
    const detail = `${findings}Once approved, language models may call it under your policy; if it changes again, Warden asks again.`;
    const approve =
      target.approve === true ||
      (await vscode.window.showWarningMessage(
        approval.kind === 'changed' ? `The definition of ${name} changed. Approve the new one?` : `Approve the new tool ${name}?`,
        { modal: true, detail },
        'Approve',
      )) === 'Approve';
    if (!approve) return;
    await server.approveTool(target.tool, approval.hash);
    void vscode.window.showInformationMessage(`${name} approved.`);
  });
}

function reviewTarget(arg: unknown): { serverId: string; tool: string; approve?: boolean } | undefined {
  if (typeof arg !== 'object' || arg === null || !('serverId' in arg) || !('tool' in arg)) return undefined;
  const { serverId, tool } = arg;
  const name = typeof tool === 'string' ? tool : typeof tool === 'object' && tool !== null && 'name' in tool && typeof tool.name === 'string' ? tool.name : undefined;
  if (typeof serverId !== 'string' || name === undefined) return undefined;
  return { serverId, tool: name, ...('approve' in arg && arg.approve === true && { approve: true }) };
}
