/**
 * The state behind rate limits and daily budgets: a token bucket and a per-day counter per key.
 * decide() reads it as a `UsageView`; the gate records a call with `consume` once it is allowed.
 * Buckets refill continuously; idle keys are dropped so memory stays bounded.
 */
import type { UsageView } from './types';

interface Bucket {
  tokens: number;
  at: number;
}

const DAY_MS = 86_400_000;
const MAX_KEYS = 10_000;

export class UsageCounters implements UsageView {
  private readonly buckets = new Map<string, Bucket>();
  private readonly days = new Map<string, { day: number; count: number }>();

  tokens(key: string, perMinute: number, burst: number, now: number): number {
    const bucket = this.buckets.get(key);
    if (!bucket) return burst;
    return Math.min(burst, bucket.tokens + ((now - bucket.at) * perMinute) / 60_000);
  }

  usedToday(key: string, now: number): number {
    const entry = this.days.get(key);
    return entry && entry.day === dayOf(now) ? entry.count : 0;
  }

  /** Takes one token from the bucket and counts one call for the day. */
  consume(limits: { rateLimit?: { key: string; perMinute: number; burst: number }; dailyBudget?: { key: string } }, now: number): void {
    if (limits.rateLimit) {
      const { key, perMinute, burst } = limits.rateLimit;
      const left = this.tokens(key, perMinute, burst, now) - 1;
      this.buckets.delete(key);
      this.buckets.set(key, { tokens: left, at: now });
      trim(this.buckets);
    }
    if (limits.dailyBudget) {
      const key = limits.dailyBudget.key;
      const used = this.usedToday(key, now);
      this.days.delete(key);
      this.days.set(key, { day: dayOf(now), count: used + 1 });
      trim(this.days);
    }
  }
}

function dayOf(time: number): number {
  return Math.floor(time / DAY_MS);
}

/** Maps keep insertion order and keys are re-inserted on use, so the first keys are the idlest. */
function trim(map: Map<string, unknown>): void {
  while (map.size > MAX_KEYS) {
    const oldest = map.keys().next().value;
    if (oldest === undefined) return;
    map.delete(oldest);
  }
}
