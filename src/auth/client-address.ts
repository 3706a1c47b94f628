import { isIPv4, isIPv6 } from 'node:net';

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
