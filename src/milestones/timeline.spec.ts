import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { pictureName } from '../../test/support/picture-names.js';
import { layoutProblems, pictureGeometry } from '../../test/support/svg-geometry.js';
import { parseXml, type XmlElement } from '../../test/support/xml.js';
import { addDays, daysBetween } from '../common/calendar.js';
import { milestoneStatus, type HoldPeriod, type Milestone } from './engine.js';
import { renderTimeline, type TimelineInput } from './timeline.js';

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

/** Every element placed at a date, with the x it is drawn at. */
function dated(svg: string): { on: string; x: number; element: XmlElement }[] {
  return pictureGeometry(svg)
    .elements.filter((e) => e.attributes['data-on'] !== undefined)
    .map((element) => {
      const a = element.attributes;
      const x = element.name === 'polygon' ? Number(a.points.split(',')[0]) : element.name === 'circle' ? Number(a.cx) : Number(a.x1);
      return { on: a['data-on'], x, element };
    });
}

/** Whether every dated element sits on one increasing linear scale of days, to the picture's rounding. */
function onOneScale(svg: string): boolean {
  const points = dated(svg).sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0));
  const first = points[0];
  const last = points[points.length - 1];
  if (first.on === last.on) return points.every((p) => Math.abs(p.x - first.x) <= 0.1);
  const perDay = (last.x - first.x) / daysBetween(first.on, last.on);
  return perDay > 0 && points.every((p) => Math.abs(first.x + perDay * daysBetween(first.on, p.on) - p.x) <= 0.2);
}

const row = (svg: string, key: string) => pictureGeometry(svg).elements.find((e) => e.attributes['data-key'] === key)!;
const marks = (group: XmlElement, kind: string) =>
  group.children.filter((c): c is XmlElement => typeof c !== 'string' && c.attributes.class === kind).map((e) => e.attributes['data-on']);
const tickLabels = (svg: string) =>
  pictureGeometry(svg)
    .texts.filter((t) => t.element.attributes.class === 'tick-label')
    .map((t) => t.text);
/** The x of a milestone's due mark: the first point of its diamond, the top one. */
const dueX = (svg: string, key: string) => {
  const due = row(svg, key).children.find((c): c is XmlElement => typeof c !== 'string' && c.attributes.class === 'due')!;
  return Number(due.attributes.points.split(',')[0]);
};

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
    expect(layoutProblems(svg)).toEqual([]);
  });

  it('shades each hold and marks today', () => {
    expect(svg.match(/class="hold"/g)).toHaveLength(2);
    expect(svg).toContain('On hold from 2026-05-01</title>');
    expect(parseXml(svg).texts).toContain('today 2026-06-01');
  });

  it('escapes text, names the case by reference and pseudonym, and is accessible', () => {
    expect(svg).toContain('DHR-2026-007 (Anna)');
    expect(svg).toContain('Title of decision &lt;&amp;&gt;');
    expect(svg).not.toContain('<&>');
    expect(svg).toContain('role="img"');
    expect(svg).toContain('aria-labelledby="title desc"');
    expect(parseXml(svg).texts).toContain('Milestones of DHR-2026-007 (Anna) as of 2026-06-01');
  });

  it('places every date on one scale, later dates further right', () => {
    expect(onOneScale(svg)).toBe(true);
    expect(dueX(svg, 'review_completed')).toBeGreaterThan(dueX(svg, 'decision'));
    expect(dueX(svg, 'decision')).toBe(dueX(svg, 'home_office_notified'));
  });

  it('draws a no-data picture when there is no milestone to show', () => {
    const empty = renderTimeline({ reference: 'DHR-2026-009', pseudonym: null, today: '2026-06-01', startOn: '2026-01-10', milestones: [], holds: [] });
    expect(parseXml(empty).texts).toContain('No milestone to show as of 2026-06-01.');
    expect(empty).not.toContain('class="tick"');
    expect(layoutProblems(empty)).toEqual([]);
  });
});

