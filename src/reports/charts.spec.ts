import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { pictureName } from '../../test/support/picture-names.js';
import { layoutProblems, pictureGeometry } from '../../test/support/svg-geometry.js';
import { parseXml } from '../../test/support/xml.js';
import { STAGES, type Stage } from '../cases/stages.js';
import { countTicks, renderCompletionChart, renderStagesChart, type StageSeries } from './charts.js';

const counts = (some: Partial<Record<Stage, number>>): Record<Stage, number> =>
  Object.fromEntries(STAGES.map((stage) => [stage, some[stage] ?? 0])) as Record<Stage, number>;

const bars = (svg: string) =>
  pictureGeometry(svg).shapes.filter(({ element }) => element.attributes.class === 'bar').map(({ element, box }) => ({ stage: element.attributes['data-stage'], box }));

describe('renderStagesChart', () => {
  const svg = renderStagesChart(
    STAGES,
    [
      { name: 'Exeter <City> & "Co"', casesByStage: counts({ notified: 3, drafting: 1 }) },
      { name: 'North Devon and Torridge', casesByStage: counts({ closed: 2 }) },
    ],
    '2026-05-01',
  );

  it('is well-formed SVG, with a title and a description a screen reader reads', () => {
    const parsed = parseXml(svg);
    expect(parsed.root).toBe('svg');
    expect(parsed.elements).toEqual(expect.arrayContaining(['title', 'desc']));
    expect(svg).toContain('role="img"');
    expect(svg).toContain('aria-labelledby="title desc"');
  });

  it('draws one row per partnership, its cases split by stage, and says the counts in words', () => {
    expect(svg.match(/class="partnership"/g)).toHaveLength(2);
    expect(bars(svg).map((b) => b.stage)).toEqual(['notified', 'drafting', 'closed']);
    const { texts } = parseXml(svg);
    expect(texts).toContain('Exeter <City> & "Co", notified: 3');
    expect(texts).toContain('North Devon and Torridge, closed: 2');
    expect(texts.join(' ')).toContain('Exeter <City> & "Co": 3 notified, 0 commissioned');
    expect(layoutProblems(svg)).toEqual([]);
  });

  it('sizes each segment by its count, on one scale for every row', () => {
    const [notified, drafting, closed] = bars(svg).map((b) => b.box.right - b.box.left);
    expect(notified / drafting).toBeCloseTo(3, 1);
    expect(closed / drafting).toBeCloseTo(2, 1);
  });

  it('escapes every text', () => {
    expect(svg).toContain('Exeter &lt;City&gt; &amp; &quot;Co&quot;');
    expect(svg).not.toContain('<City>');
  });

  it('draws a no-data picture, with no axis, when no partnership is in scope', () => {
    const empty = renderStagesChart(STAGES, [], '2026-05-01');
    expect(parseXml(empty).texts).toContain('No partnership in scope, as of 2026-05-01.');
    expect(empty).toContain('class="no-data"');
    expect(empty).not.toContain('class="bar"');
    expect(empty).not.toContain('class="grid"');
    expect(layoutProblems(empty)).toEqual([]);
  });

  it('keeps 40 partnerships readable: a row each, every bar of positive width, the chart taller', () => {
    const series = Array.from({ length: 40 }, (_, i) => ({ name: `Partnership ${i + 1}`, casesByStage: counts({ notified: i % 3, drafting: 1 }) }));
    const forty = renderStagesChart(STAGES, series, '2026-05-01');
    expect(forty.match(/class="partnership"/g)).toHaveLength(40);
    expect(bars(forty).every(({ box }) => box.right - box.left > 5)).toBe(true);
    expect(pictureGeometry(forty).height).toBeGreaterThan(40 * 20);
    expect(layoutProblems(forty)).toEqual([]);
  });

  it('cuts a long name with an ellipsis and gives it whole in a <title>', () => {
    const name = `The Safer Communities Partnership of ${'Somewhere Very Long '.repeat(5)}and District`;
    const long = renderStagesChart(STAGES, [{ name, casesByStage: counts({ notified: 1 }) }], '2026-05-01');
    const text = pictureGeometry(long).texts.find((t) => t.title === name)!;
    expect(text.text.endsWith('…')).toBe(true);
    expect(name.startsWith(text.text.slice(0, -1))).toBe(true);
    expect(layoutProblems(long)).toEqual([]);
  });

  const series: fc.Arbitrary<StageSeries[]> = fc.array(
    fc.record({
      name: pictureName,
      casesByStage: fc.tuple(...STAGES.map(() => fc.oneof(fc.constant(0), fc.nat(5), fc.nat(3000)))).map(
        (values) => Object.fromEntries(STAGES.map((stage, i) => [stage, values[i]])) as Record<Stage, number>,
      ),
    }),
    { maxLength: 60 },
  );

  it('stays readable from 0 to 60 partnerships, whatever their names and counts', () => {
    fc.assert(
      fc.property(series, (all) => {
        const chart = renderStagesChart(STAGES, all, '2026-05-01');
        expect(layoutProblems(chart)).toEqual([]);
        expect(chart.match(/class="partnership"/g) ?? []).toHaveLength(all.length);
        const stages = all.flatMap((s) => STAGES.filter((stage) => s.casesByStage[stage] > 0));
        expect(bars(chart).map((b) => b.stage)).toEqual(stages);
      }),
      { numRuns: 60 },
    );
  });
});

