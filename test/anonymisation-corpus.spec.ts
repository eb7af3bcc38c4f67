/**
 * The anonymisation check over its hostile corpus (test/fixtures/anonymisation):
 * every file in manifest.json goes through exactly what publication runs
 * (examineDocument), and must give the hits, or the unreadable answer, its
 * entry names. Recall over the corpus must be 100%, and docs/security.md
 * states the corpus's size. `UPDATE_CORPUS=1` writes the files and the
 * manifest afresh from the generators.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { DOCX_TYPE } from '../src/documents/content-recognition.js';
import { examineDocument } from '../src/publication/anonymisation-check.js';
import { protectedTerms, termKey } from '../src/publication/protected-terms.js';
import type { CorpusCase } from './fixtures/anonymisation/corpus.js';
import { CORPUS } from './fixtures/anonymisation/index.js';

const FOLDER = join(process.cwd(), 'test/fixtures/anonymisation');
const MANIFEST = join(FOLDER, 'manifest.json');
const CONTENT_TYPES: Record<string, string> = { '.docx': DOCX_TYPE, '.pdf': 'application/pdf', '.txt': 'text/plain' };

type Entry = Omit<CorpusCase, 'build'>;
const entryOf = ({ file, hides, subjects, addedTerms, expect }: CorpusCase): Entry => ({ file, hides, subjects, addedTerms: addedTerms ?? [], expect });

if (process.env.UPDATE_CORPUS === '1') {
  for (const corpusCase of CORPUS) writeFileSync(join(FOLDER, corpusCase.file), await corpusCase.build());
  writeFileSync(MANIFEST, JSON.stringify(CORPUS.map(entryOf), null, 2) + '\n');
}

const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Entry[];

/** What one file gives: the expected items found, out of those expected. */
async function examine(entry: Entry): Promise<{ found: number; expected: number; problems: string[] }> {
  const contentType = CONTENT_TYPES[extname(entry.file)];
  const terms = protectedTerms(entry.subjects, entry.addedTerms ?? []);
  const finding = await examineDocument(readFileSync(join(FOLDER, entry.file)), contentType, terms);
  if ('unreadable' in entry.expect) {
    return finding.unreadable !== null ? { found: 1, expected: 1, problems: [] } : { found: 0, expected: 1, problems: ['counted as readable'] };
  }
  if (finding.unreadable !== null) return { found: 0, expected: Math.max(1, entry.expect.hits.length), problems: [`unreadable: ${finding.unreadable}`] };
  const hitKeys = new Set(finding.hits.map((hit) => termKey(hit.term)));
  const missed = entry.expect.hits.filter((term) => !hitKeys.has(termKey(term)));
  const problems = missed.map((term) => `missed ${term}`);
  if (entry.expect.hits.length === 0 && finding.hits.length > 0) problems.push(`false hits: ${finding.hits.map((h) => h.term).join(', ')}`);
  return { found: entry.expect.hits.length - missed.length, expected: entry.expect.hits.length, problems };
}

describe('the anonymisation check over its hostile corpus', () => {
  it('has a file in the folder for every generated case, and the manifest says what each must give', () => {
    expect(manifest).toEqual(CORPUS.map(entryOf));
  });

  it.each(manifest.map((entry) => [entry.file, entry] as const))('%s', async (_file, entry) => {
    expect((await examine(entry)).problems).toEqual([]);
  });

  it('finds every name hidden in the corpus (recall 100%), and docs/security.md gives the corpus’s size', async () => {
    let found = 0;
    let expected = 0;
    for (const entry of manifest) {
      const result = await examine(entry);
      found += result.found;
      expected += result.expected;
    }
    expect(found).toBe(expected);
    const security = readFileSync(join(process.cwd(), 'docs/security.md'), 'utf8');
    expect(security).toContain(`corpus of ${manifest.length} files`);
  });
});
