/**
 * npm run bench:name-matcher
 *
 * Times the text side of the anonymisation check (docs/domain.md, "The
 * anonymisation check") on this machine, with no database: finding the
 * protected terms of two fictional subjects (findTerms) and judging whether
 * the text reads as words (unreadableText), over
 *
 * - a generated 1 MB report (pseudonyms, with a disguised name every
 *   hundred paragraphs), far longer than any final report;
 * - a hostile text of the same size made to make the matcher work: runs of
 *   single letters, hyphens at line ends, long runs of spaces and
 *   letter-spaced marks.
 *
 * The median of RUNS runs each. Writes the figures to docs/benchmarks.md
 * between the bench:name-matcher markers, keeping the other sections.
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { findTerms } from '../src/publication/name-matcher.js';
import { protectedTerms } from '../src/publication/protected-terms.js';
import { unreadableText } from '../src/publication/text-quality.js';
import { currentCommit, mergeSection, percentile, readBenchmarks } from './bench-support.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SIZE = 1_000_000;
const BEGIN = '<!-- bench:name-matcher -->';
const END = '<!-- /bench:name-matcher -->';

const TERMS = protectedTerms(
  [
    { fullName: 'Dominic Fairweather', pseudonym: 'Adult A', address: '14 Larkspur Close, Exmouth, EX8 2QT' },
    { fullName: 'Ellen Marsh-Ockley', pseudonym: 'Adult B', address: null },
  ],
  [],
);

const PARAGRAPH =
  '4.2 The panel read the police records for the night of the call. Adult A told the officers that she was ' +
  'afraid of Adult B, and that a neighbour had heard shouting in the fair weather of the evening before. The ' +
  'officers completed a risk assessment, graded it standard, and no referral was made to the conference.\n';
const DISGUISED = 'The note named D\u043eminic Fair-\nweather, E l l e n and ex8  2qt.\n';

function report(): string {
  const paragraphs: string[] = [];
  for (let length = 0, i = 0; length < SIZE; i++) {
    const paragraph = i % 100 === 99 ? DISGUISED : PARAGRAPH;
    paragraphs.push(paragraph);
    length += paragraph.length;
  }
  return paragraphs.join('');
}

function hostile(): string {
  const pieces = ['a '.repeat(5_000), 'Fair -\n'.repeat(2_000), ' '.repeat(10_000), 'E . l . '.repeat(2_000), 'D\u200bo\u0301m '.repeat(2_000)];
  let text = '';
  for (let i = 0; text.length < SIZE; i++) text += pieces[i % pieces.length];
  return text;
}

/** The median time of RUNS calls, in milliseconds, and what the last call answered. */
function time<T>(run: () => T): { ms: number; answer: T } {
  const times: number[] = [];
  let answer!: T;
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    answer = run();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return { ms: percentile(times.sort((a, b) => a - b), 50), answer };
}

function main(): void {
  const rows: string[] = [];
  for (const [name, text] of [
    ['generated report', report()],
    ['hostile text', hostile()],
  ] as const) {
    const find = time(() => findTerms(text, TERMS));
    const judge = time(() => unreadableText(text));
    rows.push(`| ${name} | ${(text.length / 1e6).toFixed(2)} M | ${find.ms.toFixed(0)} ms | ${find.answer.length} | ${judge.ms.toFixed(0)} ms |`);
  }
  const cpu = cpus();
  const section = [
    BEGIN,
    '## The anonymisation check: finding names in a report’s text',
    '',
    `Measured ${new Date().toISOString().slice(0, 16)}Z at commit ${currentCommit()} by \`npm run bench:name-matcher\`, the median of ${RUNS} runs.`,
    '',
    `- Machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node.js ${process.version}; load average when the run ended ${loadavg().map((n) => n.toFixed(1)).join(', ')}. The machine is shared: figures vary between runs.`,
    `- Terms: the ${TERMS.length} protected terms of the corpus's two fictional subjects (names, their parts, the address, its street and postcode).`,
    '',
    '| text | characters | findTerms | hits | unreadableText |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
    'A final report is a few hundred kilobytes of text at most, so the check costs well under a second a report.',
    END,
  ].join('\n');
  writeFileSync('docs/benchmarks.md', mergeSection(readBenchmarks(), BEGIN, END, section));
  process.stdout.write(section + '\n');
}

main();
