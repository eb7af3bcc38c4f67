import { addDays, daysBetween, type CalendarDate } from '../common/calendar.js';
import { overlaps, textBox, type Box } from '../common/svg.js';

/**
 * The ticks of the timeline's time axis, chosen from its span
 * (docs/architecture.md, "Pictures"): the finest of weeks, fortnights,
 * months, quarters, half-years and years (then 2, 5, 10… years) whose
 * labels, at the body's font size, stand apart. A tick's label has a first
 * line (the day and month, the month, or the year) and, at the first tick
 * and wherever the year changes, the year on a second line.
 */

export interface TimeTick {
  on: CalendarDate;
  label: string;
  /** The year, under the label, at the first tick and where the year changes. */
  year?: string;
}

/** The least room between two tick labels. */
const TICK_GAP = 10;
/** Where the two lines of a tick's label stand, below the axis. */
export const TICK_LINE_1 = 16;
export const TICK_LINE_2 = 30;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function parts(date: CalendarDate): [number, number, number] {
  const [year, month, day] = date.split('-').map(Number);
  return [year, month, day];
}

function dateOf(year: number, month: number, day: number): CalendarDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Years on the second line: at the first tick, and at each tick whose year differs from the one before. */
function withYears(ticks: { on: CalendarDate; label: string }[]): TimeTick[] {
  return ticks.map((tick, i) => {
    const year = tick.on.slice(0, 4);
    return i === 0 || ticks[i - 1].on.slice(0, 4) !== year ? { ...tick, year: String(Number(year)) } : tick;
  });
}

/** Every `weeks`-th Monday from the first one on or after `from`. */
function weekTicks(from: CalendarDate, to: CalendarDate, weeks: number): TimeTick[] {
  const [year, month, day] = parts(from);
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  const ticks: { on: CalendarDate; label: string }[] = [];
  for (let on = addDays(from, (8 - weekday) % 7); on <= to; on = addDays(on, 7 * weeks)) {
    const [, m, d] = parts(on);
    ticks.push({ on, label: `${d} ${MONTHS[m - 1]}` });
  }
  return withYears(ticks);
}

/** The first of every month whose number, from January, is a multiple of `months`. */
function monthTicks(from: CalendarDate, to: CalendarDate, months: number): TimeTick[] {
  const [fromYear, fromMonth, fromDay] = parts(from);
  const ticks: { on: CalendarDate; label: string }[] = [];
  let index = fromYear * 12 + fromMonth - 1 + (fromDay > 1 ? 1 : 0);
  index += (months - (index % months)) % months;
  for (; ; index += months) {
    const on = dateOf(Math.floor(index / 12), (index % 12) + 1, 1);
    if (on > to) break;
    ticks.push({ on, label: MONTHS[index % 12] });
  }
  return withYears(ticks);
}

/** The first of January of every year that is a multiple of `years`. */
function yearTicks(from: CalendarDate, to: CalendarDate, years: number): TimeTick[] {
  const [fromYear, fromMonth, fromDay] = parts(from);
  let year = fromMonth === 1 && fromDay === 1 ? fromYear : fromYear + 1;
  year += (years - (year % years)) % years;
  const ticks: TimeTick[] = [];
  for (; dateOf(year, 1, 1) <= to; year += years) ticks.push({ on: dateOf(year, 1, 1), label: String(year) });
  return ticks;
}

interface TickLevel {
  /** About how many days apart its ticks are, to pass over a level far too fine without listing its ticks. */
  days: number;
  ticks: (from: CalendarDate, to: CalendarDate) => TimeTick[];
}

const LEVELS: TickLevel[] = [
  { days: 7, ticks: (from, to) => weekTicks(from, to, 1) },
  { days: 14, ticks: (from, to) => weekTicks(from, to, 2) },
  ...[1, 3, 6].map((months) => ({ days: 30 * months, ticks: (from: CalendarDate, to: CalendarDate) => monthTicks(from, to, months) })),
  ...[1, 2, 5, 10, 20, 50, 100, 200, 500, 1000].map((years) => ({
    days: 365 * years,
    ticks: (from: CalendarDate, to: CalendarDate) => yearTicks(from, to, years),
  })),
];

/** The boxes of a tick's label lines, as the timeline draws them under an axis at `axisY`. */
export function tickLabelBoxes(tick: TimeTick, x: number, axisY: number): Box[] {
  const first = textBox(x, axisY + TICK_LINE_1, tick.label, undefined, 'middle');
  return tick.year === undefined ? [first] : [first, textBox(x, axisY + TICK_LINE_2, tick.year, undefined, 'middle')];
}

function standApart(ticks: TimeTick[], x: (on: CalendarDate) => number): boolean {
  const boxes = ticks.map((tick) => tickLabelBoxes(tick, x(tick.on), 0));
  return boxes.every((mine, i) => i === 0 || boxes.slice(0, i).every((theirs) => mine.every((a) => theirs.every((b) => !overlaps(a, b, TICK_GAP)))));
}

/**
 * The ticks between `from` and `to` on an axis that places a date at
 * `x(date)`, `length` pixels long: the finest level whose labels stand
 * apart; none when not even one tick per thousand years does.
 */
export function timeTicks(from: CalendarDate, to: CalendarDate, x: (on: CalendarDate) => number, length: number): TimeTick[] {
  const span = Math.max(1, daysBetween(from, to));
  for (const level of LEVELS) {
    if ((span / level.days) * TICK_GAP > length) continue;
    const ticks = level.ticks(from, to);
    if (standApart(ticks, x)) return ticks;
  }
  return [];
}
