import { describe, expect, it } from '@jest/globals';
import { Ajv } from 'ajv';
import addFormatsImport from 'ajv-formats';
import fc from 'fast-check';
import { uriReference } from './problem.filter.js';

const addFormats = ((addFormatsImport as unknown as { default?: unknown }).default ?? addFormatsImport) as unknown as (ajv: Ajv) => Ajv;
/** The problem schema's `instance`, checked as the answer check checks it (test/support/answers.ts). */
const isInstance = addFormats(new Ajv()).compile({ type: 'string', format: 'uri-reference', maxLength: 16_384 });

describe("a problem's instance", () => {
  it('is a URI reference within the schema’s length for any path a client sends', () => {
    const path = fc.oneof(
      fc.string({ maxLength: 300, unit: 'binary' }),
      fc.string({ maxLength: 300, unit: fc.constantFrom('%', '/', 'a', '2', 'F', ' ', '"', '<', '\\', '{', '^', '`', '|', '\u00e9', '\ud83d', '\ude00') }),
      fc.string({ minLength: 6000, maxLength: 8000, unit: fc.constantFrom('%', '\u00e9', 'x', '%2') }),
    );
    fc.assert(
      fc.property(path, (p) => {
        const instance = uriReference(`/api/cases/${p}`);
        expect({ instance, valid: isInstance(instance) }).toEqual({ instance, valid: true });
      }),
      { numRuns: 500 },
    );
  });

  it('keeps a path that is already a URI reference as it is, and escapes what is not', () => {
    expect(uriReference('/api/cases/6f1c1c1e-1d7a-4c52-9b8e-0b1c2d3e4f50/themes')).toBe('/api/cases/6f1c1c1e-1d7a-4c52-9b8e-0b1c2d3e4f50/themes');
    expect(uriReference('/api/cases/DHR%2D2026-001')).toBe('/api/cases/DHR%2D2026-001');
    expect(uriReference('/api/cases/%/themes')).toBe('/api/cases/%25/themes');
    expect(uriReference('/api/cases/a b')).toBe('/api/cases/a%20b');
  });
});
