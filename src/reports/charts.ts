import type { Stage } from '../cases/stages.js';
import { escapeXml, flowLayout, HEADING, label, noDataPicture, openPicture, px, textWidth } from '../common/svg.js';

/**
 * The report charts as small hand-written SVG pictures, for board papers:
 * each with a title and a description a screen reader reads, every text
 * escaped (common/svg.ts), and no name of any person: only partnerships,
 * stages, years and numbers. Both are laid out one row per thing counted
 * (a partnership, a year), so a chart grows downwards with its data and
 * never squeezes a bar below zero (docs/architecture.md, "Pictures").
 */

const WIDTH = 960;
const MARGIN = 16;
const ROW = 24;
const BAR = 14;
/** The least room between two tick labels of an axis. */
const TICK_GAP = 12;
const MUTED = '#5b6770';
const GRID = '#e3e7ea';
/** One colour per stage, in the order of the stage table, told apart also by the white line between segments. */
const STAGE_COLOURS = ['#4e79a7', '#f28e2b', '#bab0ac', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#e15759', '#1f3b5c', '#6b6b6b'];
const BAR_COLOUR = '#1565c0';

/** A stage as people read it: `information_gathering` → "information gathering". */
export function stageLabel(stage: Stage): string {
  return stage.replace(/_/g, ' ');
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/**
 * A whole-number axis from 0 over `length` pixels: the smallest step of 1,
 * 2 or 5 times a power of ten whose tick labels stand at least TICK_GAP
 * apart. Its ticks, the last one the axis's top.
 */
export function countTicks(max: number, length: number): number[] {
  for (let magnitude = 1; magnitude <= 1e12; magnitude *= 10) {
    for (const multiple of [1, 2, 5]) {
      const step = multiple * magnitude;
      const top = Math.max(step, Math.ceil(max / step) * step);
      if ((length * step) / top >= textWidth(String(top)) + TICK_GAP) {
        return Array.from({ length: top / step + 1 }, (_, i) => i * step);
      }
    }
  }
  return [0, Math.max(1, max)];
}

interface Axis {
  ticks: { value: number; label: string }[];
  x: (value: number) => number;
  top: number;
  bottom: number;
  caption: string;
}

/** Vertical gridlines over the rows, their labels below them, and the axis's caption under those. */
function xAxis(axis: Axis, left: number, right: number): string[] {
  return [
    ...axis.ticks.flatMap(({ value, label: text }) => [
      `<line class="grid" x1="${px(axis.x(value))}" y1="${px(axis.top)}" x2="${px(axis.x(value))}" y2="${px(axis.bottom)}" stroke="${GRID}"/>`,
      label(text, { x: axis.x(value), y: axis.bottom + 16, anchor: 'middle', attributes: `fill="${MUTED}"` }),
    ]),
    label(axis.caption, { x: (left + right) / 2, y: axis.bottom + 34, anchor: 'middle', maxWidth: right - left, attributes: `fill="${MUTED}"` }),
  ];
}

/** The heading and the line under it. */
function heading(title: string, subtitle: string): string[] {
  return [
    label(title, { x: MARGIN, y: 26, maxWidth: WIDTH - 2 * MARGIN, style: HEADING }),
    label(subtitle, { x: MARGIN, y: 46, maxWidth: WIDTH - 2 * MARGIN, attributes: `fill="${MUTED}"` }),
  ];
}

export interface StageSeries {
  name: string;
  casesByStage: Record<Stage, number>;
}

/** The partnership names' column of the stages chart. */
const NAME_WIDTH = 220;

/** The legend of the stages: a swatch and the stage's name, in as many lines as they need. */
function stageLegend(stages: readonly Stage[], top: number): { parts: string[]; bottom: number } {
  const widths = stages.map((stage) => 18 + textWidth(stageLabel(stage)));
  const { positions, lastLine } = flowLayout(widths, { left: MARGIN, right: WIDTH - MARGIN, top, lineHeight: 18, gap: 16 });
  const parts = stages.flatMap((stage, i) => [
    `<rect class="swatch" x="${px(positions[i].x)}" y="${px(positions[i].y - 10)}" width="12" height="12" fill="${STAGE_COLOURS[i % STAGE_COLOURS.length]}"/>`,
    label(stageLabel(stage), { x: positions[i].x + 18, y: positions[i].y }),
  ]);
  return { parts, bottom: lastLine };
}

/** A partnership's row: its name, then its cases as one bar, a segment per stage with cases, and their total. */
function partnershipRow(stages: readonly Stage[], s: StageSeries, middle: number, x: (value: number) => number): string[] {
  const parts = [`<g class="partnership">`, label(s.name, { x: MARGIN, y: middle + 4, maxWidth: NAME_WIDTH })];
  let before = 0;
  stages.forEach((stage, g) => {
    const count = s.casesByStage[stage];
    if (count <= 0) return;
    parts.push(
      `<rect class="bar" data-stage="${escapeXml(stage)}" x="${px(x(before))}" y="${px(middle - BAR / 2)}" width="${px(x(before + count) - x(before))}" height="${BAR}" fill="${STAGE_COLOURS[g % STAGE_COLOURS.length]}" stroke="#ffffff"><title>${escapeXml(`${s.name}, ${stageLabel(stage)}: ${count}`)}</title></rect>`,
    );
    before += count;
  });
  parts.push(label(String(before), { x: x(before) + 6, y: middle + 4, attributes: 'class="total"' }), '</g>');
  return parts;
}

/**
 * Cases by stage: one row per partnership, its name on the left and its
 * cases as one bar split by stage, the total at the bar's end. The chart is
 * as tall as its partnerships need; with none, it says so.
 */
export function renderStagesChart(stages: readonly Stage[], series: StageSeries[], asOf: string): string {
  const title = 'Cases by stage';
  if (series.length === 0) {
    const none = `No partnership in scope, as of ${asOf}.`;
    return noDataPicture(WIDTH, { title, heading: title, description: none, lines: [none] });
  }
  const description =
    `As of ${asOf}. ` +
    series.map((s) => `${s.name}: ${stages.map((stage) => `${s.casesByStage[stage]} ${stageLabel(stage)}`).join(', ')}.`).join(' ');
  const totals = series.map((s) => stages.reduce((sum, stage) => sum + s.casesByStage[stage], 0));
  const plotLeft = MARGIN + NAME_WIDTH + 12;
  const plotRight = WIDTH - MARGIN - (textWidth(String(Math.max(0, ...totals))) + 8);
  const ticks = countTicks(Math.max(0, ...totals), plotRight - plotLeft);
  const x = (value: number) => plotLeft + ((plotRight - plotLeft) * value) / ticks[ticks.length - 1];
  const legend = stageLegend(stages, 70);
  const rowsTop = legend.bottom + 22;
  const rowsBottom = rowsTop + ROW * series.length;
  const parts = openPicture({ width: WIDTH, height: rowsBottom + 52 }, title, description);
  const partnerships = series.length === 1 ? '1 partnership' : `${series.length} partnerships`;
  parts.push(...heading(title, `As of ${asOf}, ${partnerships}: each partnership's cases, by stage`), ...legend.parts);
  const axis = { ticks: ticks.map((value) => ({ value, label: String(value) })), x, top: rowsTop - 4, bottom: rowsBottom, caption: 'Number of cases' };
  parts.push(...xAxis(axis, plotLeft, plotRight));
  series.forEach((s, i) => parts.push(...partnershipRow(stages, s, rowsTop + ROW * i + ROW / 2, x)));
  parts.push('</svg>');
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

/** What a year's row says at the end of its bar. */
function yearFigure(entry: CompletionYear): string {
  return entry.completed === 0 ? 'none completed' : `${percent(entry.withinDeadline / entry.completed)} (${entry.withinDeadline} of ${entry.completed})`;
}

/**
 * The share of reviews completed within their regime's deadline, by year of
 * completion: one row per year, its bar from 0 to 100% and the share and
 * the counts behind it at the bar's end. With no completion, it says so.
 */
export function renderCompletionChart(years: CompletionYear[], scope: string): string {
  const shown = everyYear([...years].sort((a, b) => a.year - b.year));
  const title = 'Reviews completed within the deadline, by year of completion';
  const describe = (y: CompletionYear) => `${y.year}: ${y.completed === 0 ? 'none completed' : yearFigure(y)}`;
  if (shown.length === 0) {
    return noDataPicture(WIDTH, { title, heading: title, description: `${scope}. No review has been completed yet.`, lines: [scope, 'No review has been completed yet'] });
  }
  const description = `${scope}. ${shown.map(describe).join('; ')}. Discontinued reviews are left out: they were never completed.`;
  const plotLeft = MARGIN + textWidth(String(Math.max(...shown.map((y) => y.year)))) + 16;
  const plotRight = WIDTH - MARGIN - (Math.max(...shown.map((y) => textWidth(yearFigure(y)))) + 8);
  const x = (share: number) => plotLeft + (plotRight - plotLeft) * share;
  const rowsTop = 70;
  const rowsBottom = rowsTop + ROW * shown.length;
  const parts = openPicture({ width: WIDTH, height: rowsBottom + 52 }, title, description);
  parts.push(...heading(title, scope));
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((value) => ({ value, label: percent(value) }));
  parts.push(...xAxis({ ticks, x, top: rowsTop - 4, bottom: rowsBottom, caption: 'Share completed within the deadline' }, plotLeft, plotRight));
  shown.forEach((entry, i) => {
    const middle = rowsTop + ROW * i + ROW / 2;
    parts.push(`<g class="year" data-year="${entry.year}">`, label(String(entry.year), { x: MARGIN, y: middle + 4 }));
    if (entry.completed > 0) {
      const share = Math.min(1, Math.max(0, entry.withinDeadline / entry.completed));
      parts.push(
        `<rect class="bar" x="${px(plotLeft)}" y="${px(middle - BAR / 2)}" width="${px(x(share) - plotLeft)}" height="${BAR}" fill="${BAR_COLOUR}"><title>${escapeXml(describe(entry))}</title></rect>`,
        label(yearFigure(entry), { x: x(share) + 6, y: middle + 4 }),
      );
    } else {
      parts.push(label(yearFigure(entry), { x: plotLeft + 6, y: middle + 4, attributes: `fill="${MUTED}"` }));
    }
    parts.push('</g>');
  });
  parts.push('</svg>');
  return parts.join('\n');
}
