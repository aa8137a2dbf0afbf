import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AuditLog } from '../../src/core/audit/auditLog';
import { readRecentCalls } from '../../src/core/audit/history';
import { appendCalls, openLog, segmentNames, tempDir } from '../fixtures/audit/logFixtures';

const { dir, cleanup } = tempDir('audit-history');
let log: AuditLog;

const allow = { effect: 'allow', rule: { id: 'r' } } as const;
const call = (id: string, tool: string) => ({ id, caller: 'copilot', server: 'fs', tool, args: { path: id }, decision: allow });

before(async () => {
  const first = await openLog(dir);
  await first.started(call('c1', 'read_text'));
  await first.finished({ id: 'c1', durationMs: 5, outcome: 'ok' });
  await first.started(call('c2', 'list_dir'));
  await first.finished({ id: 'c2', durationMs: 7, outcome: 'tool-error', message: 'No such folder' });
  await first.refused({ ...call('c3', 'write'), outcome: 'denied', errorCode: 'POLICY_DENIED', message: 'No rule allows write', decision: { effect: 'deny', rule: { id: 'no-rule' }, message: 'No rule allows write' } });
  await first.started(call('c4', 'read_text'));
  await first.close();
  log = await openLog(dir);
  await log.started(call('c5', 'read_text'));
  await log.started(call('c6', 'list_dir'));
  await log.finished({ id: 'c6', durationMs: 1, outcome: 'ok' });
});
after(async () => {
  await log.close();
  cleanup();
});

describe('reading the newest calls', () => {
  it('pairs started with finished, newest first, and tells running from interrupted calls', async () => {
    const calls = await log.recentCalls({ limit: 10 });
    assert.deepEqual(
      calls.map((c) => [c.id, c.tool, c.status]),
      [
        ['c6', 'list_dir', 'ok'],
        ['c5', 'read_text', 'running'],
        ['c4', 'read_text', 'interrupted'],
        ['c3', 'write', 'denied'],
        ['c2', 'list_dir', 'tool-error'],
        ['c1', 'read_text', 'ok'],
      ],
    );
    const c2 = calls.find((c) => c.id === 'c2');
    assert.equal(c2?.durationMs, 7);
    assert.equal(c2?.message, 'No such folder');
    assert.equal(c2?.started?.kind, 'started');
    assert.equal(c2?.finished?.kind, 'finished');
    assert.equal(calls.find((c) => c.id === 'c3')?.refused?.decision?.ruleId, 'no-rule');
  });

  it('filters by tool, plain or server-qualified, and by outcome', async () => {
    const ids = async (query: Parameters<AuditLog['recentCalls']>[0]) => (await log.recentCalls(query)).map((c) => c.id);
    assert.deepEqual(await ids({ limit: 10, tools: ['read_text'] }), ['c5', 'c4', 'c1']);
    assert.deepEqual(await ids({ limit: 10, statuses: ['ok'] }), ['c6', 'c1']);
    assert.deepEqual(await ids({ limit: 10, tools: ['fs.list_dir'], statuses: ['tool-error'] }), ['c2']);
    assert.deepEqual(await ids({ limit: 10, statuses: ['interrupted', 'denied'] }), ['c4', 'c3']);
    assert.deepEqual(await ids({ limit: 2 }), ['c6', 'c5']);
    assert.deepEqual(await ids({ limit: 10, tools: ['nothing'] }), []);
    assert.deepEqual(await ids({ limit: 10, tools: ['read_text'], scanLimit: 3 }), ['c5'], 'only the newest three records are read');
  });

  it('finds one call by id, and nothing for an unknown id', async () => {
    const found = await log.findCall('c1');
    assert.equal(found?.status, 'ok');
    assert.equal(found?.started?.args && JSON.stringify(found.started.args), '{"path":"c1"}');
    assert.equal(await log.findCall('unknown'), undefined);
  });

  it('reads the newest records first', async () => {
    const records = await log.recentRecords({ limit: 3 });
    assert.deepEqual(
      records.map((r) => r.kind),
      ['finished', 'started', 'started'],
    );
    assert.ok(records[0]!.seq > records[1]!.seq && records[1]!.seq > records[2]!.seq);
    assert.deepEqual((await log.recentRecords({ limit: 2, kinds: ['opened'] })).map((r) => r.kind), ['opened', 'opened']);
  });
});

describe('reading a large log', () => {
  it('reads only the newest files for the newest calls', async () => {
    const { dir: big, cleanup: done } = tempDir('audit-history-big');
    try {
      const writer = await openLog(big, { maxFileBytes: 4000 });
      await appendCalls(writer, 200);
      await writer.close();
      const names = segmentNames(big);
      assert.ok(names.length > 20);
      // Older files replaced by something unreadable: a reader that touched them would fail.
      for (const name of names.slice(0, -3)) {
        rmSync(path.join(big, name));
        mkdirSync(path.join(big, name));
      }
      const calls = await readRecentCalls(big, { limit: 5 });
      assert.deepEqual(
        calls.map((c) => c.id),
        ['call-199', 'call-198', 'call-197', 'call-196', 'call-195'],
      );
    } finally {
      done();
    }
  });
});
