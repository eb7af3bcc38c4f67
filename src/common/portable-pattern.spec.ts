import { describe, expect, it } from '@jest/globals';
import { portablePattern } from './portable-pattern.js';
import { MULTI_LINE, SINGLE_LINE } from './text-rules.js';

const samples = [
  'Safer Devon Partnership',
  'héllo wörld, 日本語',
  'emoji 😀 and 𝒜',
  'zero\u200bwidth',
  'bidi\u202eoverride',
  'tab\tinside',
  'cr\r\nlf',
  'cr\ronly',
  'new\nline',
  'tag\u{E0041}',
  'lone \uD800 surrogate',
  'soft\u00adhyphen',
  'a',
  '--',
  'a-b',
  '',
];

describe('a pattern written for the u flag, as the OpenAPI document states it', () => {
  it('matches the same strings without the flag as the original with it', () => {
    const term = String.raw`[\p{L}\p{N}][^\p{L}\p{N}]*[\p{L}\p{N}]`;
    for (const source of [SINGLE_LINE.source, MULTI_LINE.source, term]) {
      const portable = portablePattern(source);
      expect(portable).not.toMatch(/\\[pP]\{/);
      const original = new RegExp(source, 'u');
      const document = new RegExp(portable);
      for (const sample of samples) expect({ sample, matches: document.test(sample) }).toEqual({ sample, matches: original.test(sample) });
    }
  });

  it('leaves a pattern without property escapes as it is', () => {
    expect(portablePattern('^[A-Za-z0-9-]{1,40}$')).toBe('^[A-Za-z0-9-]{1,40}$');
  });

  it('spells a class as code-unit ranges and surrogate pairs', () => {
    expect(portablePattern(String.raw`^[\p{Zl}\p{Zp}]$`)).toBe(String.raw`^(?:[\u2028-\u2029])$`);
    expect(portablePattern(String.raw`^[\p{Zl}\u{1F600}-\u{1F601}]$`)).toBe(String.raw`^(?:[\u2028]|\uD83D[\uDE00-\uDE01])$`);
  });
});