describe('a milestone on hold', () => {
  const held: Milestone = {
    key: 'review_completed',
    title: 'Review completed',
    basis: 'basis',
    dueOn: '2026-02-10',
    adjustedDueOn: '2026-03-13',
    metOn: null,
    status: 'overdue',
    daysOnHold: 31,
    onHold: true,
  };
  const svg = renderTimeline({ reference: 'DHR-2026-010', pseudonym: 'Bea', today: '2026-03-01', startOn: '2025-08-10', milestones: [held], holds: [{ startedOn: '2026-01-29', endedOn: null }] });
  const group = row(svg, 'review_completed');

  it('is drawn at its adjusted due date, its statutory date marked too', () => {
    expect(marks(group, 'due')).toEqual(['2026-03-13']);
    expect(marks(group, 'statutory')).toEqual(['2026-02-10']);
    expect(marks(group, 'extension')).toHaveLength(1);
    expect(onOneScale(svg)).toBe(true);
    expect(layoutProblems(svg)).toEqual([]);
  });

  it('is coloured and labelled on hold, not overdue, and says both dates in words', () => {
    expect(group.attributes).toMatchObject({ 'data-status': 'overdue', 'data-state': 'on_hold' });
    const state = group.children.find((c): c is XmlElement => typeof c !== 'string' && c.attributes.class === 'state')!;
    expect(state.children).toEqual(['on hold']);
    expect(state.attributes.fill).not.toBe('#c0392b');
    expect(parseXml(svg).texts.join(' ')).toContain(
      'Review completed: on hold; overdue against the statutory date; due 2026-03-13; statutory date 2026-02-10, moved 31 days by holds.',
    );
  });
});

describe('a review withheld from publication', () => {
  const input: TimelineInput = {
    reference: 'DHR-2026-012',
    pseudonym: 'Dora',
    today: '2027-03-01',
    startOn: '2026-01-10',
    milestones: [milestone('decision', 'met', '2026-02-10', '2026-02-01')],
    holds: [],
    withheldOn: '2027-01-15',
  };
  const svg = renderTimeline(input);

  it('says so under its name, in its title and in its description', () => {
    const subtitle = pictureGeometry(svg).texts.find((t) => t.element.attributes.class === 'subtitle')!;
    expect(subtitle.element.attributes['data-withheld']).toBe('true');
    expect(subtitle.text).toBe('Review closed without publication (withheld) on 2027-01-15. Milestones as of 2027-03-01');
    const texts = parseXml(svg).texts;
    expect(texts).toContain('Milestones of DHR-2026-012 (Dora) as of 2027-03-01, a review withheld from publication');
    expect(texts.join(' ')).toContain('Review closed without publication (withheld) on 2027-01-15. Title of decision <&>: met;');
    expect(layoutProblems(svg)).toEqual([]);
  });

  it('says nothing of the kind for a review not withheld', () => {
    const going = renderTimeline({ ...input, withheldOn: null });
    expect(going).not.toContain('withheld');
  });
});

describe('a discontinued review', () => {
  const input: TimelineInput = {
    reference: 'DHR-2026-011',
    pseudonym: 'Cara',
    today: '2026-12-01',
    startOn: '2026-01-10',
    milestones: [
      milestone('decision', 'met', '2026-02-10', '2026-02-01'),
      milestone('review_completed', 'not_applicable', null),
      { ...milestone('home_office_notified', 'not_applicable', null), onHold: true },
    ],
    holds: [{ startedOn: '2026-05-01', endedOn: null }],
    discontinued: true,
  };
  const svg = renderTimeline(input);

  it('says so under its name, in its title and in its description', () => {
    const subtitle = pictureGeometry(svg).texts.find((t) => t.element.attributes.class === 'subtitle')!;
    expect(subtitle.element.attributes['data-discontinued']).toBe('true');
    expect(subtitle.text).toBe('Review discontinued: the milestones not met no longer apply. Milestones as of 2026-12-01');
    const texts = parseXml(svg).texts;
    expect(texts).toContain('Milestones of DHR-2026-011 (Cara) as of 2026-12-01, a discontinued review');
    expect(texts.join(' ')).toContain('Review discontinued: the milestones not met no longer apply. Title of decision <&>: met;');
    expect(layoutProblems(svg)).toEqual([]);
  });

  it('draws what was met as met, and the rest as not applicable, never overdue nor on hold, with no due mark', () => {
    expect(row(svg, 'decision').attributes).toMatchObject({ 'data-status': 'met', 'data-state': 'met' });
    for (const key of ['review_completed', 'home_office_notified']) {
      expect(row(svg, key).attributes).toMatchObject({ 'data-status': 'not_applicable', 'data-state': 'not_applicable' });
      expect(marks(row(svg, key), 'due')).toEqual([]);
    }
    expect(svg).not.toContain('data-state="overdue"');
    expect(svg).not.toContain('data-state="on_hold"');
  });

  it('says nothing of the kind for a review that goes on', () => {
    const going = renderTimeline({ ...input, discontinued: false });
    expect(going).not.toContain('discontinued');
    expect(pictureGeometry(going).texts.find((t) => t.element.attributes.class === 'subtitle')!.text).toBe('Milestones as of 2026-12-01');
  });

  it('says so too when it has no milestone to show', () => {
    const empty = renderTimeline({ ...input, milestones: [], holds: [] });
    expect(parseXml(empty).texts).toEqual(expect.arrayContaining(['Review discontinued: the milestones not met no longer apply.', 'No milestone to show as of 2026-12-01.']));
    expect(layoutProblems(empty)).toEqual([]);
  });
});

