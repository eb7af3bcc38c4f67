import { addDays, daysBetween, type CalendarDate } from '../common/calendar.js';
import { caseName } from '../cases/case-names.js';
import { escapeXml, flowLayout, HEADING, label, noDataPicture, openPicture, px, textWidth } from '../common/svg.js';
import { holdSpans, type HoldPeriod, type Milestone, type MilestoneStatus } from './engine.js';
import { TICK_LINE_1, TICK_LINE_2, timeTicks, type TimeTick } from './time-axis.js';

export interface TimelineInput {
  reference: string;
  pseudonym: string | null;
  today: CalendarDate;
  startOn: CalendarDate;
  milestones: Milestone[];
  holds: HoldPeriod[];
  /** The review was discontinued: the picture says so, and its milestones not met are drawn as not applicable, never overdue. */
  discontinued?: boolean;
  /** The day the review was closed without publication (withheld), if it was: the picture says so. */
  withheldOn?: CalendarDate | null;
}

/** What the picture says of a discontinued review, under its name and in its description (docs/domain.md, "Discontinued reviews"). */
export const DISCONTINUED_WORDS = 'Review discontinued: the milestones not met no longer apply.';

/** What the picture says of a review closed without publication (docs/domain.md, "Publication", the withheld review). */
export const withheldWords = (on: CalendarDate) => `Review closed without publication (withheld) on ${on}.`;

/** How a review that ended another way is named in the picture: in its title, under its name, and as a data attribute. */
function endedAnotherWay(input: TimelineInput): { title: string; words: string[]; attribute: string } {
  if (input.discontinued) return { title: ', a discontinued review', words: [DISCONTINUED_WORDS], attribute: ' data-discontinued="true"' };
  if (input.withheldOn) return { title: ', a review withheld from publication', words: [withheldWords(input.withheldOn)], attribute: ' data-withheld="true"' };
  return { title: '', words: [], attribute: '' };
}

/**
 * What a milestone's row is drawn as: its status, except that a milestone
 * waiting while the case is on hold is drawn as on hold, not overdue
 * (docs/architecture.md, "Pictures").
 */
export type DrawnState = MilestoneStatus | 'on_hold';

const STATE_LABELS: Record<DrawnState, string> = {
  pending: 'pending',
  due_soon: 'due soon',
  overdue: 'overdue',
  met: 'met',
  met_late: 'met late',
  not_applicable: 'not applicable',
  on_hold: 'on hold',
};

const COLOURS: Record<DrawnState, string> = {
  pending: '#5b6770',
  due_soon: '#b35c00',
  overdue: '#c0392b',
  met: '#2e7d32',
  met_late: '#8d6e00',
  not_applicable: '#9e9e9e',
  on_hold: '#6a1b9a',
};

const WIDTH = 960;
const MARGIN = 10;
/** The milestone titles' column. */
const LABEL_WIDTH = 280;
const ROW = 30;
const PLOT_LEFT = MARGIN + LABEL_WIDTH + 16;
/** The status column, as wide as its longest label. */
const STATUS_LEFT = WIDTH - MARGIN - Math.max(...Object.values(STATE_LABELS).map((text) => textWidth(text)));
const PLOT_RIGHT = STATUS_LEFT - 16;
const MUTED = '#5b6770';
const TODAY = '#1565c0';

export function drawnState(m: Milestone): DrawnState {
  return m.onHold && m.metOn === null && m.status !== 'not_applicable' ? 'on_hold' : m.status;
}

/** The date a milestone is now due: its adjusted due date, which holds may have moved past the statutory one. */
function dueMark(m: Milestone): CalendarDate | null {
  return m.adjustedDueOn ?? m.dueOn;
}

function movedByHolds(m: Milestone): boolean {
  return m.dueOn !== null && m.adjustedDueOn !== null && m.adjustedDueOn !== m.dueOn;
}

function diamond(cx: number, cy: number, r: number): string {
  return [`${px(cx)},${px(cy - r)}`, `${px(cx + r)},${px(cy)}`, `${px(cx)},${px(cy + r)}`, `${px(cx - r)},${px(cy)}`].join(' ');
}

/** A milestone's dates in words, for its marker's title and the picture's description. */
function describe(m: Milestone): string {
  const state = STATE_LABELS[drawnState(m)];
  const due = dueMark(m);
  const dates = [
    due === null ? 'no due date yet' : `due ${due}`,
    movedByHolds(m) ? `statutory date ${m.dueOn}, moved ${m.daysOnHold} days by holds` : '',
    m.metOn ? `met ${m.metOn}` : '',
  ].filter(Boolean);
  const judged = drawnState(m) === 'on_hold' && m.status !== 'pending' ? `; ${STATE_LABELS[m.status]} against the statutory date` : '';
  return `${m.title}: ${state}${judged}; ${dates.join('; ')}.`;
}

