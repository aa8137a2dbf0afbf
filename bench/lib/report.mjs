// The shape every case returns, and the formatting shared by the console and the Markdown output.

/** A target: `value op limit`, e.g. target('full path p50 / floor p50', 1.3, '<=', 1.5). */
export function target(what, value, op, limit, note) {
  const met = Number.isFinite(value) && (op === '<=' ? value <= limit : op === '>=' ? value >= limit : value < limit);
  return { what, value, op, limit, met, ...(note && { note }) };
}

export function fmt(value, digits) {
  if (value === undefined || value === null) return '–';
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value)) return String(value);
  if (digits !== undefined) return value.toFixed(digits);
  const abs = Math.abs(value);
  if (abs >= 10_000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

export const ratio = (a, b) => a / b;
export const mb = (bytes) => bytes / (1024 * 1024);

/**
 * A latency/throughput table from `alternate()`'s summary: one row per path, with the ratio of
 * its p50 to the floor's and of its @64 throughput to the peer's.
 */
export function latencySection(title, summary, names, { floor, peer, levels = [16, 64] }) {
  const columns = ['path', 'p50 µs', 'p99 µs', ...levels.map((l) => `calls/s @${l}`)];
  if (floor) columns.push('p50 / floor');
  if (peer && levels.length > 0) columns.push(`@${levels.at(-1)} / peer`);
  const rows = names.map(([key, label]) => {
    const s = summary[key];
    const row = [label, fmt(s.p50), fmt(s.p99), ...levels.map((l) => fmt(s.tput[l]))];
    if (floor) row.push(fmt(s.p50 / summary[floor].p50, 2));
    if (peer && levels.length > 0) row.push(fmt(s.tput[levels.at(-1)] / summary[peer].tput[levels.at(-1)], 2));
    return row;
  });
  return { title, columns, rows };
}

/** Every number in a summary, flattened, for the smoke check. */
export function summaryNumbers(prefix, summary) {
  const numbers = {};
  for (const [name, s] of Object.entries(summary)) {
    numbers[`${prefix}${name}.p50`] = s.p50;
    numbers[`${prefix}${name}.p99`] = s.p99;
    for (const [level, value] of Object.entries(s.tput)) numbers[`${prefix}${name}.tput${level}`] = value;
  }
  return numbers;
}