describe('the time axis', () => {
  const over = (from: string, to: string) =>
    renderTimeline({ reference: 'DHR-2026-011', pseudonym: null, today: from, startOn: from, milestones: [milestone('due', 'pending', to)], holds: [] });

  it('ticks weeks over a month, months over a year, quarters over three years, years beyond', () => {
    expect(tickLabels(over('2026-01-05', '2026-02-05'))).toContain('12 Jan');
    const year = tickLabels(over('2026-01-01', '2026-12-31'));
    expect(year).toEqual(expect.arrayContaining(['Feb', 'Mar', 'Nov', '2026']));
    const three = tickLabels(over('2026-01-01', '2028-12-31')).filter((t) => !/^\d{4}$/.test(t));
    expect(new Set(three)).toEqual(new Set(['Apr', 'Jul', 'Oct', 'Jan']));
    expect(tickLabels(over('2026-01-01', '2999-12-31')).every((t) => /^\d{4}$/.test(t))).toBe(true);
  });

  it('keeps every label apart, from a day to a thousand years', () => {
    for (const to of ['2026-01-02', '2026-02-05', '2026-12-31', '2028-12-31', '2030-06-30', '2999-12-31']) {
      expect(layoutProblems(over('2026-01-01', to))).toEqual([]);
    }
  });
});

describe('renderTimeline, whatever its input', () => {
  const input: fc.Arbitrary<TimelineInput> = fc
    .record({
      startOn: fc.integer({ min: 0, max: 40_000 }).map((days) => addDays('1950-01-01', days)),
      span: fc.integer({ min: 1, max: 1461 }),
      today: fc.double({ min: 0, max: 1.2, noNaN: true }),
      reference: pictureName,
      pseudonym: fc.option(pictureName),
      milestones: fc.array(
        fc.record({
          key: fc.string({ minLength: 1, maxLength: 20 }),
          title: pictureName,
          due: fc.option(fc.double({ min: 0, max: 1, noNaN: true })),
          met: fc.option(fc.double({ min: 0, max: 1, noNaN: true })),
          held: fc.option(fc.integer({ min: 1, max: 400 })),
          onHold: fc.boolean(),
        }),
        { maxLength: 15 },
      ),
      holds: fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.option(fc.integer({ min: 1, max: 200 }))), { maxLength: 3 }),
    })
    .map(({ startOn, span, today: when, reference, pseudonym, milestones, holds }) => {
      const at = (share: number) => addDays(startOn, Math.round(share * span));
      const today = at(when);
      return {
        reference,
        pseudonym,
        today,
        startOn,
        holds: holds.map(([start, days]): HoldPeriod => ({ startedOn: at(start), endedOn: days === null ? null : addDays(at(start), days) })),
        milestones: milestones.map((m): Milestone => {
          const dueOn = m.due === null ? null : at(m.due);
          const metOn = m.met === null ? null : at(m.met);
          const adjustedDueOn = dueOn && m.held ? addDays(dueOn, m.held) : dueOn;
          return {
            key: m.key,
            title: m.title,
            basis: 'basis',
            dueOn,
            adjustedDueOn,
            metOn,
            status: milestoneStatus(dueOn, metOn, today, 14),
            daysOnHold: dueOn && adjustedDueOn ? daysBetween(dueOn, adjustedDueOn) : 0,
            onHold: m.onHold && metOn === null,
          };
        }),
      };
    });

  it('is readable, keeps every date on one scale, and draws each milestone at its adjusted due date', () => {
    fc.assert(
      fc.property(input, (timeline) => {
        const svg = renderTimeline(timeline);
        expect(layoutProblems(svg)).toEqual([]);
        if (timeline.milestones.length === 0) return;
        expect(onOneScale(svg)).toBe(true);
        const rows = pictureGeometry(svg).elements.filter((e) => e.attributes.class === 'milestone');
        timeline.milestones.forEach((m, i) => {
          expect(marks(rows[i], 'due')).toEqual(m.adjustedDueOn ? [m.adjustedDueOn] : []);
          expect(marks(rows[i], 'statutory')).toEqual(m.dueOn && m.adjustedDueOn !== m.dueOn ? [m.dueOn] : []);
          expect(rows[i].attributes['data-state']).toBe(m.onHold ? 'on_hold' : m.status);
        });
      }),
      { numRuns: 80 },
    );
  });
});
