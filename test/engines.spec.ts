/**
 * The Node.js version README promises (`engines` in package.json) runs every
 * package the server runs: each runtime dependency installed in
 * node_modules, direct or not (the packages package-lock.json does not mark
 * `dev`), must accept the oldest Node.js we accept. A dependency that
 * demands more (file-type 22, which @nestjs/common pins, needs Node 22) is
 * named, with its range. README, "First start"; package.json `overrides`.
 */
import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

type Version = [number, number, number];

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/**
 * Whether a version meets one comparator of a range as npm writes them:
 * `>=18`, `> 0.4`, `^20.19.0`, `~1.2`, `6.*`, `18.x`, `v12.22.7`, `*`.
 */
function meets(version: Version, comparator: string): boolean {
  if (comparator === '' || comparator === '*') return true;
  const match = /^(\^|~|>=|<=|>|<|=)?v?(\d+)(?:\.(\d+|\*|x|X))?(?:\.(\d+|\*|x|X))?$/.exec(comparator);
  if (!match) throw new Error(`a range this test cannot read: "${comparator}"`);
  const [, op = '', ...parts] = match;
  const wild = parts.map((part) => part === undefined || /^[*xX]$/.test(part));
  const bound = parts.map((part) => (part === undefined || /^[*xX]$/.test(part) ? 0 : Number(part))) as Version;
  const upper: Version | undefined =
    op === '^' ? (bound[0] > 0 ? [bound[0] + 1, 0, 0] : [0, bound[1] + 1, 0])
    : op === '~' || (op === '' && !wild[1]) ? [bound[0], bound[1] + 1, 0]
    : op === '' ? [bound[0] + 1, 0, 0]
    : undefined;
  if (op === '' && !wild[1] && !wild[2]) return compare(version, bound) === 0;
  if (upper) return compare(version, bound) >= 0 && compare(version, upper) < 0;
  const order = compare(version, bound);
  return { '>=': order >= 0, '>': order > 0, '<=': order <= 0, '<': order < 0, '=': order === 0 }[op] ?? false;
}

/** Whether a version satisfies a range: alternatives joined by `||`, each comparators joined by spaces. */
function satisfies(version: Version, range: string): boolean {
  return range.split('||').some((alternative) =>
    alternative
      .trim()
      .replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1')
      .split(/\s+/)
      .every((comparator) => meets(version, comparator)),
  );
}

/** The oldest version a `>=a.b.c` range accepts. */
function oldestAccepted(range: string): Version {
  const match = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(range.trim());
  if (!match) throw new Error(`engines.node should read ">=<version>", not "${range}"`);
  return [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)];
}

describe('the Node.js version we promise', () => {
  const ours = (readJson(join(ROOT, 'package.json')).engines as { node: string }).node;
  const oldest = oldestAccepted(ours);
  const lock = readJson(join(ROOT, 'package-lock.json')) as { packages: Record<string, { dev?: boolean }> };
  const runtime = Object.entries(lock.packages)
    .filter(([path, entry]) => path.startsWith('node_modules/') && !entry.dev)
    .map(([path]) => path);

  it('reads ranges as npm does', () => {
    expect(satisfies([20, 19, 0], '>=20')).toBe(true);
    expect(satisfies([20, 19, 0], '>=22')).toBe(false);
    expect(satisfies([20, 19, 0], '^20.19.0 || ^22.12.0 || >=24.0.0')).toBe(true);
    expect(satisfies([20, 18, 3], '^20.19.0 || >=22.12.0')).toBe(false);
    expect(satisfies([20, 19, 0], '>= 0.4')).toBe(true);
    expect(satisfies([20, 19, 0], '6.* || 8.* || >= 10.*')).toBe(true);
    expect(satisfies([20, 19, 0], '^18 || ^20 || >= 21')).toBe(true);
    expect(satisfies([20, 19, 0], '>=18.x')).toBe(true);
    expect(satisfies([20, 19, 0], '>=v12.22.7')).toBe(true);
    expect(satisfies([20, 19, 0], '20.20')).toBe(false);
    expect(satisfies([20, 19, 0], '>=14.0.0 <20')).toBe(false);
    expect(satisfies([20, 19, 0], '*')).toBe(true);
    expect(oldestAccepted('>=20.19')).toEqual([20, 19, 0]);
  });

  it('the Node.js this machine runs is one we accept', () => {
    const running = process.versions.node.split('.').map(Number) as Version;
    expect(satisfies(running, ours)).toBe(true);
  });

  it('every runtime dependency installed accepts the oldest Node.js we accept', () => {
    expect(runtime.length).toBeGreaterThan(50);
    const demanding: string[] = [];
    for (const path of runtime) {
      const manifest = join(ROOT, path, 'package.json');
      // An optional package for another platform (a PostgreSQL build for another system) is not installed here.
      if (!existsSync(manifest)) continue;
      const { name, version, engines } = readJson(manifest) as { name: string; version: string; engines?: { node?: string } };
      if (engines?.node && !satisfies(oldest, engines.node)) demanding.push(`${name}@${version} (${path}) needs Node.js ${engines.node}`);
    }
    expect(demanding).toEqual([]);
  });
});
