import type { Stage } from '../cases/stages.js';
import { escapeXml } from '../common/svg.js';

/**
 * The report charts as small hand-written SVG pictures, for board papers:
 * each with a title and a description a screen reader reads, every text
 * escaped (common/svg.ts), and no name of any person: only partnerships,
 * stages, years and numbers.
 */

const WIDTH = 960;
const LEFT = 56;
const RIGHT = 24;
const PALETTE = ['#1565c0', '#c75b12', '#2e7d32', '#6a1b9a', '#00838f', '#ad1457', '#5d4037', '#455a64'];
const MUTED = '#5b6770';
const GRID = '#e3e7ea';

/** A stage as people read it: `information_gathering` → "information gathering". */
export function stageLabel(stage: Stage): string {
  return stage.replace(/_/g, ' ');
}

/** A whole-number axis from 0 with at most about six gridlines. */
function countTicks(max: number): number[] {
  const step = Math.max(1, Math.ceil(max / 6));
  const top = Math.max(step, Math.ceil(max / step) * step);
  const ticks: number[] = [];
  for (let t = 0; t <= top; t += step) ticks.push(t);
  return ticks;
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/** The opening of a chart: its size, its accessible name and description, a white ground and its heading. */
function open(height: number, title: string, description: string): string[] {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12" role="img" aria-labelledby="title desc">`,
    `<title id="title">${escapeXml(title)}</title>`,
    `<desc id="desc">${escapeXml(description)}</desc>`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="${LEFT}" y="24" font-size="16" font-weight="bold">${escapeXml(title)}</text>`,
  ];
}

/** Horizontal gridlines with their labels, from `top` (the highest tick) down to `bottom` (0). */
function yAxis(ticks: { value: number; label: string }[], y: (value: number) => number): string[] {
  return ticks.flatMap(({ value, label }) => [
    `<line x1="${LEFT}" y1="${y(value).toFixed(1)}" x2="${WIDTH - RIGHT}" y2="${y(value).toFixed(1)}" stroke="${GRID}"/>`,
    `<text x="${LEFT - 8}" y="${(y(value) + 4).toFixed(1)}" text-anchor="end" fill="${MUTED}">${escapeXml(label)}</text>`,
  ]);
}

export interface StageSeries {
  name: string;
  casesByStage: Record<Stage, number>;
}

/**
 * Cases by stage, one group of bars per stage and one bar per partnership
 * in it, with a legend naming the partnerships.
 */
export function renderStagesChart(stages: readonly Stage[], series: StageSeries[], asOf: string): string {
  const title = 'Cases by stage';
  const description =
    series.length === 0
      ? `No partnership in scope, as of ${asOf}.`
      : `As of ${asOf}. ` +
        series.map((s) => `${s.name}: ${stages.map((stage) => `${s.casesByStage[stage]} ${stageLabel(stage)}`).join(', ')}.`).join(' ');
  const legendRows = Math.ceil(series.length / 3);
  const top = 48 + legendRows * 20 + 16;
  const plotHeight = 260;
  const bottom = top + plotHeight;
  const height = bottom + 110;
  const ticks = countTicks(Math.max(0, ...series.flatMap((s) => stages.map((stage) => s.casesByStage[stage]))));
  const max = ticks[ticks.length - 1];
  const y = (value: number) => bottom - (plotHeight * value) / max;
  const groupWidth = (WIDTH - LEFT - RIGHT) / stages.length;
  const barWidth = Math.min(18, (groupWidth - 12) / Math.max(1, series.length));
  const parts = open(height, title, description);
  series.forEach((s, i) => {
    const x = LEFT + (i % 3) * 290;
    const ly = 48 + Math.floor(i / 3) * 20;
    parts.push(
      `<rect x="${x}" y="${ly - 10}" width="12" height="12" fill="${PALETTE[i % PALETTE.length]}"/>`,
      `<text x="${x + 18}" y="${ly}">${escapeXml(s.name)}</text>`,
    );
  });
  parts.push(...yAxis(ticks.map((value) => ({ value, label: String(value) })), y));
  stages.forEach((stage, g) => {
    const groupLeft = LEFT + g * groupWidth;
    const barsLeft = groupLeft + (groupWidth - barWidth * series.length) / 2;
    parts.push(`<g class="stage" data-stage="${escapeXml(stage)}">`);
    series.forEach((s, i) => {
      const count = s.casesByStage[stage];
      const x = barsLeft + i * barWidth;
      parts.push(
        `<rect class="bar" x="${x.toFixed(1)}" y="${y(count).toFixed(1)}" width="${(barWidth - 2).toFixed(1)}" height="${(bottom - y(count)).toFixed(1)}" fill="${PALETTE[i % PALETTE.length]}"><title>${escapeXml(`${s.name}, ${stageLabel(stage)}: ${count}`)}</title></rect>`,
      );
    });
    const cx = groupLeft + groupWidth / 2;
    parts.push(
      `<text x="${cx.toFixed(1)}" y="${bottom + 14}" text-anchor="end" transform="rotate(-35 ${cx.toFixed(1)} ${bottom + 14})">${escapeXml(stageLabel(stage))}</text>`,
      '</g>',
    );
  });
  parts.push(`<line x1="${LEFT}" y1="${bottom}" x2="${WIDTH - RIGHT}" y2="${bottom}" stroke="${MUTED}"/>`, '</svg>');
  return parts.join('\n');
}

export interface CompletionYear {
  year: number;
  completed: number;
  withinDeadline: number;
}

/** The longest run of years drawn year by year; a longer one shows only the years with completions. */
const MAX_YEARS = 30;

/** Every year from the first to the last with a completion, those without one included, so the axis skips no year. */
function everyYear(years: CompletionYear[]): CompletionYear[] {
  if (years.length === 0 || years[years.length - 1].year - years[0].year >= MAX_YEARS) return years;
  const byYear = new Map(years.map((y) => [y.year, y]));
  const all: CompletionYear[] = [];
  for (let year = years[0].year; year <= years[years.length - 1].year; year += 1) {
    all.push(byYear.get(year) ?? { year, completed: 0, withinDeadline: 0 });
  }
  return all;
}

/**
 * The share of reviews completed within their regime's deadline, by year of
 * completion: one bar per year (0 to 100%), labelled with the share and the
 * counts behind it.
 */
export function renderCompletionChart(years: CompletionYear[], scope: string): string {
  const shown = everyYear([...years].sort((a, b) => a.year - b.year));
  const title = 'Reviews completed within the deadline, by year of completion';
  const describe = (y: CompletionYear) =>
    y.completed === 0 ? `${y.year}: none completed` : `${y.year}: ${percent(y.withinDeadline / y.completed)} (${y.withinDeadline} of ${y.completed})`;
  const description = `${scope}. ` + (shown.length === 0 ? 'No review has been completed yet.' : `${shown.map(describe).join('; ')}.`);
  const top = 56;
  const plotHeight = 260;
  const bottom = top + plotHeight;
  const height = bottom + 60;
  const y = (share: number) => bottom - plotHeight * share;
  const parts = open(height, title, description);
  parts.push(`<text x="${LEFT}" y="42" fill="${MUTED}">${escapeXml(scope)}</text>`);
  parts.push(...yAxis([0, 0.25, 0.5, 0.75, 1].map((value) => ({ value, label: percent(value) })), y));
  if (shown.length === 0) {
    parts.push(`<text x="${WIDTH / 2}" y="${top + plotHeight / 2}" text-anchor="middle" fill="${MUTED}">No review has been completed yet</text>`);
  }
  const slot = (WIDTH - LEFT - RIGHT) / Math.max(1, shown.length);
  const barWidth = Math.min(56, slot * 0.6);
  shown.forEach((entry, i) => {
    const cx = LEFT + slot * i + slot / 2;
    parts.push(`<g class="year" data-year="${entry.year}">`);
    if (entry.completed > 0) {
      const share = entry.withinDeadline / entry.completed;
      parts.push(
        `<rect class="bar" x="${(cx - barWidth / 2).toFixed(1)}" y="${y(share).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${(bottom - y(share)).toFixed(1)}" fill="${PALETTE[0]}"><title>${escapeXml(describe(entry))}</title></rect>`,
        `<text x="${cx.toFixed(1)}" y="${(y(share) - 6).toFixed(1)}" text-anchor="middle">${escapeXml(`${percent(share)} (${entry.withinDeadline} of ${entry.completed})`)}</text>`,
      );
    } else {
      parts.push(`<text x="${cx.toFixed(1)}" y="${bottom - 6}" text-anchor="middle" fill="${MUTED}">none completed</text>`);
    }
    parts.push(`<text x="${cx.toFixed(1)}" y="${bottom + 18}" text-anchor="middle">${entry.year}</text>`, '</g>');
  });
  parts.push(`<line x1="${LEFT}" y1="${bottom}" x2="${WIDTH - RIGHT}" y2="${bottom}" stroke="${MUTED}"/>`, '</svg>');
  return parts.join('\n');
}
