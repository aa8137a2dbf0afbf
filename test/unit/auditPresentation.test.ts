import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuditCall } from '../../src/core/audit/history';
import type { VerifyReport } from '../../src/core/audit/verifyReport';
import {
  CALL_STATUSES,
  callDescription,
  callDocument,
  dayKey,
  describeFilter,
  formatDuration,
  groupByDay,
  statusIcon,
  verifyDocument,
} from '../../src/vscode/audit/callPresentation';

const now = new Date(2026, 10, 24, 15, 0, 0);
const at = (days: number, hour: number): string => new Date(2026, 10, 24 - days, hour, 5, 0).toISOString();

function call(id: string, time: string, status: AuditCall['status'] = 'ok', durationMs?: number): AuditCall {
  return {
    id,
    status,
    time,
    caller: 'copilot',
    server: 'fs',
    tool: 'read_text',
    ...(durationMs !== undefined && { durationMs }),
    place: { file: 'audit-000001.jsonl', path: '/log/audit-000001.jsonl', offset: 0 },
  };
}

describe('Audit History presentation', () => {
  it('groups calls by local day, newest day first, naming today and yesterday', () => {
    const groups = groupByDay([call('a', at(0, 14)), call('b', at(0, 9)), call('c', at(1, 23)), call('d', at(5, 8))], now);
    assert.deepEqual(
      groups.map((g) => [g.label === 'Today' || g.label === 'Yesterday' ? g.label : 'other', g.calls.map((c) => c.id)]),
      [
        ['Today', ['a', 'b']],
        ['Yesterday', ['c']],
        ['other', ['d']],
      ],
    );
    assert.equal(groups[2]!.key, dayKey(new Date(at(5, 8))));
  });

  it('describes a call by caller, duration, outcome and time', () => {
    assert.match(callDescription(call('a', at(0, 14), 'tool-error', 12.4)), /^copilot · 12 ms · tool-error · \d{2}:05:00$/);
    assert.match(callDescription(call('b', at(0, 14), 'running')), /^copilot · running · /);
    assert.equal(formatDuration(0.25), '0.25 ms');
    assert.equal(formatDuration(2500), '2.50 s');
    assert.equal(formatDuration(undefined), '…');
  });

  it('has an icon for every outcome, and a different one for success and failure', () => {
    const icons = new Set(CALL_STATUSES.map((s) => statusIcon(s).id));
    assert.equal(icons.size, CALL_STATUSES.length);
    assert.equal(statusIcon('ok').id, 'pass');
    assert.equal(statusIcon('denied').id, 'circle-slash');
  });

  it('describes a filter in words', () => {
    assert.equal(describeFilter({ tools: [], statuses: [] }), undefined);
    assert.equal(describeFilter({ tools: ['read_text', 'list_dir'], statuses: ['ok'] }), 'tool read_text, list_dir · outcome ok');
  });

  it('renders a call as JSON with its redacted arguments, decision and result', () => {
    const full: AuditCall = {
      ...call('a', at(0, 14), 'ok', 3),
      started: {
        kind: 'started',
        id: 'a',
        caller: 'copilot',
        server: 'fs',
        tool: 'read_text',
        argsSha256: 'f'.repeat(64),
        args: { path: 'README.md', token: '[redacted]' },
        decision: { effect: 'allow', ruleId: 'fs-read', reason: 'allowed by rule "fs-read"' },
        seq: 3,
        prev: '0'.repeat(64),
        time: at(0, 14),
        mac: '1'.repeat(64),
      },
      finished: { kind: 'finished', id: 'a', durationMs: 3, outcome: 'ok', result: { bytes: 42, preview: '# Title' }, seq: 4, prev: '2'.repeat(64), time: at(0, 14), mac: '3'.repeat(64) },
    };
    const document = JSON.parse(callDocument(full));
    assert.equal(document.tool, 'fs.read_text');
    assert.deepEqual(document.arguments, { path: 'README.md', token: '[redacted]' });
    assert.equal(document.decision.ruleId, 'fs-read');
    assert.deepEqual(document.result, { bytes: 42, preview: '# Title' });
    assert.deepEqual(
      document.records.map((r: { seq: number }) => r.seq),
      [3, 4],
    );
  });

  it('writes a verification report with each break and where it is', () => {
    const report: VerifyReport = {
      ok: false,
      dir: '/log',
      files: [{ name: 'audit-000001.jsonl', path: '/log/audit-000001.jsonl', bytes: 10, lines: 3 }],
      records: 2,
      anchor: { kind: 'genesis' },
      breaks: [{ kind: 'edited', file: 'audit-000001.jsonl', path: '/log/audit-000001.jsonl', line: 2, seq: 2, message: 'changed' }],
      notices: ['a notice'],
      openCalls: [],
      summary: 'The audit log does not verify: 1 break.',
    };
    const text = verifyDocument(report);
    assert.match(text, /- \*\*edited\*\* at audit-000001\.jsonl line 2 \(seq 2\): changed/);
    assert.match(text, /## Notices\n\n- a notice/);
  });
});
