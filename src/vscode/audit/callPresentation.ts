/**
 * How a recorded call reads in the Audit History view and its documents: day groups, labels,
 * the icon for each outcome, and the full record as a document. No `vscode` here, so it is
 * tested in memory.
 */
import { CALL_OUTCOMES } from '../../core/audit/auditRecord';
import type { AuditCall, CallStatus } from '../../core/audit/history';
import type { ChainBreak, VerifyReport } from '../../core/audit/verifyReport';

export const CALL_STATUSES: readonly CallStatus[] = [...CALL_OUTCOMES, 'running', 'interrupted'];

export function isCallStatus(value: unknown): value is CallStatus {
  return CALL_STATUSES.some((status) => status === value);
}

export interface CallFilter {
  readonly tools: readonly string[];
  readonly statuses: readonly CallStatus[];
}

export const NO_FILTER: CallFilter = { tools: [], statuses: [] };

export function isFiltered(filter: CallFilter): boolean {
  return filter.tools.length > 0 || filter.statuses.length > 0;
}

/** "tool read_text, list_dir · outcome ok" or undefined without a filter. */
export function describeFilter(filter: CallFilter): string | undefined {
  const parts = [
    ...(filter.tools.length > 0 ? [`tool ${filter.tools.join(', ')}`] : []),
    ...(filter.statuses.length > 0 ? [`outcome ${filter.statuses.join(', ')}`] : []),
  ];
  return parts.length > 0 ? parts.join(' · ') : undefined;
}

export interface DayGroup {
  /** YYYY-MM-DD in local time. */
  readonly key: string;
  readonly label: string;
  readonly calls: readonly AuditCall[];
}

/** Calls (newest first) grouped by local day, newest day first. */
export function groupByDay(calls: readonly AuditCall[], now: Date): DayGroup[] {
  const groups = new Map<string, AuditCall[]>();
  for (const call of calls) {
    const key = dayKey(new Date(call.time));
    const group = groups.get(key);
    if (group) group.push(call);
    else groups.set(key, [call]);
  }
  return [...groups.entries()].map(([key, dayCalls]) => ({ key, label: dayLabel(key, now), calls: dayCalls }));
}

export function dayKey(date: Date): string {
  if (Number.isNaN(date.getTime())) return 'unknown';
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

export function dayLabel(key: string, now: Date): string {
  if (key === 'unknown') return 'Unknown date';
  if (key === dayKey(now)) return 'Today';
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  if (key === dayKey(yesterday)) return 'Yesterday';
  const [year, month, day] = key.split('-').map(Number);
  return new Date(year ?? 1970, (month ?? 1) - 1, day ?? 1).toLocaleDateString(undefined, { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric' });
}

export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '…';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function callLabel(call: AuditCall): string {
  return `${call.server}.${call.tool}`;
}

/** "copilot · 12 ms · ok · 14:03:27" */
export function callDescription(call: AuditCall): string {
  const time = new Date(call.time);
  const clock = Number.isNaN(time.getTime()) ? '' : ` · ${time.toLocaleTimeString(undefined, { hour12: false })}`;
  const duration = call.status === 'running' || call.status === 'interrupted' ? '' : ` · ${formatDuration(call.durationMs)}`;
  return `${call.caller}${duration} · ${call.status}${clock}`;
}

/** A codicon and theme color per outcome. */
export function statusIcon(status: CallStatus): { readonly id: string; readonly color?: string } {
  switch (status) {
    case 'ok':
      return { id: 'pass', color: 'testing.iconPassed' };
    case 'tool-error':
      return { id: 'warning', color: 'list.warningForeground' };
    case 'denied':
      return { id: 'circle-slash', color: 'list.errorForeground' };
    case 'timeout':
      return { id: 'watch', color: 'list.warningForeground' };
    case 'crashed':
      return { id: 'flame', color: 'list.errorForeground' };
    case 'rate-limited':
      return { id: 'dashboard', color: 'list.warningForeground' };
    case 'circuit-open':
      return { id: 'debug-disconnect', color: 'list.errorForeground' };
    case 'cancelled':
      return { id: 'close' };
    case 'failed':
      return { id: 'error', color: 'list.errorForeground' };
    case 'running':
      return { id: 'loading~spin' };
    case 'interrupted':
      return { id: 'debug-stop', color: 'list.warningForeground' };
  }
}

/** The full record of a call, as pretty JSON: what was asked (redacted), what was decided, what came back. */
export function callDocument(call: AuditCall): string {
  const decision = call.started?.decision ?? call.refused?.decision;
  const args = call.started?.args ?? call.refused?.args;
  const document = {
    id: call.id,
    tool: callLabel(call),
    caller: call.caller,
    outcome: call.status,
    started: call.time,
    ...(call.durationMs !== undefined && { durationMs: call.durationMs }),
    ...(decision && { decision }),
    arguments: args ?? null,
    argumentsNote: 'Secrets are redacted; argsSha256 is the SHA-256 of the unredacted arguments as canonical JSON.',
    argsSha256: call.started?.argsSha256 ?? call.refused?.argsSha256,
    ...(call.finished?.result && { result: call.finished.result }),
    ...(call.errorCode !== undefined && { errorCode: call.errorCode }),
    ...(call.message !== undefined && { message: call.message }),
    file: call.place.file,
    records: [call.started, call.finished, call.refused].filter((r) => r !== undefined),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** A verification report as Markdown: the verdict, then each break with where it is. */
export function verifyDocument(report: VerifyReport): string {
  const lines = [`# Audit log verification`, '', report.summary, '', `- Folder: \`${report.dir}\``, `- Files: ${report.files.length}`, `- Records verified: ${report.records}`];
  if (report.breaks.length > 0) lines.push('', '## Breaks', '', ...report.breaks.map((b) => `- **${b.kind}** at ${breakPlace(b)}: ${b.message}`));
  if (report.notices.length > 0) lines.push('', '## Notices', '', ...report.notices.map((n) => `- ${n}`));
  if (report.openCalls.length > 0) {
    lines.push('', '## Calls with no recorded end', '', ...report.openCalls.map((c) => `- ${c.server}.${c.tool} (${c.id}) by ${c.caller} at ${c.time}, ${c.file} line ${c.line}${c.interrupted ? ': interrupted, Warden stopped during the call' : ': still running'}`));
  }
  return `${lines.join('\n')}\n`;
}

export function breakPlace(b: ChainBreak): string {
  return `${b.file} line ${b.line}${b.toLine !== undefined ? `–${b.toLine}` : ''}${b.seq !== undefined ? ` (seq ${b.seq}${b.toSeq !== undefined && b.toSeq !== b.seq ? `–${b.toSeq}` : ''})` : ''}`;
}
