import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { BlockList } from 'node:net';
import { ConfigError, loadConfig } from './app-config.js';
import { parseTrustProxy, TrustProxyError } from './trust-proxy.js';

/**
 * The oracle is Node's own BlockList, not the parser's arithmetic: private,
 * loopback and link-local space as Express names it, with IPv4-mapped IPv6
 * addresses checked against the IPv4 rules.
 */
const TRUSTWORTHY = [
  ['127.0.0.0', 8, 'ipv4'],
  ['10.0.0.0', 8, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['::1', 128, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['fc00::', 7, 'ipv6'],
] as const;
const trustworthy = new BlockList();
/** Each block on its own, with its prefix counted in the 128-bit space (an IPv4 one 96 bits further). */
const BLOCKS = TRUSTWORTHY.map(([network, prefix, type]) => {
  trustworthy.addSubnet(network, prefix, type);
  const list = new BlockList();
  list.addSubnet(network, prefix, type);
  return { list, prefix128: type === 'ipv4' ? prefix + 96 : prefix };
});

const PRIVATE_V4: [number[], number][] = [
  [[127], 8],
  [[10], 8],
  [[172, 16], 12],
  [[192, 168], 16],
  [[169, 254], 16],
];
const PRIVATE_V6: [number[], number][] = [
  [[0, 0, 0, 0, 0, 0, 0, 1], 128],
  [[0xfe80], 10],
  [[0xfc00], 7],
];

type Bits = number[];

/** An address as octets (IPv4) or 16-bit groups (IPv6) whose first `prefix` bits are those of `network`. */
function within(network: Bits, prefix: number, width: 8 | 16, count: number): fc.Arbitrary<Bits> {
  return fc.array(fc.integer({ min: 0, max: 2 ** width - 1 }), { minLength: count, maxLength: count }).map((random) =>
    random.map((value, i) => {
      const keep = Math.max(0, Math.min(width, prefix - i * width));
      const mask = keep === 0 ? 0 : ((2 ** width - 1) >> (width - keep)) << (width - keep);
      return ((network[i] ?? 0) & mask) | (value & ~mask & (2 ** width - 1));
    }),
  );
}

const v4 = (octets: Bits) => octets.join('.');
const v6Full = (groups: Bits) => groups.map((g) => g.toString(16)).join(':');
/** The usual short spelling: the longest run of zero groups as ::, as Node would print it. */
const v6Short = (groups: Bits) => new URL(`http://[${v6Full(groups)}]/`).hostname.slice(1, -1);
const netmask = (prefix: number) => v4([0, 1, 2, 3].map((i) => (0xff << (8 - Math.max(0, Math.min(8, prefix - 8 * i)))) & 0xff));

/** Every way of writing an IPv4 address with `prefix` that Express accepts, mapped IPv6 forms included. */
function spellV4(octets: Bits, prefix: number): fc.Arbitrary<string> {
  const mapped = [0, 0, 0, 0, 0, 0xffff, (octets[0] << 8) | octets[1], (octets[2] << 8) | octets[3]];
  const forms = [
    `${v4(octets)}/${prefix}`,
    `${v4(octets)}/${netmask(prefix)}`,
    `::ffff:${v4(octets)}/${prefix + 96}`,
    `${v6Short(mapped)}/${prefix + 96}`,
    `${v6Full(mapped)}/${prefix + 96}`,
  ];
  if (prefix === 32) forms.push(v4(octets), `::ffff:${v4(octets)}`);
  return fc.constantFrom(...forms);
}

function spellV6(groups: Bits, prefix: number): fc.Arbitrary<string> {
  const forms = [`${v6Short(groups)}/${prefix}`, `${v6Full(groups)}/${prefix}`, `${v6Short(groups).toUpperCase()}/${prefix}`];
  if (prefix === 128) forms.push(v6Short(groups));
  return fc.constantFrom(...forms);
}

/** An item inside private, loopback or link-local space, in any spelling. */
const privateItem: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('loopback', 'linklocal', 'uniquelocal', 'LoopBack'),
  fc
    .constantFrom(...PRIVATE_V4)
    .chain(([network, prefix]) => fc.tuple(within(network, prefix, 8, 4), fc.integer({ min: prefix, max: 32 })))
    .chain(([octets, prefix]) => spellV4(octets, prefix)),
  fc
    .constantFrom(...PRIVATE_V6)
    .chain(([network, prefix]) => fc.tuple(within(network, prefix, 16, 8), fc.integer({ min: prefix, max: 128 })))
    .chain(([groups, prefix]) => spellV6(groups, prefix)),
);

/**
 * A public address (per the oracle) and a subnet around it of any size: believing it believes that
 * address; or a private block's address in a subnet wider than the block, which takes in its sibling
 * (no two of the blocks are siblings, so the sibling holds public addresses).
 */
const publicItem: fc.Arbitrary<string> = fc.oneof(
  fc
    .constantFrom(...PRIVATE_V4)
    .chain(([network, prefix]) => fc.tuple(within(network, prefix, 8, 4), fc.integer({ min: 0, max: prefix - 1 })))
    .chain(([octets, prefix]) => spellV4(octets, prefix)),
  fc
    .constantFrom(...PRIVATE_V6)
    .chain(([network, prefix]) => fc.tuple(within(network, prefix, 16, 8), fc.integer({ min: 0, max: prefix - 1 })))
    .chain(([groups, prefix]) => spellV6(groups, prefix)),
  fc
    .tuple(within([], 0, 8, 4), fc.integer({ min: 0, max: 32 }))
    .filter(([octets]) => !trustworthy.check(v4(octets), 'ipv4'))
    .chain(([octets, prefix]) => spellV4(octets, prefix)),
  fc
    .tuple(within([], 0, 16, 8), fc.integer({ min: 0, max: 128 }))
    .filter(([groups]) => !trustworthy.check(v6Full(groups), 'ipv6'))
    .chain(([groups, prefix]) => spellV6(groups, prefix)),
);

/** The whole space cut into subnets at random (halves, quarters, …): together they believe everyone. */
const partitionOfEverything: fc.Arbitrary<string[]> = fc
  .tuple(fc.constantFrom(['0.0.0.0', 32] as const, ['::', 128] as const), fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }))
  .map(([[start, width], cuts]) => {
    // cut the first subnet again while the coin says so: 0/1 + 128/1, then 0/2 + 64/2 + 128/1, …
    const pieces: string[] = [];
    let prefix = 1;
    const first = width === 32 ? [0, 0, 0, 0] : [0, 0, 0, 0, 0, 0, 0, 0];
    const second = (p: number) => {
      const bits = [...first];
      const unit = width === 32 ? 8 : 16;
      const index = Math.floor((p - 1) / unit);
      bits[index] |= 1 << (unit - 1 - ((p - 1) % unit));
      return width === 32 ? `${v4(bits)}/${p}` : `${v6Short(bits)}/${p}`;
    };
    for (const cut of cuts) {
      pieces.push(second(prefix));
      if (!cut) break;
      prefix++;
    }
    pieces.push(`${start}/${prefix}`);
    return pieces;
  });