/** The span the axis covers: every date drawn, a week before the first and two after the last. */
function span(input: TimelineInput): { from: CalendarDate; to: CalendarDate } {
  const dates = [
    input.startOn,
    input.today,
    ...input.milestones.flatMap((m) => [m.dueOn, m.adjustedDueOn, m.metOn]),
    ...input.holds.flatMap((h) => [h.startedOn, h.endedOn]),
  ].filter((d): d is string => Boolean(d));
  return { from: addDays(dates.reduce((a, b) => (a < b ? a : b)), -7), to: addDays(dates.reduce((a, b) => (a > b ? a : b)), 14) };
}

interface Legend {
  parts: string[];
  bottom: number;
}

/** What each mark means, in as many lines as it needs. */
function legend(top: number): Legend {
  const items: { text: string; mark: (x: number, y: number) => string }[] = [
    { text: 'due', mark: (x, y) => `<polygon points="${diamond(x + 8, y - 4, 6)}" fill="#ffffff" stroke="${MUTED}" stroke-width="2"/>` },
    { text: 'statutory date, before holds moved it', mark: (x, y) => `<polygon points="${diamond(x + 8, y - 4, 4)}" fill="#ffffff" stroke="${MUTED}"/>` },
    { text: 'met', mark: (x, y) => `<circle cx="${px(x + 8)}" cy="${px(y - 4)}" r="5" fill="${MUTED}"/>` },
    { text: 'on hold', mark: (x, y) => `<rect x="${px(x)}" y="${px(y - 11)}" width="16" height="14" fill="#90a4ae" fill-opacity="0.25"/>` },
    { text: 'today', mark: (x, y) => `<line x1="${px(x + 8)}" y1="${px(y - 11)}" x2="${px(x + 8)}" y2="${px(y + 3)}" stroke="${TODAY}" stroke-width="2" stroke-dasharray="3 2"/>` },
  ];
  const { positions, lastLine } = flowLayout(
    items.map((item) => 22 + textWidth(item.text)),
    { left: MARGIN, right: WIDTH - MARGIN, top, lineHeight: 20, gap: 18 },
  );
  const parts = items.flatMap((item, i) => [item.mark(positions[i].x, positions[i].y), label(item.text, { x: positions[i].x + 22, y: positions[i].y })]);
  return { parts: ['<g class="legend">', ...parts, '</g>'], bottom: lastLine };
}

/** One milestone's row: its title, its marks on the axis, its state. */
function milestoneRow(m: Milestone, middle: number, x: (d: CalendarDate) => number): string[] {
  const state = drawnState(m);
  const colour = COLOURS[state];
  const due = dueMark(m);
  const parts = [
    `<g class="milestone" data-key="${escapeXml(m.key)}" data-status="${m.status}" data-state="${state}">`,
    label(m.title, { x: MARGIN, y: middle + 4, maxWidth: LABEL_WIDTH }),
    `<line x1="${px(PLOT_LEFT)}" y1="${px(middle)}" x2="${px(PLOT_RIGHT)}" y2="${px(middle)}" stroke="#cfd8dc" stroke-dasharray="2 3"/>`,
  ];
  if (movedByHolds(m)) {
    parts.push(
      `<line class="extension" x1="${px(x(m.dueOn!))}" y1="${px(middle)}" x2="${px(x(due!))}" y2="${px(middle)}" stroke="${colour}" stroke-dasharray="4 3"/>`,
      `<polygon class="statutory" data-on="${m.dueOn}" points="${diamond(x(m.dueOn!), middle, 4)}" fill="#ffffff" stroke="${colour}"><title>${escapeXml(`Statutory date ${m.dueOn}`)}</title></polygon>`,
    );
  }
  if (due && m.metOn) {
    parts.push(`<line x1="${px(x(due))}" y1="${px(middle)}" x2="${px(x(m.metOn))}" y2="${px(middle)}" stroke="${colour}" stroke-width="2"/>`);
  }
  if (due) {
    parts.push(`<polygon class="due" data-on="${due}" points="${diamond(x(due), middle, 7)}" fill="#ffffff" stroke="${colour}" stroke-width="2"><title>${escapeXml(describe(m))}</title></polygon>`);
  }
  if (m.metOn) {
    parts.push(`<circle class="met" data-on="${m.metOn}" cx="${px(x(m.metOn))}" cy="${px(middle)}" r="5" fill="${colour}"><title>${escapeXml(`Met ${m.metOn}`)}</title></circle>`);
  }
  parts.push(label(STATE_LABELS[state], { x: STATUS_LEFT, y: middle + 4, attributes: `class="state" fill="${colour}"` }), '</g>');
  return parts;
}

interface Plot {
  top: number;
  bottom: number;
  x: (d: CalendarDate) => number;
}

