/**
 * IP addresses as bytes. Only canonical text is accepted: dotted-decimal IPv4 with four parts and
 * no leading zeros, and IPv6 in any RFC 4291 form (with or without brackets, with `::` and an
 * embedded dotted quad). That is what the WHATWG URL parser and the resolver produce; anything
 * else (octal, hex, short forms, zone indices) answers `undefined`, so a caller fails closed.
 */

export interface IpAddress {
  readonly version: 4 | 6;
  /** 4 bytes for IPv4, 16 for IPv6, network order. */
  readonly bytes: Uint8Array;
}

const IPV4 = /^(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

export function parseIp(text: string): IpAddress | undefined {
  const v4 = parseIpv4(text);
  if (v4) return { version: 4, bytes: v4 };
  const inner = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const v6 = parseIpv6(inner);
  return v6 ? { version: 6, bytes: v6 } : undefined;
}

export function parseIpv4(text: string): Uint8Array | undefined {
  const match = IPV4.exec(text);
  if (!match) return undefined;
  const parts = match.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return Uint8Array.from(parts);
}

function parseIpv6(text: string): Uint8Array | undefined {
  if (text.length === 0 || text.length > 45) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const compressed = halves.length === 2;
  const head = words(halves[0] ?? '');
  const tail = compressed ? words(halves[1] ?? '') : [];
  // A dotted quad may only end the address.
  const lastPart = compressed ? tail : head;
  let embedded: Uint8Array | undefined;
  const lastWord = lastPart[lastPart.length - 1];
  if (lastWord !== undefined && lastWord.includes('.')) {
    embedded = parseIpv4(lastWord);
    if (!embedded) return undefined;
    lastPart.pop();
  }
  const headGroups = groups(head);
  const tailGroups = groups(tail);
  if (!headGroups || !tailGroups) return undefined;
  const count = headGroups.length + tailGroups.length + (embedded ? 2 : 0);
  // `::` stands for at least one group of zeros.
  if (compressed ? count > 7 : count !== 8) return undefined;
  const bytes = new Uint8Array(16);
  headGroups.forEach((g, i) => writeGroup(bytes, 2 * i, g));
  const tailStart = 16 - (embedded ? 4 : 0) - 2 * tailGroups.length;
  tailGroups.forEach((g, i) => writeGroup(bytes, tailStart + 2 * i, g));
  if (embedded) bytes.set(embedded, 12);
  return bytes;
}

function words(part: string): string[] {
  return part === '' ? [] : part.split(':');
}

function groups(list: readonly string[]): number[] | undefined {
  const out: number[] = [];
  for (const word of list) {
    if (!HEX_GROUP.test(word)) return undefined;
    out.push(parseInt(word, 16));
  }
  return out;
}

function writeGroup(bytes: Uint8Array, at: number, group: number): void {
  bytes[at] = group >> 8;
  bytes[at + 1] = group & 0xff;
}

/** Dotted-decimal text of four bytes. */
export function formatIpv4(bytes: Uint8Array): string {
  return Array.from(bytes.subarray(0, 4)).join('.');
}

/** Whether the first `bits` bits of `bytes` equal those of `prefix`. */
export function hasPrefix(bytes: Uint8Array, prefix: Uint8Array, bits: number): boolean {
  const whole = Math.floor(bits / 8);
  for (let i = 0; i < whole; i += 1) if (bytes[i] !== prefix[i]) return false;
  const rest = bits % 8;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((bytes[whole] ?? 0) & mask) === ((prefix[whole] ?? 0) & mask);
}
