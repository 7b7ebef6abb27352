import { BlockList, isIP } from 'node:net';

/**
 * Network addresses, pure: the trusted reverse proxies (TRUST_PROXY) and the key under which a client
 * is counted by the abuse limits (an IPv6 client by its /64, since one subscriber gets a whole /64).
 */
export interface TrustedProxies {
  readonly list: BlockList;
  readonly empty: boolean;
}

/** Parses TRUST_PROXY: addresses or CIDR ranges, comma-separated. Throws a message naming the bad one. */
export function parseTrustedProxies(text: string): TrustedProxies {
  const list = new BlockList();
  let empty = true;
  for (const raw of text.split(',')) {
    const item = raw.trim();
    if (item === '') continue;
    const [address = '', prefix] = item.split('/');
    const family = isIP(address);
    if (family === 0) throw new Error(`« ${item} » is not an IP address or a CIDR range`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) list.addAddress(address, type);
    else {
      const bits = Number(prefix);
      if (!/^\d{1,3}$/.test(prefix) || bits > (family === 4 ? 32 : 128))
        throw new Error(`« ${item} » has an invalid prefix length`);
      list.addSubnet(address, bits, type);
    }
    empty = false;
  }
  return { list, empty };
}

export const NO_TRUSTED_PROXY: TrustedProxies = parseTrustedProxies('');

export function unmapped(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m?.[1] ?? address;
}

export function isTrusted(proxies: TrustedProxies, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && proxies.list.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** The /64 of an IPv6 address ("2001:db8:1:2::/64"); an IPv4 address as is; anything else unchanged. */
export function limitKeyOfAddress(address: string): string {
  const a = unmapped(address);
  if (isIP(a) !== 6) return a;
  const [head = '', tail = ''] = a.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = a.includes('::')
    ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => (Number.parseInt(g, 16) || 0).toString(16))
    .join(':')}::/64`;
}