/** Settings that believe every client, or whatever a client connecting directly claims. */
const everyClient = fc.oneof(
  fc.constantFrom('true', 'TRUE', '*', 'all', '0.0.0.0/0', '::/0', '0.0.0.0/0.0.0.0', '::ffff:0:0/96', '::ffff:0.0.0.0/96', '::/1', '8000::/1'),
  fc.integer({ min: 1, max: 1000 }).map(String),
);

const spacing = fc.constantFrom(',', ', ', ' , ', ',\t');
const join = (items: string[], glue: string) => items.join(glue);

describe('TRUST_PROXY read as address ranges', () => {
  it('accepts every setting made only of private, loopback and link-local subnets, each believed as the oracle says', () => {
    fc.assert(
      fc.property(fc.array(privateItem, { minLength: 1, maxLength: 6 }), spacing, (items, glue) => {
        const subnets = parseTrustProxy(join(items, glue));
        expect(subnets).not.toBe(false);
        for (const subnet of subnets as string[]) {
          const [address, prefix] = subnet.split('/');
          // a subnet lies inside a block when its first address does and it is no wider than the block
          const block = BLOCKS.find((b) => b.list.check(address, address.includes(':') ? 'ipv6' : 'ipv4'));
          expect(block).toBeDefined();
          expect(Number(prefix) + (address.includes(':') ? 0 : 96)).toBeGreaterThanOrEqual(block!.prefix128);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('refuses every setting with an item that reaches a public address, naming that item, wherever it stands', () => {
    fc.assert(
      fc.property(fc.array(privateItem, { maxLength: 4 }), publicItem, fc.nat(), spacing, (privates, item, at, glue) => {
        const items = [...privates];
        items.splice(at % (items.length + 1), 0, item);
        const parse = () => parseTrustProxy(join(items, glue));
        expect(parse).toThrow(TrustProxyError);
        expect(parse).toThrow(`"${item.toLowerCase()}"`);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses the whole space cut into subnets, halves that add up to everything included', () => {
    expect(() => parseTrustProxy('0.0.0.0/1,128.0.0.0/1,::/1,8000::/1')).toThrow(/"0\.0\.0\.0\/1" reaches public addresses/);
    fc.assert(
      fc.property(partitionOfEverything, fc.array(privateItem, { maxLength: 3 }), spacing, (pieces, privates, glue) => {
        expect(() => parseTrustProxy(join([...privates, ...pieces], glue))).toThrow(/^TRUST_PROXY must not believe clients outside private/);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses true, every-client spellings, mapped IPv4 space and hop counts, alone or among private items', () => {
    fc.assert(
      fc.property(everyClient, fc.array(privateItem, { maxLength: 3 }), spacing, (item, privates, glue) => {
        const load = () => loadConfig({ JWT_SECRET: 'a-secret-that-is-long-enough-for-tests-000', TRUST_PROXY: join([...privates, item], glue) });
        expect(load).toThrow(ConfigError);
        expect(load).toThrow(/^TRUST_PROXY must not believe clients outside private, loopback and link-local addresses: "/);
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    '10.0.0.0/7',
    '172.16.0.0/11',
    '192.168.0.0/15',
    '127.0.0.0/7',
    'fc00::/6',
    'fe80::/9',
    '::/127',
    '::ffff:10.0.0.0/103',
    '::ffff:0:0/95',
    '100.64.0.0/10',
    '2001:db8::/32',
    '::a00:1',
    '2002:a00::/24',
    '64:ff9b::a00:1',
  ])('refuses %p, one bit wider than a private range or outside it', (item) => {
    expect(() => parseTrustProxy(item)).toThrow(`"${item}" reaches public addresses`);
  });

  it.each(['10.0.0.300', '10.0.0.0/33', 'fe80::/129', '10.0.0.0/255.0.255.0', 'fe80::1%eth0', '0x0a000001', '010.0.0.1', 'localhost', '10.0.0.0/', '/8', '10.0.0.0/8/8', '::ffff:10.0.0.0/1.2'])(
    'refuses %p, which is no address or subnet, by name',
    (item) => {
      expect(() => parseTrustProxy(`127.0.0.1, ${item}`)).toThrow(`TRUST_PROXY item "${item.toLowerCase()}" is not an IPv4 or IPv6 address or subnet`);
    },
  );

  it('gives Express each subnet in full, IPv4-mapped ones as IPv4', () => {
    expect(parseTrustProxy(' 10.1.2.3/8 , ::ffff:192.168.1.9/120, FE80::1, loopback ')).toEqual([
      '10.0.0.0/8',
      '192.168.1.0/24',
      'fe80:0:0:0:0:0:0:1/128',
      '127.0.0.0/8',
      '0:0:0:0:0:0:0:1/128',
    ]);
    expect(parseTrustProxy('10.0.0.0/255.255.0.0')).toEqual(['10.0.0.0/16']);
    expect(parseTrustProxy('')).toBe(false);
    expect(parseTrustProxy('false')).toBe(false);
    expect(parseTrustProxy('0')).toBe(false);
    expect(() => parseTrustProxy('10.0.0.1,,10.0.0.2')).toThrow('TRUST_PROXY has an empty item');
  });
});
