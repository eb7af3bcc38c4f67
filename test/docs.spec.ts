/**
 * The README and docs/domain.md describe the stage table and the statutory
 * milestones to people who will never read the code. This test holds them to
 * the code: a step, a role, an `unmet` code, a milestone key, a regime or a
 * number of months that the prose and the tables disagree about fails here.
 *
 * It reads only the stable shape of the two tables of rules: STEPS entries
 * (`from`, `to`, `takenBy`, `preconditions[].unmet`, `via`) and REGIME_TABLE
 * rules (`key`, `startsOn`, `offset`).
 */
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STEPS } from '../src/cases/stages.js';
import { REGIME_TABLE } from '../src/milestones/regimes.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

// ---- the code, as this test is allowed to see it ----

interface CodeStep {
  from: string;
  to: string;
  takenBy: readonly string[];
  preconditions: readonly { unmet: string }[];
  via?: { endpoint: string; unmet: string };
}

type CodeOffset = { months: number } | { days: number } | { setting: string };

interface CodeRule {
  key: string;
  startsOn: string;
  offset: CodeOffset;
}

const steps: readonly CodeStep[] = STEPS;
const regimes = Object.entries(REGIME_TABLE as unknown as Record<string, { rules: readonly CodeRule[] }>).map(
  ([name, definition]) => ({ name, rules: definition.rules }),
);
const regimeNames = regimes.map((r) => r.name);

const stepId = (from: string, to: string) => `${from} → ${to}`;
const codesOf = (step: CodeStep) => [...step.preconditions.map((p) => p.unmet), ...(step.via ? [step.via.unmet] : [])];
const allUnmetCodes = [...new Set(steps.flatMap(codesOf))].sort();
const allRuleKeys = [...new Set(regimes.flatMap((r) => r.rules.map((rule) => rule.key)))].sort();

// ---- Markdown tables ----

interface Table {
  header: string[];
  rows: string[][];
}

function cellsOf(line: string): string[] {
  return line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((c) => c.trim());
}

/** Every pipe table in a Markdown text, with its header cells and its body rows. */
function tablesIn(markdown: string): Table[] {
  const lines = markdown.split('\n');
  const tables: Table[] = [];
  for (let i = 0; i + 1 < lines.length; i++) {
    if (!lines[i].trim().startsWith('|') || !/^\s*\|(\s*:?-+:?\s*\|)+\s*$/.test(lines[i + 1])) continue;
    const table: Table = { header: cellsOf(lines[i]), rows: [] };
    let j = i + 2;
    for (; j < lines.length && lines[j].trim().startsWith('|'); j++) table.rows.push(cellsOf(lines[j]));
    tables.push(table);
    i = j - 1;
  }
  return tables;
}

/** The one table whose header has a column starting with each of these words (case-insensitive). */
function tableWith(markdown: string, document: string, ...columns: string[]): { table: Table; column: (name: string) => number } {
  const column = (table: Table, name: string) => table.header.findIndex((h) => h.toLowerCase().startsWith(name));
  const found = tablesIn(markdown).filter((t) => columns.every((name) => column(t, name) >= 0));
  if (found.length !== 1) throw new Error(`${document}: expected one table with columns ${columns.join(', ')}, found ${found.length}`);
  return { table: found[0], column: (name) => column(found[0], name) };
}

/** Backticked snake_case words: `review_chair_missing`. Endpoints, settings and prose do not match. */
const snakeCodes = (text: string) => [...text.matchAll(/`([a-z][a-z0-9_]*)`/g)].map((m) => m[1]);

// ---- the step table ----

const ROLE_NAMES: Record<string, string> = {
  'sdp admin': 'sdp_admin',
  'csp chair': 'csp_chair',
  'review chair': 'review_chair',
  'agency lead': 'agency_lead',
};

const rolesIn = (text: string) =>
  Object.entries(ROLE_NAMES)
    .filter(([name]) => text.toLowerCase().includes(name))
    .map(([, role]) => role)
    .sort();

const union = (lists: string[][]) => [...new Set(lists.flat())].sort();

interface DocumentedRow {
  row: string;
  from: string;
  targets: string[];
  roles: string[];
  /** The codes of each target when the row splits them ("`x` / `y`"); otherwise the codes of all its steps together. */
  codes: { perTarget: string[][] } | { together: string[] };
}

/**
 * Reads "| step | who … | … `unmet` … |" rows. A row "a → b / c" stands for
 * the steps a → b and a → c; if its `unmet` cell is split the same way
 * ("`x` / `y`"), each part belongs to its step, otherwise the codes are
 * those of both steps together.
 */
