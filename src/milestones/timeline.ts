import { addDays, daysBetween, type CalendarDate } from '../common/calendar.js';
import { caseName } from '../cases/case-names.js';
import { escapeXml } from '../common/svg.js';
import type { HoldPeriod, Milestone, MilestoneStatus } from './engine.js';

export interface TimelineInput {
  reference: string;
  pseudonym: string | null;
  today: CalendarDate;
  startOn: CalendarDate;
  milestones: Milestone[];
  holds: HoldPeriod[];
}

const WIDTH = 960;
const LABEL_WIDTH = 300;
const STATUS_WIDTH = 90;
const ROW = 30;
const TOP = 70;
const PLOT_LEFT = LABEL_WIDTH;
const PLOT_RIGHT = WIDTH - STATUS_WIDTH;

const COLOURS: Record<MilestoneStatus, string> = {
  pending: '#5b6770',
  due_soon: '#b35c00',
  overdue: '#c0392b',
  met: '#2e7d32',
  met_late: '#8d6e00',
  not_applicable: '#9e9e9e',
};

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** At most this many labelled ticks, however long the span. */
const MAX_TICKS = 18;

/** First-of-month ticks between two dates, every month or every few months on long spans. */
function monthTicks(from: CalendarDate, to: CalendarDate): CalendarDate[] {
  const [fromYear, fromMonth] = from.split('-').map(Number);
  const [toYear, toMonth] = to.split('-').map(Number);
  const months = (toYear - fromYear) * 12 + (toMonth - fromMonth);
  const step = Math.max(1, Math.ceil(months / MAX_TICKS));
  const ticks: CalendarDate[] = [];
  for (let m = step; m <= months; m += step) {
    const index = fromMonth - 1 + m;
    ticks.push(`${fromYear + Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`);
  }
  return ticks;
}

/**
 * The case's milestones on a time axis: due dates (open diamonds) against
 * met dates (dots), holds shaded, today marked. It names the case by
 * reference and pseudonym only.
 */
export function renderTimeline(input: TimelineInput): string {
  const dates = [
    input.startOn,
    input.today,
    ...input.milestones.flatMap((m) => [m.dueOn, m.metOn]),
    ...input.holds.flatMap((h) => [h.startedOn, h.endedOn]),
  ].filter((d): d is string => Boolean(d));
  const from = addDays(dates.reduce((a, b) => (a < b ? a : b)), -7);
  const to = addDays(dates.reduce((a, b) => (a > b ? a : b)), 14);
  const span = Math.max(1, daysBetween(from, to));
  const x = (d: CalendarDate) => PLOT_LEFT + ((PLOT_RIGHT - PLOT_LEFT) * daysBetween(from, d)) / span;
  const height = TOP + ROW * input.milestones.length + 30;
  const bottom = height - 30;
  const name = caseName(input);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12" role="img" aria-labelledby="title">`,
    `<title id="title">${escapeXml(`Milestones of ${name} as of ${input.today}`)}</title>`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="10" y="22" font-size="16" font-weight="bold">${escapeXml(name)}</text>`,
    `<text x="10" y="42" fill="#5b6770">${escapeXml(`Statutory milestones as of ${input.today}. ◇ due · ● met · shaded: on hold`)}</text>`,
  ];
  for (const hold of input.holds) {
    const start = x(hold.startedOn);
    const end = x(hold.endedOn ?? input.today);
    parts.push(
      `<rect class="hold" x="${start.toFixed(1)}" y="${TOP - 10}" width="${Math.max(1, end - start).toFixed(1)}" height="${bottom - TOP + 10}" fill="#90a4ae" fill-opacity="0.25"><title>${escapeXml(`On hold from ${hold.startedOn}${hold.endedOn ? ` to ${hold.endedOn}` : ''}`)}</title></rect>`,
    );
  }
  for (const tick of monthTicks(from, to)) {
    parts.push(
      `<line x1="${x(tick).toFixed(1)}" y1="${TOP - 10}" x2="${x(tick).toFixed(1)}" y2="${bottom}" stroke="#eceff1"/>`,
      `<text x="${x(tick).toFixed(1)}" y="${bottom + 16}" text-anchor="middle" fill="#5b6770">${tick.slice(0, 7)}</text>`,
    );
  }
  input.milestones.forEach((m, i) => {
    const y = TOP + ROW * i + ROW / 2;
    const colour = COLOURS[m.status];
    parts.push(`<g class="milestone" data-key="${escapeXml(m.key)}" data-status="${m.status}">`);
    parts.push(`<text x="10" y="${y + 4}">${escapeXml(truncate(m.title, 44))}</text>`);
    parts.push(`<line x1="${PLOT_LEFT}" y1="${y}" x2="${PLOT_RIGHT}" y2="${y}" stroke="#cfd8dc" stroke-dasharray="2 3"/>`);
    if (m.dueOn && m.metOn) {
      parts.push(`<line x1="${x(m.dueOn).toFixed(1)}" y1="${y}" x2="${x(m.metOn).toFixed(1)}" y2="${y}" stroke="${colour}" stroke-width="2"/>`);
    }
    if (m.dueOn) {
      const cx = x(m.dueOn);
      parts.push(
        `<path class="due" d="M ${cx.toFixed(1)} ${y - 7} l 7 7 l -7 7 l -7 -7 z" fill="#ffffff" stroke="${colour}" stroke-width="2"><title>${escapeXml(`Due ${m.dueOn}`)}</title></path>`,
      );
    }
    if (m.metOn) {
      parts.push(`<circle class="met" cx="${x(m.metOn).toFixed(1)}" cy="${y}" r="5" fill="${colour}"><title>${escapeXml(`Met ${m.metOn}`)}</title></circle>`);
    }
    parts.push(`<text x="${PLOT_RIGHT + 10}" y="${y + 4}" fill="${colour}">${m.status.replace('_', ' ')}</text>`);
    parts.push('</g>');
  });
  const now = x(input.today);
  parts.push(
    `<line class="today" x1="${now.toFixed(1)}" y1="${TOP - 20}" x2="${now.toFixed(1)}" y2="${bottom}" stroke="#1565c0" stroke-width="2" stroke-dasharray="6 3"/>`,
    `<text x="${now.toFixed(1)}" y="${TOP - 24}" text-anchor="middle" fill="#1565c0">today ${input.today}</text>`,
    '</svg>',
  );
  return parts.join('\n');
}
