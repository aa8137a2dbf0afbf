// Latency and throughput of an async call, and the alternation of several paths in one run.
// Counts are set by time: every path gets the same seconds per measurement, so a slow path yields
// fewer samples rather than a longer run.
import { performance } from 'node:perf_hooks';

export function percentile(values, p) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

export const median = (values) => percentile(values, 50);

/** Runs `call` n times one after another; returns each duration in microseconds. */
export async function sequential(call, n) {
  const samples = new Array(n);
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await call(i);
    samples[i] = (performance.now() - start) * 1000;
  }
  return samples;
}

/** Sequential calls for `seconds` (at least `minCalls`); returns each duration in microseconds. */
export async function sequentialFor(call, seconds, minCalls = 3) {
  const samples = [];
  const end = performance.now() + seconds * 1000;
  for (let i = 0; samples.length < minCalls || performance.now() < end; i++) {
    const start = performance.now();
    await call(i);
    samples.push((performance.now() - start) * 1000);
  }
  return samples;
}

/** Keeps `inFlight` calls outstanding until `total` have finished; returns calls per second. */
export async function closedLoop(call, inFlight, total) {
  let started = 0;
  const start = performance.now();
  const worker = async () => {
    while (started < total) {
      const i = started++;
      await call(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, total) }, worker));
  return total / ((performance.now() - start) / 1000);
}

/** Keeps `inFlight` calls outstanding for `seconds`; returns calls finished per second. */
export async function closedLoopFor(call, inFlight, seconds) {
  let done = 0;
  let next = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  const worker = async () => {
    do {
      await call(next++);
      done++;
    } while (performance.now() < end);
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return done / ((performance.now() - start) / 1000);
}

/**
 * Measures every path in rounds, the order rotated each round so no path always runs first or
 * last: per round, `seqSeconds` of sequential calls, then `tputSeconds` at each in-flight level.
 * Latency percentiles pool every round's samples; throughput is the median over rounds.
 */
export async function alternate(paths, { rounds, seqSeconds, tputSeconds, warmSeconds, levels = [16, 64], log = () => {} }) {
  const results = new Map(paths.map((p) => [p.name, { samples: [], tput: Object.fromEntries(levels.map((l) => [l, []])) }]));
  for (const p of paths) {
    await sequentialFor(p.call, warmSeconds / 2);
    if (levels.length > 0) await closedLoopFor(p.call, levels.at(-1), warmSeconds / 2);
  }
  log(`  warm-up done (${paths.length} paths)`);
  for (let round = 0; round < rounds; round++) {
    const order = paths.map((_, i) => paths[(i + round) % paths.length]);
    for (const p of order) {
      const r = results.get(p.name);
      r.samples.push(...(await sequentialFor(p.call, seqSeconds)));
      for (const level of levels) r.tput[level].push(await closedLoopFor(p.call, level, tputSeconds));
    }
    log(`  round ${round + 1}/${rounds} done`);
  }
  const summary = {};
  for (const [name, r] of results) {
    summary[name] = {
      p50: median(r.samples),
      p99: percentile(r.samples, 99),
      n: r.samples.length,
      tput: Object.fromEntries(levels.map((l) => [l, median(r.tput[l])])),
    };
  }
  return summary;
}
