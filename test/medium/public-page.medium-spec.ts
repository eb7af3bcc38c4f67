/**
 * The public page (docs/domain.md, "The public page"): the reviews published
 * and not withdrawn, by reference, pseudonym and learning themes, never a
 * real name; the executive summary that was published, and nothing else of a
 * case; the feed and the summary of learning over the same reviews.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Stage } from '../../src/cases/stages.js';
import { DOCUMENT_STORE, type DocumentStore } from '../../src/documents/document-store.js';
import { PublicPageService } from '../../src/public-page/public-page.service.js';
import { insertCase, insertCaseThemes, insertPublication, partnershipId, PERPETRATOR_NAME, VICTIM_NAME } from '../support/factories.js';
import { startMedium, type Medium } from '../support/medium.js';
import { NOT_FOUND, refusalOf } from '../support/medium-outcomes.js';

describe('the public page (PublicPageService)', () => {
  let m: Medium;
  let dataDir: string;
  let service: PublicPageService;
  let exeter: string;
  const summaryText = Buffer.from('%PDF-1.4 an executive summary, stored as it was published');
  let reviews: { published: string; closed: string; withdrawn: string; notYet: string; noSummary: string };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dhr-medium-public-'));
    m = await startMedium({ dataDir });
    service = m.get(PublicPageService);
    exeter = await partnershipId(m.dataSource, 'exeter');
    const db = m.dataSource;
    const review = async (stage: Stage, publication: Omit<Parameters<typeof insertPublication>[1], 'caseId'> | null) => {
      const made = await insertCase(db, { partnershipId: exeter, stage, completedOn: '2025-06-01', dateOfDeath: '2024-11-02' });
      if (publication) await insertPublication(db, { ...publication, caseId: made.id });
      return made;
    };
    const published = await review('published', null);
    await insertPublication(db, { caseId: published.id, publishedOn: '2026-05-01', executiveSummaryDocumentId: await storedSummary(published.id) });
    await insertCaseThemes(db, published.id, ['coercive_control']);
    const closed = await review('closed', { publishedOn: '2025-03-01' });
    const withdrawn = await review('published', { publishedOn: '2026-04-01', withdrawnOn: '2026-04-20' });
    const notYet = await review('approved_for_publication', null);
    const noSummary = await review('published', { publishedOn: '2026-02-01' });
    reviews = { published: published.reference, closed: closed.reference, withdrawn: withdrawn.reference, notYet: notYet.reference, noSummary: noSummary.reference };
  });
  afterAll(async () => {
    await m.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** A final executive summary in the document store, as publication leaves it. */
  async function storedSummary(caseId: string): Promise<string> {
    const staged = await m.context.get<DocumentStore>(DOCUMENT_STORE).put(Readable.from([summaryText]), 1_000_000);
    await staged.commit();
    const [row] = await m.dataSource.query(
      `INSERT INTO case_document (case_id, kind, version, final, original_name, content_type, size_bytes, sha256, storage_key, uploaded_at)
       VALUES ($1, 'executive_summary', 1, true, 'summary.pdf', 'application/pdf', $2, $3, $4, now()) RETURNING id`,
      [caseId, staged.sizeBytes, staged.sha256, staged.key],
    );
    return row.id;
  }

  it('lists the published and closed reviews not withdrawn, newest first, by pseudonym and theme, never a real name', async () => {
    const page = await service.reviews({ limit: 200 });
    const ours = page.items.filter((r) => Object.values(reviews).includes(r.reference));
    expect(ours.map((r) => r.reference)).toEqual([reviews.published, reviews.noSummary, reviews.closed]);
    expect(ours[0]).toMatchObject({ title: 'Anna', yearOfDeath: 2024, publishedOn: '2026-05-01', themes: [expect.objectContaining({ code: 'coercive_control' })] });
    expect(ours[0].executiveSummaryUrl).toMatch(new RegExp(`${reviews.published}`));
    expect(ours[1].executiveSummaryUrl).toBeNull();
    for (const name of [VICTIM_NAME, PERPETRATOR_NAME]) expect(JSON.stringify(page)).not.toContain(name);
  });

  it('sends the executive summary exactly as published', async () => {
    const file = await service.publishedDocument(reviews.published, 'executive-summary');
    const chunks: Buffer[] = [];
    for await (const chunk of await service.open(file)) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks)).toEqual(summaryText);
  });

  it.each([
    ['a withdrawn review', () => reviews.withdrawn],
    ['a review not yet published', () => reviews.notYet],
    ['a review published without a summary', () => reviews.noSummary],
    ['a reference that is not one', () => '../../etc/passwd'],
  ])('answers 404 for the summary of %s', async (_what, reference) => {
    expect(await refusalOf(service.publishedDocument(reference(), 'executive-summary'))).toEqual(NOT_FOUND);
  });

  it('feeds the same reviews, by reference and pseudonym', async () => {
    const feed = await service.feed();
    expect(feed).toContain(`${reviews.published}: Anna`);
    expect(feed).toContain(reviews.closed);
    expect(feed).not.toContain(reviews.withdrawn);
    expect(feed).not.toContain(reviews.notYet);
    for (const name of [VICTIM_NAME, PERPETRATOR_NAME]) expect(feed).not.toContain(name);
  });

  it('sums up the learning over the reviews on the page alone', async () => {
    const learning = await service.learning();
    expect(learning.reviews).toBe(3);
    expect(learning.themes.find((t) => t.code === 'coercive_control')).toMatchObject({ cases: 1 });
    expect(learning.byYearAndPartnership.map((g) => [g.year, g.reviews])).toEqual([
      [2026, 2],
      [2025, 1],
    ]);
  });
});
