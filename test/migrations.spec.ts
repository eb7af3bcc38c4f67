/**
 * Migrations are registered by their file (migrations/index.ts): a file the
 * loader would skip for its name, or a list out of timestamp order, fails here.
 */
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { migrations } from '../migrations/index.js';

const FOLDER = fileURLToPath(new URL('../migrations', import.meta.url));

describe('the migrations', () => {
  const files = readdirSync(FOLDER).filter((file) => file.endsWith('.ts') && file !== 'index.ts');

  it('are every file of the folder but the index, each named <timestamp>-<Name>.ts', () => {
    expect(files.length).toBeGreaterThan(20);
    expect(files.filter((file) => !/^\d{13}-[A-Z][A-Za-z0-9]*\.ts$/.test(file))).toEqual([]);
    expect(migrations.map((m) => m.name)).toEqual(files.map((file) => file.replace(/^(\d{13})-(\w+)\.ts$/, '$2$1')).sort((a, b) => a.slice(-13).localeCompare(b.slice(-13))));
  });

  it('run in the order of their timestamps, the first laying the foundation', () => {
    const stamps = migrations.map((m) => m.name.slice(-13));
    expect(stamps).toEqual([...stamps].sort());
    expect(migrations[0].name).toBe('Foundation1764216000000');
    expect(new Set(stamps).size).toBe(stamps.length);
  });

  /**
   * A migration reads the schema of its own time: it never imports
   * application code that reads the database, whose SQL follows today's
   * schema (docs/architecture.md, "Schema and migrations"). Pure code (the calendar, the
   * configuration, the milestone engine and its rules) and types may be
   * imported; SQL of a migration's time is frozen in the migration or in
   * migrations/frozen/.
   */
  it('import no application code that reads the database', () => {
    const PURE = ['common/calendar.js', 'config/app-config.js', 'milestones/engine.js', 'milestones/regimes.js'];
    const sources = [
      ...files.map((file) => `${FOLDER}/${file}`),
      ...readdirSync(`${FOLDER}/frozen`)
        .filter((file) => file.endsWith('.ts'))
        .map((file) => `${FOLDER}/frozen/${file}`),
    ];
    const found = sources.flatMap((path) => {
      const text = readFileSync(path, 'utf8');
      const imported = [...text.matchAll(/^import (?!type )[^;]*?from '(?:\.\.\/)+src\/([^']+)'/gms), ...text.matchAll(/import\(\s*'(?:\.\.\/)+src\/([^']+)'\s*\)/g)];
      return imported.map((m) => m[1]).filter((module) => !PURE.includes(module)).map((module) => `${path.slice(FOLDER.length + 1)} imports src/${module}`);
    });
    expect(found).toEqual([]);
  });
});
