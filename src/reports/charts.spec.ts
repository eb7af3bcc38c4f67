import { describe, expect, it } from '@jest/globals';
import { parseXml } from '../../test/support/xml.js';
import { STAGES, type Stage } from '../cases/stages.js';
import { renderCompletionChart, renderStagesChart } from './charts.js';

const counts = (some: Partial<Record<Stage, number>>): Record<Stage, number> =>
  Object.fromEntries(STAGES.map((stage) => [stage, some[stage] ?? 0])) as Record<Stage, number>;

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
    expect(svg).toContain('aria-labelledby="title desc"');
  });

  it('draws one bar per partnership in every stage, and says the counts in words', () => {
    expect(svg.match(/class="bar"/g)).toHaveLength(STAGES.length * 2);
    const { texts } = parseXml(svg);
    expect(texts).toContain('Exeter <City> & "Co", notified: 3');
    expect(texts).toContain('North Devon and Torridge, closed: 2');
    expect(texts.join(' ')).toContain('Exeter <City> & "Co": 3 notified, 0 commissioned');
  });

  it('escapes every text', () => {
    expect(svg).toContain('Exeter &lt;City&gt; &amp; &quot;Co&quot;');
    expect(svg).not.toContain('<City>');
  });

  it('says so when no partnership is in scope', () => {
    const empty = renderStagesChart(STAGES, [], '2026-05-01');
    parseXml(empty);
    expect(empty).toContain('No partnership in scope');
    expect(empty).not.toContain('class="bar"');
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
  });

  it('says when no review has been completed', () => {
    const svg = renderCompletionChart([], 'Exeter & Co');
    const { texts } = parseXml(svg);
    expect(texts).toContain('No review has been completed yet');
    expect(texts).toContain('Exeter & Co');
  });
});
