import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LatencyHistogram } from '../../src/core/metrics/latencyHistogram';
import { ToolMetrics } from '../../src/core/metrics/toolMetrics';

describe('LatencyHistogram', () => {
  it('reports percentiles within one bucket (about 9%) of the true value', () => {
    const h = new LatencyHistogram();
    for (let i = 1; i <= 1000; i++) h.record(i);
    const within = (actual: number | undefined, expected: number): void => {
      assert.ok(actual !== undefined && actual >= expected && actual <= expected * 1.1, `${actual} is not within 10% above ${expected}`);
    };
    within(h.percentile(0.5), 500);
    within(h.percentile(0.95), 950);
    within(h.percentile(0.99), 990);
    assert.equal(h.percentile(1), 1000, 'never above the largest value seen');
    assert.equal(h.count, 1000);
  });

  it('is empty until something is recorded, and takes zero and odd values', () => {
    const h = new LatencyHistogram();
    assert.equal(h.percentile(0.5), undefined);
    h.record(0);
    h.record(Number.NaN);
    h.record(1e9);
    assert.equal(h.count, 3);
    assert.equal(h.max, 1e9);
  });
});

describe('ToolMetrics', () => {
  it('counts outcomes per tool and times only the calls that reached the server', () => {
    const m = new ToolMetrics();
    const seen: string[] = [];
    m.onDidRecord((e) => seen.push(`${e.server}.${e.tool}`));
    m.record('fs', 'read_text', 'ok', 2);
    m.record('fs', 'read_text', 'ok', 4);
    m.record('fs', 'read_text', 'denied', 0);
    m.record('fs', 'read_text', 'timeout', 30_000);
    m.record('sqlite', 'query', 'tool-error', 8);
    const s = m.summary('fs', 'read_text');
    assert.ok(s);
    assert.equal(s.calls, 4);
    assert.deepEqual([s.outcomes.ok, s.outcomes.denied, s.outcomes.timeout], [2, 1, 1]);
    assert.equal(s.maxMs, 4, 'a timeout says nothing about how fast the server answers');
    assert.deepEqual(m.all().map((x) => `${x.server}.${x.tool}`).sort(), ['fs.read_text', 'sqlite.query']);
    assert.equal(seen.length, 5);
    assert.equal(m.summary('fs', 'list_dir'), undefined);
  });
});
