/**
 * Which IP addresses the fetch tool may connect to. Every address is classified against the IANA
 * special-purpose registries; only `public` addresses are reachable, plus `loopback` and `private`
 * ones when the server runs with --allow-private. Cloud metadata endpoints are never reachable.
 *
 * IPv6 forms that carry an IPv4 address are judged by what they carry: IPv4-mapped and
 * IPv4-compatible forms are refused outright (a dual-stack socket would reach the IPv4 address),
 * and NAT64 (64:ff9b::/96) and 6to4 (2002::/16) are refused when the embedded address is not
 * public. An IPv6 address outside 2000::/3 (global unicast) is refused as reserved.
 */
import { formatIpv4, hasPrefix, parseIp, type IpAddress } from './ipAddress';

export type AddressCategory =
  | 'public'
  | 'loopback'
  | 'private'
  | 'metadata'
  | 'link-local'
  | 'shared'
  | 'unspecified'
  | 'multicast'
  | 'broadcast'
  | 'documentation'
  | 'reserved'
  | 'ipv4-mapped'
  | 'ipv4-embedded';

export interface AddressClass {
  readonly category: AddressCategory;
  /** Reads after "is": "a private address", "a NAT64 address that embeds 10.0.0.1 (a private address)". */
  readonly description: string;
}

interface Range {
  readonly prefix: Uint8Array;
  readonly bits: number;
  readonly category: AddressCategory;
  readonly description: string;
}

function range(cidr: string, category: AddressCategory, description: string): Range {
  const [address = '', bits = ''] = cidr.split('/');
  const parsed = parseIp(address);
  if (!parsed) throw new Error(`Bad range ${cidr}`);
  return { prefix: parsed.bytes, bits: Number(bits), category, description };
}

// Most specific first: the first match decides.
const IPV4_RANGES: readonly Range[] = [
  range('169.254.169.254/32', 'metadata', 'a cloud metadata address'),
  range('169.254.170.2/32', 'metadata', 'a cloud metadata address (container credentials)'),
  range('100.100.100.200/32', 'metadata', 'a cloud metadata address'),
  range('168.63.129.16/32', 'metadata', 'a cloud platform address (Azure host services)'),
  range('255.255.255.255/32', 'broadcast', 'the broadcast address'),
  range('0.0.0.0/8', 'unspecified', 'an unspecified ("this network") address'),
  range('10.0.0.0/8', 'private', 'a private address'),
  range('172.16.0.0/12', 'private', 'a private address'),
  range('192.168.0.0/16', 'private', 'a private address'),
  range('127.0.0.0/8', 'loopback', 'a loopback address'),
  range('169.254.0.0/16', 'link-local', 'a link-local address'),
  range('100.64.0.0/10', 'shared', 'a shared (carrier-grade NAT) address'),
  range('192.0.0.0/24', 'reserved', 'a reserved address (IETF protocol assignments)'),
  range('192.0.2.0/24', 'documentation', 'a documentation address'),
  range('198.51.100.0/24', 'documentation', 'a documentation address'),
  range('203.0.113.0/24', 'documentation', 'a documentation address'),
  range('192.88.99.0/24', 'reserved', 'a reserved address (6to4 relay anycast)'),
  range('198.18.0.0/15', 'reserved', 'a reserved address (benchmarking)'),
  range('224.0.0.0/4', 'multicast', 'a multicast address'),
  range('240.0.0.0/4', 'reserved', 'a reserved address'),
];

/** Checked before the forms that carry IPv4, which would otherwise contain `::` and `::1`. */
const IPV6_SINGLE: readonly Range[] = [
  range('::/128', 'unspecified', 'the unspecified address'),
  range('::1/128', 'loopback', 'a loopback address'),
  range('fd00:ec2::254/128', 'metadata', 'a cloud metadata address'),
];

