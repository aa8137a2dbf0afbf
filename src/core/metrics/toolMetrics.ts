/**
 * Per-tool metrics: a latency histogram and counts by outcome, kept in memory for the session.
 */
import { Emitter, type Event } from 'vscode-jsonrpc/node';
import { LatencyHistogram } from './latencyHistogram';

export const OUTCOMES = ['ok', 'tool-error', 'denied', 'timeout', 'crashed', 'rate-limited', 'circuit-open', 'cancelled', 'failed'] as const;
export type MetricOutcome = (typeof OUTCOMES)[number];

export interface ToolSummary {
  readonly server: string;
  readonly tool: string;
  readonly calls: number;
  readonly p50Ms?: number;
  readonly p95Ms?: number;
  readonly p99Ms?: number;
  readonly maxMs: number;
  readonly outcomes: Readonly<Record<MetricOutcome, number>>;
}

interface Entry {
  readonly server: string;
  readonly tool: string;
  readonly latency: LatencyHistogram;
  readonly outcomes: Record<MetricOutcome, number>;
}

export class ToolMetrics {
  private readonly entries = new Map<string, Entry>();
  private readonly changeEmitter = new Emitter<{ server: string; tool: string }>();
  readonly onDidRecord: Event<{ server: string; tool: string }> = this.changeEmitter.event;

  record(server: string, tool: string, outcome: MetricOutcome, durationMs: number): void {
    const key = `${server}\u0000${tool}`;
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { server, tool, latency: new LatencyHistogram(), outcomes: zeroOutcomes() };
      this.entries.set(key, entry);
    }
    // Only calls that reached the server say anything about its latency.
    if (outcome === 'ok' || outcome === 'tool-error') entry.latency.record(durationMs);
    entry.outcomes[outcome]++;
    this.changeEmitter.fire({ server, tool });
  }

  summary(server: string, tool: string): ToolSummary | undefined {
    const entry = this.entries.get(`${server}\u0000${tool}`);
    return entry ? summarise(server, tool, entry) : undefined;
  }

  all(): ToolSummary[] {
    return [...this.entries.values()].map((entry) => summarise(entry.server, entry.tool, entry));
  }

  dispose(): void {
    this.changeEmitter.dispose();
  }
}

function zeroOutcomes(): Record<MetricOutcome, number> {
  return { ok: 0, 'tool-error': 0, denied: 0, timeout: 0, crashed: 0, 'rate-limited': 0, 'circuit-open': 0, cancelled: 0, failed: 0 };
}

function summarise(server: string, tool: string, entry: Entry): ToolSummary {
  const calls = OUTCOMES.reduce((sum, o) => sum + entry.outcomes[o], 0);
  const p50 = entry.latency.percentile(0.5);
  const p95 = entry.latency.percentile(0.95);
  const p99 = entry.latency.percentile(0.99);
  return {
    server,
    tool,
    calls,
    ...(p50 !== undefined && { p50Ms: p50 }),
    ...(p95 !== undefined && { p95Ms: p95 }),
    ...(p99 !== undefined && { p99Ms: p99 }),
    maxMs: entry.latency.max,
    outcomes: { ...entry.outcomes },
  };
}
