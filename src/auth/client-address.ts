import { BlockList, isIPv4, isIPv6 } from 'node:net';

/** Eight 16-bit groups of a valid IPv6 address (an embedded IPv4 tail becomes two groups). */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase();
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (isIPv4(tail)) {
    const [a = 0, b = 0, c = 0, d = 0] = tail.split('.').map(Number);
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = rest ? rest.split(':') : [];
  const zeros = rest === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((group) => Number.parseInt(group, 16));
}

/**
 * The key that failed-authentication throttling counts by. One IPv6 host usually owns a whole
 * /64, so counting single IPv6 addresses would let it rotate through 2^64 of them; IPv4-mapped
 * IPv6 (`::ffff:1.2.3.4`, as Node reports IPv4 clients of a dual-stack socket) is the IPv4 address.
 */
export function throttleKeyOf(address: string | undefined): string {
  if (!address) return 'unknown';
  const bare = address.replace(/%.*$/, '');
  if (isIPv4(bare)) return bare;
  if (!isIPv6(bare)) return bare.toLowerCase();
  const groups = ipv6Groups(bare);
  const g = (index: number) => groups[index] ?? 0;
  if (groups.slice(0, 5).every((group) => group === 0) && g(5) === 0xffff) {
    return [g(6) >> 8, g(6) & 0xff, g(7) >> 8, g(7) & 0xff].join('.');
  }
  return `${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`;
}

/**
 * The client's address of a request: the peer's, unless the peer is a trusted proxy; then the
 * nearest address in `X-Forwarded-For` that is not a trusted proxy (read right to left, since
 * each proxy appends the address it received from, and whatever lies left of a trusted hop may
 * have been written by the client itself). Headers from an untrusted peer are ignored.
 */
export type ClientAddressResolver = (
  peer: string | undefined,
  forwardedFor: string | readonly string[] | null | undefined,
) => string | undefined;

/**
 * `trustedProxies`: addresses (`10.0.0.7`, `::1`) and CIDR ranges (`10.0.0.0/8`, `fd00::/8`) of
 * the proxies in front of the gateway (`GATEWAY_TRUSTED_PROXIES`). Throws an Error naming an
 * entry that is neither.
 */
export function createClientAddressResolver(
  trustedProxies: readonly string[],
): ClientAddressResolver {
  if (trustedProxies.length === 0) return (peer) => peer;
  const trusted = parseTrustedProxies(trustedProxies);
  const isTrusted = (address: string) => {
    const bare = unmapped(address);
    const family = isIPv4(bare) ? 'ipv4' : isIPv6(bare) ? 'ipv6' : undefined;
    return family !== undefined && trusted.check(bare, family);
  };
  return (peer, forwardedFor) => {
    if (peer === undefined || !isTrusted(peer)) return peer;
    const header = typeof forwardedFor === 'string' ? forwardedFor : (forwardedFor ?? []).join(',');
    const hops = header
      .split(',')
      .map(hopAddress)
      .filter((hop) => hop !== '');
    for (let index = hops.length - 1; index >= 0; index--) {
      if (!isTrusted(hops[index]!)) return hops[index];
    }
    // Every hop is a proxy of ours: the leftmost is as near the client as anyone knows.
    return hops[0] ?? peer;
  };
}

/** The entries of `GATEWAY_TRUSTED_PROXIES` as a BlockList; throws on one that is no IP or CIDR. */
export function parseTrustedProxies(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', prefix, ...rest] = entry.trim().split('/');
    const family = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : undefined;
    const bits = prefix === undefined ? undefined : Number(prefix);
    const maxBits = family === 'ipv4' ? 32 : 128;
    if (
      family === undefined ||
      rest.length > 0 ||
      (bits !== undefined && (!/^\d{1,3}$/.test(prefix!) || bits > maxBits))
    ) {
      throw new Error(`"${entry}" is not an IP address or CIDR range`);
    }
    if (bits === undefined) list.addAddress(address, family);
    else list.addSubnet(address, bits, family);
  }
  return list;
}

/** One X-Forwarded-For entry without port, brackets or surrounding space. */
function hopAddress(hop: string): string {
  const text = hop.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed) return bracketed[1]!;
  const withPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(text);
  return withPort ? withPort[1]! : text;
}

/** `::ffff:1.2.3.4` (an IPv4 client of a dual-stack socket) as `1.2.3.4`. */
function unmapped(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped ? mapped[1]! : address;
}
