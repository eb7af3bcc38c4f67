import { isIPv6 } from 'node:net';

/**
 * TRUST_PROXY, read as address ranges: which proxies' X-Forwarded-For the
 * server believes when it decides a request's client address (the audit
 * trail's IP, the sign-in limits). Each item is parsed into a range of one
 * 128-bit space, IPv4 addresses sitting at their IPv4-mapped IPv6 place
 * (::ffff:a.b.c.d), so an IPv4 subnet and its mapped IPv6 spelling are the
 * same range. A setting is refused unless every range lies inside private,
 * loopback or link-local space: a proxy can only be one of the server's
 * neighbours, and believing any other address lets a client choose the
 * address it is counted under (docs/security.md, "Sign-in limits and trusted
 * proxies").
 */

export class TrustProxyError extends Error {}

/** A closed range of the 128-bit space. */
interface Range {
  first: bigint;
  last: bigint;
}

interface ParsedItem extends Range {
  /** The item as Express (proxy-addr) is given it: an IPv4 or IPv6 subnet in full. */
  subnet: string;
}

/** Express's names for its predefined ranges, and what they stand for (proxy-addr's own list). */
const NAMED_RANGES: Record<string, string[]> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

/** Settings that believe every client whatever their address. */
const EVERY_CLIENT = new Set(['true', '*', 'all']);

const IPV4_MAPPED = 0xffffn << 32n;
const ALL_ONES = (1n << 128n) - 1n;
const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`^${OCTET}(\\.${OCTET}){3}$`);

/** An IPv4 address's 32 bits, or undefined if it is not four decimal octets. */
function ipv4Bits(text: string): bigint | undefined {
  if (!IPV4.test(text)) return undefined;
  return text.split('.').reduce((bits, octet) => (bits << 8n) | BigInt(Number(octet)), 0n);
}

/** An IPv6 address's 128 bits (an IPv4 tail allowed), or undefined; zone ids are not addresses of a proxy. */
function ipv6Bits(text: string): bigint | undefined {
  if (!isIPv6(text) || text.includes('%')) return undefined;
  let groups = text;
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail) {
    const v4 = ipv4Bits(tail[1]);
    if (v4 === undefined) return undefined;
    groups = `${text.slice(0, -tail[1].length)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head, rest] = groups.split('::');
  const left = head ? head.split(':') : [];
  const right = rest ? rest.split(':') : [];
  const missing = rest === undefined ? 0 : 8 - left.length - right.length;
  const all = [...left, ...Array<string>(missing).fill('0'), ...right];
  return all.reduce((bits, group) => (bits << 16n) | BigInt(parseInt(group, 16)), 0n);
}

/** The prefix length a dotted IPv4 netmask stands for, or undefined when its ones are not contiguous. */
function netmaskLength(text: string): number | undefined {
  const bits = ipv4Bits(text);
  const lengths = Array.from({ length: 33 }, (_, ones) => ones);
  return lengths.find((ones) => (((1n << BigInt(ones)) - 1n) << BigInt(32 - ones)) === bits);
}

function ipv4Text(bits: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((bits >> shift) & 0xffn)).join('.');
}

function ipv6Text(bits: bigint): string {
  return Array.from({ length: 8 }, (_, i) => ((bits >> BigInt(112 - 16 * i)) & 0xffffn).toString(16)).join(':');
}

function rangeOf(address: bigint, prefix: number): Range {
  const hostBits = (1n << BigInt(128 - prefix)) - 1n;
  const first = address & (ALL_ONES ^ hostBits);
  return { first, last: first | hostBits };
}

/** An address or subnet as a range, or undefined if it is neither. */
function parseSubnet(item: string): ParsedItem | undefined {
  const slash = item.lastIndexOf('/');
  const addressText = slash === -1 ? item : item.slice(0, slash);
  const prefixText = slash === -1 ? undefined : item.slice(slash + 1);
  const v4 = ipv4Bits(addressText);
  const address = v4 === undefined ? ipv6Bits(addressText) : IPV4_MAPPED | v4;
  if (address === undefined) return undefined;
  const width = v4 === undefined ? 128 : 32;
  let prefix: number | undefined = width;
  if (prefixText !== undefined) {
    prefix = /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : v4 !== undefined ? netmaskLength(prefixText) : undefined;
  }
  if (prefix === undefined || prefix > width) return undefined;
  const prefix128 = prefix + (128 - width);
  const range = rangeOf(address, prefix128);
  // what lies inside ::ffff:0:0/96 is handed to Express as the IPv4 subnet it is
  const isIPv4 = prefix128 >= 96 && range.first >> 32n === 0xffffn;
  const subnet = isIPv4 ? `${ipv4Text(range.first & 0xffffffffn)}/${prefix128 - 96}` : `${ipv6Text(range.first)}/${prefix128}`;
  return { ...range, subnet };
}

/** Private, loopback and link-local space: Express's three named ranges together, merged. */
const TRUSTWORTHY: Range[] = Object.values(NAMED_RANGES)
  .flat()
  .map((cidr) => parseSubnet(cidr) as ParsedItem)
  .sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0))
  .reduce<Range[]>((merged, range) => {
    const previous = merged.at(-1);
    if (previous && range.first <= previous.last + 1n) previous.last = range.last > previous.last ? range.last : previous.last;
    else merged.push({ first: range.first, last: range.last });
    return merged;
  }, []);

/** Whether the whole range lies in private, loopback or link-local space (merged ranges never touch, so one must hold it). */
export function isTrustworthy(range: Range): boolean {
  return TRUSTWORTHY.some((space) => space.first <= range.first && range.last <= space.last);
}

function refuse(item: string, raw: string, why: string): never {
  throw new TrustProxyError(
    `TRUST_PROXY must not believe clients outside private, loopback and link-local addresses: "${item}" ${why} (got "${raw}"). ` +
      `Give the proxies' own addresses or subnets, e.g. 10.0.0.0/8 or loopback`,
  );
}

/** One item of the setting, as the subnets Express is to believe. */
function parseItem(item: string, raw: string): ParsedItem[] {
  if (EVERY_CLIENT.has(item)) refuse(item, raw, 'believes every client');
  if (/^\d+$/.test(item)) refuse(item, raw, 'is a hop count, which believes whatever address a client connecting directly puts in X-Forwarded-For');
  const names = NAMED_RANGES[item];
  if (names) return names.map((cidr) => parseSubnet(cidr) as ParsedItem);
  const subnet = parseSubnet(item);
  if (!subnet) {
    throw new TrustProxyError(
      `TRUST_PROXY item "${item}" is not an IPv4 or IPv6 address or subnet, nor loopback, linklocal or uniquelocal (got "${raw}")`,
    );
  }
  if (!isTrustworthy(subnet)) refuse(item, raw, 'reaches public addresses');
  return [subnet];
}

/**
 * The setting as Express's `trust proxy`: false (believe no one), or the
 * subnets to believe, each inside private, loopback or link-local space.
 * Anything else throws, naming the first item at fault.
 */
export function parseTrustProxy(raw: string): false | string[] {
  const value = raw.trim();
  if (value === '' || value.toLowerCase() === 'false' || value === '0') return false;
  const items = value.split(',').map((item) => item.trim().toLowerCase());
  if (items.some((item) => item === '')) throw new TrustProxyError(`TRUST_PROXY has an empty item (got "${raw}")`);
  return [...new Set(items.flatMap((item) => parseItem(item, raw).map((subnet) => subnet.subnet)))];
}