function holdWords(hold: HoldPeriod): string {
  return `On hold from ${hold.startedOn}${hold.endedOn ? ` to ${hold.endedOn}` : ''}`;
}

/**
 * The days on hold shaded across the rows, from a hold's first day to its end
 * (today, while it lasts): holds that overlap are one shade, as their days
 * count once (holdSpans), its title naming each of them.
 */
function holdShades(input: TimelineInput, plot: Plot): string[] {
  return holdSpans(input.holds, input.today).map((held) => {
    const start = Math.max(PLOT_LEFT, plot.x(held.from));
    const end = Math.min(PLOT_RIGHT, plot.x(held.to));
    const words = held.holds.map(holdWords).join('; ');
    return `<rect class="hold" x="${px(start)}" y="${px(plot.top)}" width="${px(Math.max(0, end - start))}" height="${px(plot.bottom - plot.top)}" fill="#90a4ae" fill-opacity="0.25"><title>${escapeXml(words)}</title></rect>`;
  });
}

/** A gridline per tick across the rows, its label (and year) below them. */
function timeAxis(ticks: TimeTick[], plot: Plot): string[] {
  const tickLabel = (text: string, x: number, y: number) => label(text, { x, y, anchor: 'middle', attributes: `class="tick-label" fill="${MUTED}"` });
  return ticks.flatMap((tick) => {
    const at = plot.x(tick.on);
    return [
      `<line class="tick" data-on="${tick.on}" x1="${px(at)}" y1="${px(plot.top)}" x2="${px(at)}" y2="${px(plot.bottom)}" stroke="#eceff1"/>`,
      tickLabel(tick.label, at, plot.bottom + TICK_LINE_1),
      ...(tick.year === undefined ? [] : [tickLabel(tick.year, at, plot.bottom + TICK_LINE_2)]),
    ];
  });
}

/** Today's line across the rows, and its label above them, kept inside the picture. */
function todayMark(today: CalendarDate, plot: Plot, labelY: number): string[] {
  const now = plot.x(today);
  const text = `today ${today}`;
  const half = textWidth(text) / 2;
  return [
    `<line class="today" data-on="${today}" x1="${px(now)}" y1="${px(plot.top)}" x2="${px(now)}" y2="${px(plot.bottom)}" stroke="${TODAY}" stroke-width="2" stroke-dasharray="6 3"/>`,
    label(text, { x: Math.min(Math.max(now, MARGIN + half), WIDTH - MARGIN - half), y: labelY, anchor: 'middle', attributes: `fill="${TODAY}"` }),
  ];
}

/**
 * The case's milestones on a time axis: each at the date it is now due
 * (adjusted for holds, the statutory date marked too where holds moved it)
 * against its met date, holds shaded, today marked, the ticks chosen from
 * the span. It names the case by reference and pseudonym only.
 */
export function renderTimeline(input: TimelineInput): string {
  const name = caseName(input);
  const endedAs = endedAnotherWay(input);
  const title = `Milestones of ${name} as of ${input.today}${endedAs.title}`;
  const ended = endedAs.words;
  if (input.milestones.length === 0) {
    const none = `No milestone to show as of ${input.today}.`;
    return noDataPicture(WIDTH, { title, heading: name, description: [...ended, none].join(' '), lines: [...ended, none] });
  }
  const { from, to } = span(input);
  const days = Math.max(1, daysBetween(from, to));
  const x = (d: CalendarDate) => PLOT_LEFT + ((PLOT_RIGHT - PLOT_LEFT) * daysBetween(from, d)) / days;
  const key = legend(70);
  const todayY = key.bottom + 26;
  const top = todayY + 14;
  const bottom = top + ROW * input.milestones.length;
  const description = [...ended, ...input.milestones.map(describe), ...input.holds.map((h) => `${holdWords(h)}.`)].join(' ');
  const parts = openPicture({ width: WIDTH, height: bottom + TICK_LINE_2 + 14 }, title, description);
  parts.push(
    label(name, { x: MARGIN, y: 26, maxWidth: WIDTH - 2 * MARGIN, style: HEADING }),
    label([...ended, `Milestones as of ${input.today}`].join(' '), {
      x: MARGIN,
      y: 46,
      maxWidth: WIDTH - 2 * MARGIN,
      attributes: `class="subtitle"${endedAs.attribute} fill="${MUTED}"`,
    }),
    ...key.parts,
  );
  const plot = { top: top - 4, bottom, x };
  parts.push(...holdShades(input, plot), ...timeAxis(timeTicks(from, to, x, PLOT_RIGHT - PLOT_LEFT), plot));
  input.milestones.forEach((m, i) => parts.push(...milestoneRow(m, top + ROW * i + ROW / 2, x)));
  parts.push(...todayMark(input.today, { ...plot, top: top - 8 }, todayY), '</svg>');
  return parts.join('\n');
}