describe('countTicks', () => {
  it('steps 1, 2 or 5 times a power of ten, from 0 to at least the largest value', () => {
    fc.assert(
      fc.property(fc.nat(10_000_000), fc.integer({ min: 100, max: 1000 }), (max, length) => {
        const ticks = countTicks(max, length);
        expect(ticks[0]).toBe(0);
        expect(ticks[ticks.length - 1]).toBeGreaterThanOrEqual(Math.max(1, max));
        const step = ticks[1];
        expect(String(step)).toMatch(/^[125]0*$/);
      }),
    );
  });
});

describe('renderCompletionChart', () => {
  it('draws each year with its share and counts, and the years between without a completion', () => {
    const svg = renderCompletionChart(
      [
        { year: 2026, completed: 1, withinDeadline: 1 },
        { year: 2023, completed: 4, withinDeadline: 1 },
      ],
      'All 4 partnerships',
    );
    const { texts } = parseXml(svg);
    expect(texts).toEqual(expect.arrayContaining(['25% (1 of 4)', '100% (1 of 1)', '2024', '2025']));
    expect(svg.match(/class="bar"/g)).toHaveLength(2);
    expect(svg.match(/class="year"/g)).toHaveLength(4);
    expect(texts.join(' ')).toContain('2024: none completed');
    const [quarter, whole] = bars(svg).map(({ box }) => box.right - box.left);
    expect(whole / quarter).toBeCloseTo(4, 1);
    expect(layoutProblems(svg)).toEqual([]);
  });

  it('draws a no-data picture when no review has been completed', () => {
    const svg = renderCompletionChart([], 'Exeter & Co');
    const { texts } = parseXml(svg);
    expect(texts).toContain('No review has been completed yet');
    expect(texts).toContain('Exeter & Co');
    expect(svg).not.toContain('class="grid"');
  });

  it('stays readable over any number of years, counts and scope names', () => {
    const year = fc.record({ year: fc.integer({ min: 1990, max: 2100 }), completed: fc.nat(100_000), share: fc.double({ min: 0, max: 1, noNaN: true }) });
    fc.assert(
      fc.property(fc.uniqueArray(year, { selector: (y) => y.year, maxLength: 60 }), pictureName, (years, scope) => {
        const svg = renderCompletionChart(
          years.map((y) => ({ year: y.year, completed: y.completed, withinDeadline: Math.floor(y.completed * y.share) })),
          scope,
        );
        expect(layoutProblems(svg)).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });
});