const IPV6_RANGES: readonly Range[] = [
  range('64:ff9b:1::/48', 'reserved', 'a reserved address (local-use NAT64)'),
  range('100::/64', 'reserved', 'a reserved address (discard-only)'),
  range('2001::/32', 'reserved', 'a reserved address (Teredo tunnelling)'),
  range('2001:db8::/32', 'documentation', 'a documentation address'),
  range('2001::/23', 'reserved', 'a reserved address (IETF protocol assignments)'),
  range('3fff::/20', 'documentation', 'a documentation address'),
  range('5f00::/16', 'reserved', 'a reserved address (segment routing)'),
  range('fc00::/7', 'private', 'a private (unique local) address'),
  range('fe80::/10', 'link-local', 'a link-local address'),
  range('fec0::/10', 'reserved', 'a reserved address (deprecated site-local)'),
  range('ff00::/8', 'multicast', 'a multicast address'),
];

const MAPPED = range('::ffff:0:0/96', 'ipv4-mapped', '');
const TRANSLATED = range('::ffff:0:0:0/96', 'ipv4-mapped', '');
const COMPATIBLE = range('::/96', 'ipv4-mapped', '');
const NAT64 = range('64:ff9b::/96', 'ipv4-embedded', '');
const SIX_TO_FOUR = range('2002::/16', 'ipv4-embedded', '');
const GLOBAL_UNICAST = range('2000::/3', 'public', '');

function matches(address: IpAddress, r: Range): boolean {
  return r.prefix.length === address.bytes.length && hasPrefix(address.bytes, r.prefix, r.bits);
}

/** Classifies a canonical IP address; undefined when the text is not one (see `parseIp`). */
export function classifyAddress(text: string): AddressClass | undefined {
  const address = parseIp(text);
  return address ? classifyIp(address) : undefined;
}

export function classifyIp(address: IpAddress): AddressClass {
  if (address.version === 4) return classifyIpv4(address.bytes);
  const { bytes } = address;
  for (const r of IPV6_SINGLE) if (matches(address, r)) return r;
  for (const mapped of [MAPPED, TRANSLATED, COMPATIBLE]) {
    if (matches(address, mapped)) {
      const v4 = formatIpv4(bytes.subarray(12, 16));
      return { category: 'ipv4-mapped', description: `an IPv6 form of the IPv4 address ${v4}, which Warden refuses in this form` };
    }
  }
  if (matches(address, NAT64)) return embedded('a NAT64 address', bytes.subarray(12, 16));
  if (matches(address, SIX_TO_FOUR)) return embedded('a 6to4 address', bytes.subarray(2, 6));
  for (const r of IPV6_RANGES) if (matches(address, r)) return r;
  if (!matches(address, GLOBAL_UNICAST)) return { category: 'reserved', description: 'a reserved address (outside the IPv6 global unicast range)' };
  return { category: 'public', description: 'a public address' };
}

function classifyIpv4(bytes: Uint8Array): AddressClass {
  const address: IpAddress = { version: 4, bytes };
  for (const r of IPV4_RANGES) if (matches(address, r)) return r;
  return { category: 'public', description: 'a public address' };
}

/** An IPv6 form carrying an IPv4 address: public only when what it carries is. */
function embedded(kind: string, v4: Uint8Array): AddressClass {
  const inner = classifyIpv4(v4);
  if (inner.category === 'public') return inner;
  return { category: 'ipv4-embedded', description: `${kind} that embeds ${formatIpv4(v4)} (${inner.description})` };
}

export type AddressVerdict = { readonly allowed: true } | { readonly allowed: false; readonly description: string };

/**
 * Whether the fetch tool may connect to `text`. With `allowPrivate`, loopback and private
 * addresses are allowed too; nothing else is. Text that is not a canonical IP address is refused.
 */
export function addressVerdict(text: string, allowPrivate: boolean): AddressVerdict {
  const found = classifyAddress(text);
  if (!found) return { allowed: false, description: 'not an IP address Warden can check' };
  if (found.category === 'public') return { allowed: true };
  if (allowPrivate && (found.category === 'loopback' || found.category === 'private')) return { allowed: true };
  return { allowed: false, description: found.description };
}

/** True for text that is a canonical IPv4 address or an IPv6 address (bracketed or not). */
export function isIpLiteral(text: string): boolean {
  return parseIp(text) !== undefined;
}
