/**
 * An upload worker starts for every upload, so what its script imports is
 * paid on every upload: a worker loads the readers and the text rules, never
 * the framework (docs/architecture.md, "Reading untrusted files in a worker
 * thread"). This walks each worker script's imports through the sources, as
 * the worker would load them, and names any framework package it reaches and
 * the chain of files that led there.
 */
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = resolve('src');
const FRAMEWORK = /^(@nestjs\/|typeorm$|class-transformer$|class-validator$|pg$|express$|reflect-metadata$)/;

function workerScripts(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return workerScripts(path);
    return entry.name.endsWith('.worker.ts') ? [path] : [];
  });
}

/** The packages a file reaches through its value imports (type-only imports load nothing), each with the chain that reaches it. */
function packagesReached(start: string): Map<string, string[]> {
  const reached = new Map<string, string[]>();
  const seen = new Set<string>();
  const visit = (file: string, chain: string[]) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/^(import|export)\s+(type\s+)?(?:[^;]*?\sfrom\s+)?'([^']+)'/gms)) {
      if (match[2]) continue;
      const specifier = match[3];
      const here = [...chain, relative(SRC, file)];
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')), here);
      else if (!specifier.startsWith('node:') && !reached.has(specifier)) reached.set(specifier, here);
    }
  };
  visit(start, []);
  return reached;
}

describe('upload worker scripts', () => {
  const scripts = workerScripts(SRC);

  it('are found (the chronology reader, the content check, the anonymisation check)', () => {
    expect(scripts.map((path) => relative(SRC, path)).sort()).toEqual([
      'chronologies/chronology-read.worker.ts',
      'documents/content-check.worker.ts',
      'publication/examine-document.worker.ts',
    ]);
  });

  it.each(scripts.map((path) => [relative(SRC, path), path]))('%s loads no framework package', (_name, path) => {
    const framework = [...packagesReached(path)].filter(([name]) => FRAMEWORK.test(name)).map(([name, chain]) => `${name} via ${chain.join(' -> ')}`);
    expect(framework).toEqual([]);
  });

  it('would name a framework package a file reaches, with its chain', () => {
    const reached = packagesReached(join(SRC, 'common', 'validators.ts'));
    expect(reached.get('@nestjs/swagger')).toEqual(['common/validators.ts']);
  });
});
