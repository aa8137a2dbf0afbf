import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { canonicalSha256, canonicalString, sortedCopy } from '../../src/core/audit/canonical';
import { bodyMembers, MAC_MEMBER_LENGTH, RecordCodec } from '../../src/core/audit/recordCodec';
import { GENESIS_HASH, type RecordBody } from '../../src/core/audit/records';
import { canonicalJson, sha256Hex } from '../../src/core/util/canonicalJson';
import { KEY, OTHER_KEY, openLog, readLines, segmentNames, tempDir } from '../fixtures/audit/logFixtures';

const corpus: unknown[] = [
  { b: 1, a: 2 },
  { z: { y: [3, { d: 1, c: 2 }], x: null }, a: 'text' },
  { '10': 'ten', '9': 'nine', b: 'bee', '01': 'zero-one', a: 'ay', '4294967295': 'big', '-1': 'minus' },
  { unicode: 'é\u2028\ud83d\ude00', lone: '\ud800', quote: '"\\\n\t' },
  { numbers: [0, -0, 1.5, 1e21, 1e-7, -3], flags: [true, false, null] },
  { skipped: undefined, kept: 1, inArray: [undefined, () => 1] },
  { date: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)) },
  [{ b: 1, a: [{ d: 1, c: 2 }] }],
  'a string',
  42,
  { Z: 1, a: 2, _: 3, A: 4 },
  { nested: { already: { a: 1, b: 2 }, sorted: true } },
];

describe('canonical JSON', () => {
  it('writes exactly what canonicalJson writes, for sorted and unsorted input alike', () => {
    for (const value of corpus) {
      assert.equal(canonicalString(value), canonicalJson(value), JSON.stringify(value));
      assert.equal(canonicalString(sortedCopy(value)), canonicalJson(value));
    }
  });

  it('hashes arguments as SHA-256 of canonicalJson, so the router and the log agree', () => {
    for (const value of corpus) assert.equal(canonicalSha256(value), sha256Hex(canonicalJson(value)));
  });

  it('refuses values nested too deeply instead of overflowing the stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 300; i++) deep = { d: deep };
    assert.throws(() => canonicalString(deep), /nested more than 200 levels/);
  });
});

describe('sealing a record', () => {
  const codec = new RecordCodec(KEY);
  const body: RecordBody = {
    kind: 'started',
    id: 'c1',
    caller: 'palette',
    server: 'fs',
    tool: 'read_text',
    argsSha256: 'a'.repeat(64),
    args: { path: 'x', b: [1, { z: 1, y: 2 }] },
    decision: { effect: 'allow', ruleId: 'r', reason: 'ok' },
  };
  const sealed = codec.seal(7, 'b'.repeat(64), '2026-01-02T03:04:05.000Z', { ...body }, bodyMembers(body));

  it('lays the line out as seq, prev, time, the canonical body, then mac', () => {
    const expectedPrefix = `{"seq":7,"prev":"${'b'.repeat(64)}","time":"2026-01-02T03:04:05.000Z",${canonicalJson(body).slice(1, -1)},"mac":"`;
    assert.ok(sealed.line.startsWith(expectedPrefix), sealed.line);
    assert.match(sealed.line, /,"mac":"[0-9a-f]{64}"\}$/);
    assert.equal(sealed.line.length - expectedPrefix.length + ',"mac":"'.length, MAC_MEMBER_LENGTH);
  });

  it('MACs the exact bytes before the mac member, and hashes the whole line', () => {
    const unsigned = `${sealed.line.slice(0, -MAC_MEMBER_LENGTH)}}`;
    assert.equal(sealed.record.mac, createHmac('sha256', KEY).update(unsigned).digest('hex'));
    assert.equal(sealed.hash, createHash('sha256').update(sealed.line).digest('hex'));
    assert.deepEqual(JSON.parse(sealed.line), sealed.record);
  });

  it('decodes its own line back into the record', () => {
    const decoded = codec.decode(Buffer.from(sealed.line));
    assert.ok(decoded.ok);
    assert.deepEqual(decoded.record, sealed.record);
    assert.equal(decoded.hash, sealed.hash);
  });

  it('rejects the line under another key, and after any byte changes', () => {
    const other = new RecordCodec(OTHER_KEY).decode(Buffer.from(sealed.line));
    assert.equal(other.ok, false);
    assert.equal(!other.ok && other.problem, 'mac');
    assert.equal(!other.ok && other.seq, 7);
    const edited = codec.decode(Buffer.from(sealed.line.replace('"path":"x"', '"path":"y"')));
    assert.equal(!edited.ok && edited.problem, 'mac');
  });

  it('calls a line that is not a record malformed, saying why', () => {
    const cases: [string, RegExp][] = [
      ['not json at all', /does not end with a "mac" member/],
      [`{"seq":3,"kind":"nope","mac":"${'0'.repeat(64)}"}`, /unknown record kind "nope"/],
      [`{"seq":3,"kind":"opened","prev":"${'0'.repeat(64)}","time":"t","mac":"${'0'.repeat(64)}"}`, /field "pid" of a opened record/],
      [`{"seq":3,"prev":x,"mac":"${'0'.repeat(64)}"}`, /not JSON/],
    ];
    for (const [line, detail] of cases) {
      const decoded = codec.decode(Buffer.from(line));
      assert.equal(decoded.ok, false, line);
      assert.equal(!decoded.ok && decoded.problem, 'malformed');
      assert.match(!decoded.ok ? decoded.detail : '', detail);
    }
  });

  it('refuses a body that tries to set the fields the log sets', () => {
    const sneaky = Object.assign({ kind: 'opened', pid: 1 } satisfies RecordBody, { seq: 99 });
    assert.throws(() => bodyMembers(sneaky), /may not have a "seq" field/);
  });

  it('refuses a key shorter than 32 bytes', () => {
    assert.throws(() => new RecordCodec(Buffer.alloc(16)), /at least 32 bytes, and this one has 16/);
  });
});

describe('the chain on disk', () => {
  const { dir, cleanup } = tempDir('audit-chain');
  after(cleanup);

  it('links each record to the hash of the line before it, from the genesis value', async () => {
    const log = await openLog(dir);
    await log.started({ id: 'x', caller: 'copilot', server: 'fs', tool: 't', args: {}, decision: { effect: 'allow', rule: { id: 'r' } } });
    await log.finished({ id: 'x', durationMs: 1, outcome: 'ok' });
    await log.close();
    const lines = readLines(path.join(dir, segmentNames(dir)[0]!));
    const records = lines.map((line) => JSON.parse(line) as { seq: number; prev: string; kind: string });
    assert.deepEqual(
      records.map((r) => [r.seq, r.kind]),
      [
        [1, 'header'],
        [2, 'opened'],
        [3, 'started'],
        [4, 'finished'],
      ],
    );
    assert.equal(records[0]!.prev, GENESIS_HASH);
    for (let i = 1; i < lines.length; i++) assert.equal(records[i]!.prev, createHash('sha256').update(lines[i - 1]!).digest('hex'));
  });
});
