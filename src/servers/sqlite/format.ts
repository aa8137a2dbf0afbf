/** How sizes and durations read in messages. */

const KIB = 1024;
const MIB = 1024 * 1024;
const GIB = 1024 * 1024 * 1024;

/** `300 MB`, `1.5 GB`, `12 KB`, `900 bytes` (binary units, one decimal when not whole). */
export function formatBytes(bytes: number): string {
  if (bytes >= GIB) return `${oneDecimal(bytes / GIB)} GB`;
  if (bytes >= MIB) return `${oneDecimal(bytes / MIB)} MB`;
  if (bytes >= KIB) return `${oneDecimal(bytes / KIB)} KB`;
  return `${bytes} byte${bytes === 1 ? '' : 's'}`;
}

/** `10 s`, `1.5 s`, `300 ms`. */
export function formatDuration(ms: number): string {
  return ms >= 1000 ? `${oneDecimal(ms / 1000)} s` : `${ms} ms`;
}

function oneDecimal(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(1);
}