function documentedRows(markdown: string, document: string): DocumentedRow[] {
  const { table, column } = tableWith(markdown, document, 'step', 'who');
  const unmetColumn = table.header.findIndex((h) => h.includes('unmet'));
  if (unmetColumn < 0) throw new Error(`${document}: the step table has no column for the \`unmet\` codes`);
  return table.rows.map((cells) => {
    const stepCell = cells[column('step')].replace(/`/g, '');
    const match = /^([a-z_]+)\s*→\s*([a-z_]+(?:\s*\/\s*[a-z_]+)*)$/.exec(stepCell);
    if (!match) throw new Error(`${document}: cannot read the step "${stepCell}"`);
    const targets = match[2].split('/').map((t) => t.trim());
    const unmetCell = cells[unmetColumn];
    const parts = unmetCell.split(' / ');
    return {
      row: cells.join(' | '),
      from: match[1],
      targets,
      roles: rolesIn(cells[column('who')]),
      codes:
        targets.length > 1 && parts.length === targets.length
          ? { perTarget: parts.map((part) => union([snakeCodes(part)])) }
          : { together: union([snakeCodes(unmetCell)]) },
    };
  });
}

function checkStepTable(markdown: string, document: string): void {
  const rows = documentedRows(markdown, document);
  const byId = new Map(steps.map((s) => [stepId(s.from, s.to), s]));

  // Every row names steps that exist, each step has exactly one row.
  const ids = rows.flatMap((r) => r.targets.map((to) => stepId(r.from, to)));
  expect(ids.filter((id) => !byId.has(id))).toEqual([]);
  expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  expect([...byId.keys()].filter((id) => !ids.includes(id))).toEqual([]);

  for (const r of rows) {
    const rowSteps = r.targets.map((to) => byId.get(stepId(r.from, to))!);
    const documented = 'perTarget' in r.codes ? r.codes.perTarget : [r.codes.together];
    const inCode = 'perTarget' in r.codes ? rowSteps.map((s) => union([codesOf(s)])) : [union(rowSteps.map(codesOf))];
    expect({ row: r.row, unmet: documented }).toEqual({ row: r.row, unmet: inCode });
    for (const step of rowSteps) {
      const id = stepId(step.from, step.to);
      expect({ step: id, takenBy: r.roles }).toEqual({ step: id, takenBy: [...step.takenBy].sort() });
      // A step taken at its own endpoint says where.
      if (step.via) {
        const endpoint = `/${step.via.endpoint.split('/').pop()}`;
        expect({ step: id, names: endpoint, inRow: r.row.includes(endpoint) }).toEqual({ step: id, names: endpoint, inRow: true });
      }
    }
  }
}

// ---- the milestone table ----

/** `familyContactMonths` is configured as FAMILY_CONTACT_MONTHS. */
const settingVariable = (setting: string) => setting.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();

function describeOffset(offset: CodeOffset): string {
  if ('months' in offset) return `${offset.months} months`;
  if ('days' in offset) return `${offset.days} days`;
  return settingVariable(offset.setting);
}

interface DocumentedMilestone {
  key: string;
  regimes: string[];
  startsOn: string;
  /** What the row says each regime's offset is: "6 months", "12 months", "FAMILY_CONTACT_MONTHS". */
  offsetIn: (regime: string) => string;
}

/**
 * Reads "| key | due | met when |" rows: "`key` (`regime`)" limits a rule to
 * the regimes named; "commissioning + 6 months (`dardr-2024`: 12)" gives the
 * start, the offset, and the offset of a regime that differs.
 */
function documentedMilestones(markdown: string, document: string): DocumentedMilestone[] {
  const { table, column } = tableWith(markdown, document, 'key', 'due', 'met when');
  return table.rows.flatMap((cells) => {
    const keyCell = cells[column('key')];
    const key = /`([^`]+)`/.exec(keyCell)?.[1];
    if (!key) throw new Error(`${document}: a milestone row without a key: ${cells.join(' | ')}`);
    if (key.includes(':')) return []; // one milestone per contribution request or action, not a rule of a regime
    const due = cells[column('due')];
    const match = /^(?:the\s+)?([a-z]+)\s*\+\s*(?:(\d+)\s+(months?|days?)|`([A-Z][A-Z0-9_]*)`)/i.exec(due);
    if (!match) throw new Error(`${document}: cannot read when \`${key}\` is due: "${due}"`);
    const unit = match[3]?.startsWith('day') ? 'days' : 'months';
    const base = match[4] ?? `${match[2]} ${unit}`;
    const overrides = new Map([...due.matchAll(/`([a-z0-9-]+)`:\s*(\d+)/g)].map((m) => [m[1], `${m[2]} ${unit}`]));
    const named = [...keyCell.matchAll(/`([^`]+)`/g)].map((m) => m[1]).filter((name) => regimeNames.includes(name));
    return [
      {
        key,
        regimes: (named.length > 0 ? named : regimeNames).sort(),
        startsOn: match[1].toLowerCase(),
        offsetIn: (regime: string) => overrides.get(regime) ?? base,
      },
    ];
  });
}

function checkMilestoneTable(markdown: string, document: string): void {
  const documented = documentedMilestones(markdown, document);
  const keys = documented.map((d) => d.key);
  expect(keys.filter((key) => !allRuleKeys.includes(key))).toEqual([]);
  expect(keys.filter((key, i) => keys.indexOf(key) !== i)).toEqual([]);
  expect(allRuleKeys.filter((key) => !keys.includes(key))).toEqual([]);

  for (const d of documented) {
    const inCode = regimes.filter((r) => r.rules.some((rule) => rule.key === d.key)).map((r) => r.name).sort();
    expect({ key: d.key, regimes: d.regimes }).toEqual({ key: d.key, regimes: inCode });
    for (const regime of regimes) {
      const rule = regime.rules.find((r) => r.key === d.key);
      if (!rule) continue;
      expect({ key: d.key, regime: regime.name, startsOn: d.startsOn, offset: d.offsetIn(regime.name) }).toEqual({
        key: d.key,
        regime: regime.name,
        startsOn: rule.startsOn,
        offset: describeOffset(rule.offset),
      });
    }
  }
}

// ---- docs/domain.md's own structure ----

const slug = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, '')
    .replace(/ /g, '-');

const sectionsOf = (markdown: string) => [...markdown.matchAll(/^## (.+)$/gm)].map((m) => m[1].trim()).filter((h) => h !== 'Contents');

function filesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(ROOT, path)).isDirectory() ? filesUnder(path) : [path];
  });
}

// ---- the checks ----

const readme = read('README.md');
const domain = read('docs/domain.md');

describe('the README', () => {
  it('has the stage table of src/cases/stages.ts: every step, who takes it, and its unmet codes', () => {
    checkStepTable(readme, 'README.md');
  });

  it('has the milestone table of src/milestones/regimes.ts: every rule, its regimes, its start and its months', () => {
    checkMilestoneTable(readme, 'README.md');
  });
});

describe('docs/domain.md', () => {
  it('has the stage table of src/cases/stages.ts', () => {
    checkStepTable(domain, 'docs/domain.md');
  });

  it('has the milestone table of src/milestones/regimes.ts', () => {
    checkMilestoneTable(domain, 'docs/domain.md');
  });

  it('names every unmet code and every milestone key', () => {
    const quoted = (word: string) => domain.includes(`\`${word}\``);
    expect(allUnmetCodes.filter((code) => !quoted(code))).toEqual([]);
    expect(allRuleKeys.filter((key) => !quoted(key))).toEqual([]);
  });

  it('lists its sections at the top, in order, with working links', () => {
    const contents = domain.split(/^## /m).find((part) => part.startsWith('Contents'));
    expect(contents).toBeDefined();
    const listed = [...contents!.matchAll(/^- \[([^\]]+)\]\(#([^)]+)\)/gm)].map((m) => ({ heading: m[1], anchor: m[2] }));
    const sections = sectionsOf(domain);
    expect(listed).toEqual(sections.map((heading) => ({ heading, anchor: slug(heading) })));
  });

  it('has every section that a comment or a document cites by name', () => {
    const sections = new Set(sectionsOf(domain));
    const files = [...filesUnder('src'), ...filesUnder('test'), ...filesUnder('scripts'), ...filesUnder('migrations'), 'README.md', ...filesUnder('docs')];
    const citations = files
      .filter((file) => /\.(ts|md|sh)$/.test(file))
      .flatMap((file) =>
        [...read(file).matchAll(/docs\/domain\.md,\s*"([^"]+)"/g)].map((m) => ({
          file,
          // A citation may wrap across the lines of a comment.
          section: m[1].replace(/\s*\n\s*(?:\*|\/\/|#)?\s*/g, ' '),
        })),
      );
    // "<Section>" is how the page itself shows the form of a citation.
    expect(citations.filter((c) => !sections.has(c.section) && c.section !== '<Section>')).toEqual([]);
  });
});
