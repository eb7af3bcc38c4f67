/**
 * What a feature module uses, it declares in its manifest
 * (docs/architecture.md, "Adding a feature module"): the core's lists are
 * built from the manifests, so a table, code or field used but not declared
 * would silently fall out of them. These checks read the source and the
 * entities' own metadata and fail on any such gap. The schema's append-only
 * tables are checked against the database in test/schema.e2e-spec.ts, and
 * every `unmet` literal in src/ against the OpenAPI document in
 * test/openapi.e2e-spec.ts.
 */
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getMetadataArgsStorage } from 'typeorm';
import { sensitiveFieldsOf, type FeatureManifest } from '../src/common/feature-manifest.js';
import { FEATURES } from '../src/features.js';

const SRC = fileURLToPath(new URL('../src', import.meta.url));

/** The source files of one folder of src/ (its tests left out), with their text. */
function sourceOf(folder: string): { file: string; text: string }[] {
  return readdirSync(join(SRC, folder), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !/\.(spec|medium-spec)\.ts$/.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .map((file) => ({ file: relative(SRC, file), text: readFileSync(file, 'utf8') }));
}

/** Every class decorated @Entity in src/, by name, with the folder it lives in. */
function entityClassesInSource(): Map<string, string> {
  const found = new Map<string, string>();
  for (const { file, text } of sourceOf('.')) {
    for (const match of text.matchAll(/@Entity\([^)]*\)\s*(?:@[^\n]+\s*)*export class (\w+)/g)) found.set(match[1], file.split('/')[0]);
  }
  return found;
}

/** The folder under src/ a manifest speaks for: its name. */
const folderOf = (feature: FeatureManifest) => feature.name;
const tableOf = (entity: object) => getMetadataArgsStorage().tables.find((table) => table.target === entity)?.name;
const columnsOf = (entity: object) => getMetadataArgsStorage().columns.filter((column) => column.target === entity).map((column) => column.propertyName);
/** A module's own code, its manifest left out (which names every declaration). */
const ownText = (feature: FeatureManifest) =>
  sourceOf(folderOf(feature))
    .filter((s) => !s.file.endsWith('.manifest.ts'))
    .map((s) => s.text)
    .join('\n');

describe('the feature manifests', () => {
  it('cover every folder of src/ that holds a Nest module, once each', () => {
    const withModule = readdirSync(SRC, { withFileTypes: true })
      .filter((e) => e.isDirectory() && readdirSync(join(SRC, e.name)).some((name) => name.endsWith('.module.ts')))
      .map((e) => e.name)
      .sort();
    expect(FEATURES.map(folderOf).sort()).toEqual(withModule);
  });

  it('declare every entity class in src/, each in the manifest of the folder it lives in', () => {
    const inSource = entityClassesInSource();
    expect(inSource.size).toBeGreaterThan(20);
    const declared = new Map(FEATURES.flatMap((feature) => (feature.entities ?? []).map((entity) => [entity.name, folderOf(feature)] as const)));
    expect(FEATURES.flatMap((feature) => feature.entities ?? []).length).toBe(declared.size);
    expect(Object.fromEntries(declared)).toEqual(Object.fromEntries(inSource));
  });

  it('name as append-only and as agency scope only tables of their own entities', () => {
    const gaps = FEATURES.flatMap((feature) => {
      const own = (feature.entities ?? []).map(tableOf);
      const named = [...(feature.appendOnlyTables ?? []), ...(feature.agencyScope ?? []).map((term) => term.table)];
      return named.filter((table) => !own.includes(table)).map((table) => `${feature.name}: ${table}`);
    });
    expect(gaps).toEqual([]);
  });

  it('declare a sensitive field only where their own code uses it', () => {
    const gaps = FEATURES.flatMap((feature) => {
      const text = ownText(feature);
      return (feature.sensitiveFields ?? []).filter((field) => !new RegExp(`\\b${field}\\b`).test(text)).map((field) => `${feature.name}: ${field}`);
    });
    expect(gaps).toEqual([]);
  });

  it('leave no column masked by another module’s declaration alone: the module owning the entity declares it', () => {
    const sensitive = sensitiveFieldsOf(FEATURES);
    const gaps = FEATURES.flatMap((feature) => {
      const masked = (feature.entities ?? []).flatMap(columnsOf).filter((column) => sensitive.has(column));
      return masked.filter((column) => !(feature.sensitiveFields ?? []).includes(column)).map((column) => `${feature.name}: ${column}`);
    });
    expect(gaps).toEqual([]);
  });

  it('declare a refusal code only in the module that refuses with it, and each code once', () => {
    const codes = FEATURES.flatMap((feature) => Object.keys(feature.refusalCodes ?? {}));
    expect(new Set(codes).size).toBe(codes.length);
    const gaps = FEATURES.flatMap((feature) => {
      const text = ownText(feature);
      return Object.keys(feature.refusalCodes ?? {}).filter((code) => !text.includes(`'${code}'`)).map((code) => `${feature.name}: ${code}`);
    });
    expect(gaps).toEqual([]);
  });
});
