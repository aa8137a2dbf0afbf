/**
 * Resolves a checked URL's host once, checks every address it resolves to, and answers the
 * addresses the request may connect to: all of them, once all passed. The connection is pinned to
 * those (`pinnedLookup`), so a second, different DNS answer (rebinding) never reaches the socket.
 */
import { promises as dns, type LookupAddress, type LookupOptions } from 'node:dns';
import { ToolError } from '../shared/toolResult';
import { addressVerdict, isIpLiteral } from './addressPolicy';
import type { CheckedUrl } from './fetchPolicy';

/** All addresses of a host name, in the resolver's order. Tests may pass their own. */
export type Resolver = (hostname: string) => Promise<readonly LookupAddress[]>;

export const systemResolver: Resolver = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

export interface PinnedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Checked addresses, in the resolver's order; never empty. */
export type PinnedAddresses = readonly [PinnedAddress, ...PinnedAddress[]];

const REACH = "Warden's fetch tool only reaches public hosts on the allow-list.";

export async function resolveTarget(target: CheckedUrl, allowPrivate: boolean, resolve: Resolver): Promise<PinnedAddresses> {
  if (isIpLiteral(target.host)) {
    const verdict = addressVerdict(target.host, allowPrivate);
    if (!verdict.allowed) throw new ToolError(`Refused: ${target.host} is ${verdict.description}. ${REACH}`);
    return [pinned(target.host)];
  }
  let found: readonly LookupAddress[];
  try {
    found = await resolve(target.host);
  } catch (error) {
    throw new ToolError(`Could not resolve ${target.host}: ${dnsReason(error)}. Check the host name in the URL.`);
  }
  if (found.length === 0) throw new ToolError(`Could not resolve ${target.host}: the resolver returned no address.`);
  for (const { address } of found) {
    const verdict = addressVerdict(address, allowPrivate);
    if (!verdict.allowed) {
      throw new ToolError(`Refused: ${address} (resolved from ${target.host}) is ${verdict.description}. ${REACH}`);
    }
  }
  const [first, ...rest] = found.map((a) => pinned(a.address));
  if (first === undefined) throw new ToolError(`Could not resolve ${target.host}: the resolver returned no address.`);
  return [first, ...rest];
}

function pinned(address: string): PinnedAddress {
  return { address, family: address.includes(':') ? 6 : 4 };
}

function dnsReason(error: unknown): string {
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  if (code === 'ENOTFOUND') return 'no such host';
  if (code === 'EAI_AGAIN') return 'the DNS lookup failed for now (try again later)';
  return error instanceof Error ? error.message : String(error);
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http.request that answers only the checked addresses, for the checked host only.
 * Node asks with `all: true` when it may try several in turn (autoSelectFamily): it gets every
 * checked address, so a host whose first address refuses the connection is still reached.
 */
export function pinnedLookup(host: string, addresses: PinnedAddresses) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    if (hostname.toLowerCase() !== host) {
      const error: NodeJS.ErrnoException = new Error(`Refused to resolve ${hostname}: this connection is pinned to ${host}.`);
      error.code = 'ENOTFOUND';
      callback(error, '');
      return;
    }
    if (options.all === true) callback(null, addresses.map((a) => ({ address: a.address, family: a.family })));
    else callback(null, addresses[0].address, addresses[0].family);
  };
}
