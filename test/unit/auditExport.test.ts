import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AuditLog } from '../../src/core/audit/auditLog';
import { CSV_COLUMNS, csvCell } from '../../src/core/audit/exporter';
import { appendCalls, openLog, segmentNames, tempDir } from '../fixtures/audit/logFixtures';

const { dir: root, cleanup } = tempDir('audit-export');
const dir = path.join(root, 'log');
let log: AuditLog;

before(async () => {
  log = await openLog(dir, { maxFileBytes: 2000 });
  await appendCalls(log, 5);
  await log.started({ id: 'odd', caller: 'gateway:ci', server: 'fs', tool: 'read_text', args: {}, decision: { effect: 'allow', rule: { id: 'r' } } });
  await log.finished({ id: 'odd', durationMs: 2, outcome: 'tool-error', message: '=HYPERLINK("http://x") said "no", then\nstopped' });
  await log.refused({
    id: 'deny',
    caller: 'copilot',
    server: 'fs',
    tool: 'write',
    args: {},
    outcome: 'denied',
    errorCode: 'POLICY_DENIED',
    message: 'No rule allows fs.write',
    decision: { effect: 'deny', rule: { id: 'no-rule' }, message: 'No rule allows fs.write' },
  });
});
after(async () => {
  await log.close();
  cleanup();
});

describe('exporting as JSONL', () => {
  it('copies every line verbatim, oldest first', async () => {
    const target = path.join(root, 'copy.jsonl');
    const result = await log.exportTo({ format: 'jsonl', path: target });
    const expected = segmentNames(dir)
      .map((name) => readFileSync(path.join(dir, name), 'utf8'))
      .join('');
    assert.equal(readFileSync(target, 'utf8'), expected);
    assert.equal(result.records, expected.split('\n').length - 1);
    assert.equal(result.bytes, Buffer.byteLength(expected));
    assert.equal(result.path, target);
  });
});

describe('exporting as CSV', () => {
  it('writes the columns, one row per record, with the caller and tool of a finished call filled in', async () => {
    const target = path.join(root, 'flat.csv');
    const result = await log.exportTo({ format: 'csv', path: target });
    const text = readFileSync(target, 'utf8');
    const rows = text.split('\r\n');
    assert.equal(rows[0], 'seq,time,kind,id,caller,server,tool,outcome,durationMs,errorCode,message,ruleId');
    assert.equal(rows.at(-1), '');
    assert.equal(rows.length - 2, result.records);
    const finished = rows.find((row) => row.includes(',finished,call-3,'));
    assert.match(finished ?? '', /,finished,call-3,palette,fs,read_text,ok,3\.5,,text of file 3,fs-read$/);
    const refused = rows.find((row) => row.includes(',refused,deny,'));
    assert.match(refused ?? '', /,refused,deny,copilot,fs,write,denied,0,POLICY_DENIED,No rule allows fs\.write,no-rule$/);
    assert.ok(text.includes(`,finished,odd,gateway:ci,fs,read_text,tool-error,2,,"'=HYPERLINK(""http://x"") said ""no"", then\nstopped",`));
  });

  it('quotes cells with commas, quotes or newlines, and defuses cells a spreadsheet would run', () => {
    assert.deepEqual(CSV_COLUMNS.length, 12);
    assert.equal(csvCell(undefined), '');
    assert.equal(csvCell(3.25), '3.25');
    assert.equal(csvCell('plain'), 'plain');
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('line\nbreak'), '"line\nbreak"');
    for (const risky of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx']) assert.equal(csvCell(risky), `'${risky}`);
  });
});

describe('an export that cannot be written', () => {
  it('fails with the target named, and leaves no partial file', async () => {
    const target = path.join(root, 'no-such-folder', 'out.csv');
    await assert.rejects(log.exportTo({ format: 'csv', path: target }), /Could not export the audit log to .*no-such-folder\/out\.csv: ENOENT/);
    assert.equal(existsSync(path.dirname(target)), false);
    assert.deepEqual(
      readdirSync(root).filter((name) => name.includes('partial')),
      [],
    );
  });
});
