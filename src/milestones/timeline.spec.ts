import { describe, expect, it } from '@jest/globals';
import type { Milestone } from './engine.js';
import { renderTimeline } from './timeline.js';

const milestone = (key: string, status: Milestone['status'], dueOn: string | null, metOn: string | null = null): Milestone => ({
  key,
  title: `Title of ${key} <&>`,
  basis: 'basis',
  dueOn,
  adjustedDueOn: dueOn,
  metOn,
  status,
  daysOnHold: 0,
  onHold: false,
});

describe('renderTimeline', () => {
  const svg = renderTimeline({
    reference: 'DHR-2026-007',
    pseudonym: 'Anna',
    today: '2026-06-01',
    startOn: '2026-01-10',
    milestones: [
      milestone('decision', 'met', '2026-02-10', '2026-02-01'),
      milestone('review_completed', 'pending', '2026-08-01'),
      milestone('home_office_notified', 'overdue', '2026-02-10'),
      milestone('home_office_submitted', 'pending', null),
    ],
    holds: [{ startedOn: '2026-03-01', endedOn: '2026-04-01' }, { startedOn: '2026-05-01', endedOn: null }],
  });

  it('draws one row per milestone with due and met marks', () => {
    expect(svg.match(/class="milestone"/g)).toHaveLength(4);
    expect(svg.match(/class="due"/g)).toHaveLength(3);
    expect(svg.match(/class="met"/g)).toHaveLength(1);
    expect(svg).toContain('data-status="overdue"');
  });

  it('shades each hold and marks today', () => {
    expect(svg.match(/class="hold"/g)).toHaveLength(2);
    expect(svg).toContain('On hold from 2026-05-01</title>');
    expect(svg).toContain('today 2026-06-01');
  });

  it('escapes text and names the case by reference and pseudonym', () => {
    expect(svg).toContain('DHR-2026-007 (Anna)');
    expect(svg).toContain('Title of decision &lt;&amp;&gt;');
    expect(svg).not.toContain('<&>');
  });

  it('places later dates further right', () => {
    const x = (key: string) => Number(new RegExp(`data-key="${key}"[\\s\\S]*?class="due" d="M ([\\d.]+)`).exec(svg)![1]);
    expect(x('review_completed')).toBeGreaterThan(x('decision'));
  });
});

describe('renderTimeline over a long span', () => {
  it('keeps the number of ticks small', () => {
    const svg = renderTimeline({
      reference: 'DHR-2026-008',
      pseudonym: null,
      today: '2026-06-01',
      startOn: '2026-01-10',
      milestones: [milestone('contribution:x', 'pending', '2999-12-31')],
      holds: [],
    });
    expect(svg.length).toBeLessThan(20_000);
    expect((svg.match(/<line x1/g) ?? []).length).toBeLessThan(30);
    expect(svg).not.toContain('NaN');
  });
});
