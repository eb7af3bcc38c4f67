/**
 * The document's patterns in the dialect every OpenAPI tool reads: ECMA-262
 * without the `u` flag (docs/architecture.md, "The OpenAPI document"). The
 * server's text rules use Unicode property escapes (`\p{Cc}`, `\p{L}`…),
 * which mean something else, or nothing, without that flag; each bracket
 * expression that holds one is spelled out here as the code points it
 * matches: a class of UTF-16 code units for the Basic Multilingual Plane,
 * and surrogate pairs for the planes above it. A lone surrogate is matched
 * by neither, as the server's text rules refuse it (`\p{Cs}`).
 */

type Range = [number, number];

const LAST_CODE_POINT = 0x10ffff;
const FIRST_ASTRAL = 0x10000;
const SURROGATES: Range = [0xd800, 0xdfff];

const spelled = new Map<string, string>();

const high = (code: number) => 0xd800 + ((code - FIRST_ASTRAL) >> 10);
const low = (code: number) => 0xdc00 + ((code - FIRST_ASTRAL) & 0x3ff);

const unit = (code: number) => `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
const unitRange = ([from, to]: Range) => (from === to ? unit(from) : `${unit(from)}-${unit(to)}`);

/** Every code point but the surrogates, in order: where a run of them matches a class says which ranges it holds. */
let everyCodePoint: string | undefined;

function allCodePoints(): string {
  if (everyCodePoint) return everyCodePoint;
  const bmp = FIRST_ASTRAL - (SURROGATES[1] - SURROGATES[0] + 1);
  const units = new Uint16Array(bmp + 2 * (LAST_CODE_POINT + 1 - FIRST_ASTRAL));
  let at = 0;
  for (let code = 0; code < FIRST_ASTRAL; code++) if (code < SURROGATES[0] || code > SURROGATES[1]) units[at++] = code;
  for (let code = FIRST_ASTRAL; code <= LAST_CODE_POINT; code++) {
    units[at++] = high(code);
    units[at++] = low(code);
  }
  return (everyCodePoint = Buffer.from(units.buffer).toString('utf16le'));
}

/** The code point at a UTF-16 index of allCodePoints(). */
function codePointAt(index: number): number {
  if (index < SURROGATES[0]) return index;
  const afterSurrogates = index + (SURROGATES[1] - SURROGATES[0] + 1);
  return afterSurrogates < FIRST_ASTRAL ? afterSurrogates : FIRST_ASTRAL + (afterSurrogates - FIRST_ASTRAL) / 2;
}

/** The code points a bracket expression matches under the `u` flag, as ordered ranges (lone surrogates left out). */
function rangesOf(bracket: string): Range[] {
  const runs = new RegExp(`${bracket}+`, 'gu');
  return [...allCodePoints().matchAll(runs)].flatMap((run): Range[] => {
    const last = run.index + run[0].length - 1;
    const range: Range = [codePointAt(run.index), codePointAt(last - Number(codePointAt(last) % 1 !== 0))];
    // a run that spans the surrogates, left out of the string, is two ranges
    const spansSurrogates = range[0] < SURROGATES[0] && range[1] > SURROGATES[1];
    return spansSurrogates ? [[range[0], SURROGATES[0] - 1], [SURROGATES[1] + 1, range[1]]] : [range];
  });
}


/** The surrogate pairs of an astral range, one alternative per lead surrogate (or per run of whole ones). */
function pairsOf([from, to]: Range): string[] {
  const pairs: string[] = [];
  let code = from;
  while (code <= to) {
    const lead = high(code);
    const leadEnd = Math.min(to, FIRST_ASTRAL + ((lead - 0xd800 + 1) << 10) - 1);
    if (low(code) === 0xdc00 && leadEnd !== to) {
      // whole lead surrogates: every trail of each
      const lastWhole = high(to + 1) - 1;
      pairs.push(`[${unitRange([lead, lastWhole])}][\\uDC00-\\uDFFF]`);
      code = FIRST_ASTRAL + ((lastWhole - 0xd800 + 1) << 10);
      continue;
    }
    pairs.push(`${unit(lead)}[${unitRange([low(code), low(leadEnd)])}]`);
    code = leadEnd + 1;
  }
  return pairs;
}

/** One bracket expression with property escapes, as a group that matches the same characters without the `u` flag. */
function spellOut(bracket: string): string {
  const known = spelled.get(bracket);
  if (known) return known;
  const ranges = rangesOf(bracket);
  const bmp = ranges.filter(([from]) => from < FIRST_ASTRAL).map(([from, to]): Range => [from, Math.min(to, FIRST_ASTRAL - 1)]);
  const astral = ranges.filter(([, to]) => to >= FIRST_ASTRAL).map(([from, to]): Range => [Math.max(from, FIRST_ASTRAL), to]);
  const alternatives = [...(bmp.length > 0 ? [`[${bmp.map(unitRange).join('')}]`] : []), ...astral.flatMap(pairsOf)];
  const group = `(?:${alternatives.join('|')})`;
  spelled.set(bracket, group);
  return group;
}

/** Where the bracket expression that opens at `start` closes (the index of its `]`). */
function closingBracket(source: string, start: number): number {
  for (let i = start + 1; i < source.length; i++) {
    if (source[i] === '\\') i++;
    else if (source[i] === ']' && i > start + 1 + Number(source[start + 1] === '^')) return i;
  }
  return -1;
}

/** A pattern of the server's (written for the `u` flag) as the document states it: the same strings match, without the flag. */
export function portablePattern(source: string): string {
  if (!/\\[pP]\{/.test(source)) return source;
  let out = '';
  for (let i = 0; i < source.length; i++) {
    if (source[i] === '\\') {
      out += source.slice(i, i + 2);
      i++;
      continue;
    }
    const end = source[i] === '[' ? closingBracket(source, i) : -1;
    if (end < 0) {
      out += source[i];
      continue;
    }
    const bracket = source.slice(i, end + 1);
    out += /\\[pP]\{/.test(bracket) ? spellOut(bracket) : bracket;
    i = end;
  }
  return out;
}
