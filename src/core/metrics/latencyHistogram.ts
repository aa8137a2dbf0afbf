/**
 * A latency histogram with logarithmic buckets (each about 9% wider than the last, from 10 µs to
 * ten minutes): constant memory, constant-time recording, and percentiles within one bucket's
 * width, which is all a tooltip or a dashboard needs.
 */
const MIN_MS = 0.01;
const STEPS_PER_DOUBLING = 8;
const BUCKETS = Math.ceil(Math.log2(600_000 / MIN_MS) * STEPS_PER_DOUBLING) + 1;

export class LatencyHistogram {
  private readonly counts = new Uint32Array(BUCKETS);
  private total = 0;
  private maxMs = 0;

  record(ms: number): void {
    const value = Number.isFinite(ms) && ms > 0 ? ms : 0;
    this.counts[bucketOf(value)]!++;
    this.total++;
    if (value > this.maxMs) this.maxMs = value;
  }

  get count(): number {
    return this.total;
  }

  get max(): number {
    return this.maxMs;
  }

  /** The latency below which `p` (0..1) of the recorded calls fell; undefined when empty. */
  percentile(p: number): number | undefined {
    if (this.total === 0) return undefined;
    const rank = Math.max(1, Math.ceil(p * this.total));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(upperBound(i), this.maxMs);
    }
    return this.maxMs;
  }
}

function bucketOf(ms: number): number {
  if (ms <= MIN_MS) return 0;
  return Math.min(BUCKETS - 1, Math.ceil(Math.log2(ms / MIN_MS) * STEPS_PER_DOUBLING));
}

function upperBound(bucket: number): number {
  return MIN_MS * 2 ** (bucket / STEPS_PER_DOUBLING);
}
