import * as vscode from 'vscode';
import type { ToolMetrics } from '../../core/metrics/toolMetrics';
import type { Approval, Approvals } from '../../core/policy/approvals';
import type { PolicySource } from '../policy/policySource';
import type { ResultDocuments } from './resultDocuments';

export function registerPolicyCommands(approvals: Approvals, metrics: ToolMetrics, policy: PolicySource, results: ResultDocuments): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('warden.revokeApproval', async (arg?: unknown) => {
      const approval = approvalOf(arg) ?? (await pickApproval(approvals));
      if (!approval) return;
      await approvals.revoke(approval);
      void vscode.window.showInformationMessage(`Revoked: Warden will ask again before a model calls ${approval.key.replace('/', '.')}.`);
    }),
    vscode.commands.registerCommand('warden.showMetrics', async () => {
      await results.open('metrics', metricsDocument(metrics));
    }),
    vscode.commands.registerCommand('warden.showPolicyLog', () => policy.showLog()),
  ];
}

function approvalOf(arg: unknown): Approval | undefined {
  if (typeof arg !== 'object' || arg === null || !('approval' in arg)) return undefined;
  const approval = arg.approval;
  if (typeof approval !== 'object' || approval === null || !('key' in approval) || !('scope' in approval)) return undefined;
  const { key, scope } = approval;
  if (typeof key !== 'string' || (scope !== 'session' && scope !== 'workspace' && scope !== 'always')) return undefined;
  return { key, scope };
}

async function pickApproval(approvals: Approvals): Promise<Approval | undefined> {
  const list = approvals.list();
  if (list.length === 0) {
    void vscode.window.showInformationMessage('There are no approvals to revoke: Warden asks before every call that needs one.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    list.map((approval) => ({ label: approval.key.replace('/', '.'), description: approval.scope, approval })),
    { title: 'Warden: Revoke Approval', placeHolder: 'Pick the approval to revoke' },
  );
  return picked?.approval;
}

function metricsDocument(metrics: ToolMetrics): string {
  const rows = metrics.all().sort((a, b) => b.calls - a.calls);
  const lines = ['# Warden tool metrics', '', `Since VS Code started. Latency counts calls that reached their server.`, ''];
  if (rows.length === 0) return [...lines, 'No tool has been called yet.', ''].join('\n');
  lines.push('| Tool | Calls | p50 ms | p95 ms | p99 ms | ok | tool error | denied | timeout | crashed | rate-limited | circuit open | cancelled | failed |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const m of rows) {
    const o = m.outcomes;
    const cell = (v: number | undefined): string => (v === undefined ? '–' : v.toFixed(v >= 100 ? 0 : 2));
    lines.push(
      `| ${m.server}.${m.tool} | ${m.calls} | ${cell(m.p50Ms)} | ${cell(m.p95Ms)} | ${cell(m.p99Ms)} | ${o.ok} | ${o['tool-error']} | ${o.denied} | ${o.timeout} | ${o.crashed} | ${o['rate-limited']} | ${o['circuit-open']} | ${o.cancelled} | ${o.failed} |`,
    );
  }
  return [...lines, ''].join('\n');
}
