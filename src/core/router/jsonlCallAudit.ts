/**
 * A CallAudit over the plain JSON Lines sink: one line per call once it has ended or was refused.
 */
import type { AuditRecord, AuditSink } from '../audit/auditRecord';
import { canonicalJson, sha256Hex } from '../util/canonicalJson';
import type { CallAudit, CallFinishedEntry, CallIdentity, CallRefusedEntry, CallStartedEntry } from './callAudit';

export class JsonlCallAudit implements CallAudit {
  private readonly open = new Map<string, CallStartedEntry>();

  constructor(private readonly sink: AuditSink) {}

  async started(entry: CallStartedEntry): Promise<void> {
    this.open.set(entry.id, entry);
  }

  async finished(entry: CallFinishedEntry): Promise<void> {
    const started = this.open.get(entry.id);
    this.open.delete(entry.id);
    if (!started) return;
    await this.sink.append({
      ...base(started),
      durationMs: entry.durationMs,
      outcome: entry.outcome === 'ok' ? 'ok' : entry.outcome === 'tool-error' ? 'tool-error' : 'failed',
      ...(entry.errorCode && { errorCode: entry.errorCode }),
      ...(entry.message !== undefined && { message: entry.message }),
    });
  }

  async refused(entry: CallRefusedEntry): Promise<void> {
    await this.sink.append({ ...base(entry), durationMs: 0, outcome: 'failed', errorCode: entry.errorCode, message: entry.message });
  }
}

function base(entry: CallIdentity): Omit<AuditRecord, 'durationMs' | 'outcome'> {
  return { id: entry.id, time: entry.time, caller: entry.caller, server: entry.server, tool: entry.tool, argsSha256: sha256Hex(canonicalJson(entry.args)) };
}
