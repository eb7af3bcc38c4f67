/**
 * The migration that records every published document
 * (migrations/1765071000000-PublishedDocuments.ts; docs/domain.md,
 * "Publication"): a publication recorded before it gets the case's final
 * overview report when that was uploaded before the publication was
 * recorded, and no QA letter.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { PublishedDocuments1765071000000 } from '../../migrations/1765071000000-PublishedDocuments.js';
import { dataSourceOptions } from '../../src/database/data-source-options.js';
import type { DocumentKind } from '../../src/documents/case-document.entity.js';
import { insertCase, insertPublication, partnershipId } from '../support/factories.js';
import { createTestDatabaseWithOwner } from '../support/test-database.js';

describe('the migration that records every published document', () => {
  let owner: DataSource;

  beforeAll(async () => {
    const database = await createTestDatabaseWithOwner();
    owner = await new DataSource(dataSourceOptions({ url: database.migrationUrl, poolSize: 2, statementTimeoutMs: 30_000 })).initialize();
  });
  afterAll(() => owner.destroy());

  /** A document's row alone: the migration never reads the file. */
  async function documentRow(caseId: string, kind: DocumentKind, version: number, final: boolean, uploadedAt: string): Promise<string> {
    const [row] = await owner.query(
      `INSERT INTO case_document (case_id, kind, version, final, original_name, content_type, size_bytes, sha256, storage_key, uploaded_at)
       VALUES ($1, $2, $3, $4, 'report.pdf', 'application/pdf', 100, $5, $6, $7) RETURNING id`,
      [caseId, kind, version, final, '0'.repeat(64), `migration/${caseId}/${kind}/${version}`, uploadedAt],
    );
    return row.id;
  }

  const recorded = async (publicationId: string) =>
    (
      await owner.query(`SELECT overview_report_document_id AS overview, qa_letter_document_id AS letter FROM publication WHERE id = $1`, [publicationId])
    )[0];

  it('gives each publication the final overview report uploaded before it was recorded, and no QA letter', async () => {
    const exeter = await partnershipId(owner, 'exeter');
    const before = await insertCase(owner, { partnershipId: exeter, stage: 'published', completedOn: '2026-04-01' });
    await documentRow(before.id, 'overview_report', 1, false, '2026-04-10T09:00:00Z');
    const finalOverview = await documentRow(before.id, 'overview_report', 2, true, '2026-04-20T09:00:00Z');
    await documentRow(before.id, 'qa_letter', 1, true, '2026-04-25T09:00:00Z');
    const first = await insertPublication(owner, { caseId: before.id, publishedOn: '2026-05-01' });

    // the final overview report was uploaded after the publication: it never passed the check
    const after = await insertCase(owner, { partnershipId: exeter, stage: 'published', completedOn: '2026-04-01' });
    await documentRow(after.id, 'overview_report', 1, true, '2026-06-01T09:00:00Z');
    const second = await insertPublication(owner, { caseId: after.id, publishedOn: '2026-05-01' });

    const migration = new PublishedDocuments1765071000000();
    const runner = owner.createQueryRunner();
    try {
      await migration.down(runner);
      await migration.up(runner);
    } finally {
      await runner.release();
    }

    expect(await recorded(first)).toEqual({ overview: finalOverview, letter: null });
    expect(await recorded(second)).toEqual({ overview: null, letter: null });
  });
});
