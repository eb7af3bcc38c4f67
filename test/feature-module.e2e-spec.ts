/**
 * A new feature module is its folder, its migration and one line in the list
 * of features (docs/architecture.md, "Adding a feature module"). The sample
 * feature (test/fixtures/sample-feature) is added here by that one line, the
 * list the application boots with, and what it declares reaches the core:
 * its entity is mapped, its fact is read with the others, its refusal code is
 * in the OpenAPI document and its sensitive field is masked in the audit
 * trail. The application's own list holds none of it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AuditService, MASKED } from '../src/audit/audit.service.js';
import type { ReviewCase } from '../src/cases/case.entities.js';
import { CaseFactsService } from '../src/cases/case-facts.js';
import { unmetCodes } from '../src/cases/unmet-codes.js';
import { entitiesOf, sensitiveFieldsOf } from '../src/common/feature-manifest.js';
import { FEATURES } from '../src/features.js';
import { SampleNote } from './fixtures/sample-feature/sample-note.entity.js';
import { sampleFeature } from './fixtures/sample-feature/sample.manifest.js';
import { SAMPLE_FACT } from './fixtures/sample-feature/sample.plugins.js';
import { insertCase, partnershipId } from './support/factories.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('a feature module added by one line', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({}, undefined, undefined, [...FEATURES, sampleFeature]);
  });
  afterAll(() => t?.close());

  it('is foreign to the application as it ships', () => {
    expect(entitiesOf(FEATURES)).not.toContain(SampleNote);
    expect(unmetCodes(FEATURES)).not.toContain('sample_refused');
    expect(sensitiveFieldsOf(FEATURES).has('sampleSecret')).toBe(false);
  });

  it('has its entity mapped by the data source', () => {
    expect(t.dataSource.hasMetadata(SampleNote)).toBe(true);
    expect(t.dataSource.getMetadata(SampleNote).tableName).toBe('sample_note');
  });

  it('has its fact read with every other module’s, for the case asked about', async () => {
    const exeter = await partnershipId(t.dataSource, 'exeter');
    const made = await insertCase(t.dataSource, { partnershipId: exeter, stage: 'notified' });
    const facts = await t.app.get(CaseFactsService).load(t.dataSource.manager, { id: made.id } as ReviewCase);
    expect((facts as unknown as Record<string, unknown>)[SAMPLE_FACT]).toBe(made.reference);
    expect(facts.panelAgencies).toBe(0);
  });

  it('has its refusal code listed in the OpenAPI document', async () => {
    const res = await t.http.get('/api/docs-json');
    expect(res.status).toBe(200);
    const listed: string[] = res.body.components.schemas.Problem.properties.unmet.items.enum;
    expect(listed).toContain('sample_refused');
    expect(listed).toEqual(expect.arrayContaining([...unmetCodes(FEATURES)]));
  });

  it('has its sensitive field masked in the audit trail, wherever it appears', async () => {
    await t.app.get(AuditService).recordNow({
      action: 'sample.noted',
      changes: { sampleSecret: { from: null, to: 'Fictional secret' }, reference: { from: null, to: 'DHR-1' } },
      details: { items: [{ sampleSecret: 'Another fictional secret' }] },
    });
    const [row] = await t.dataSource.query(`SELECT changes, details FROM audit_event WHERE action = 'sample.noted'`);
    expect(row.changes).toEqual({ sampleSecret: { from: null, to: MASKED }, reference: { from: null, to: 'DHR-1' } });
    expect(row.details).toEqual({ items: [{ sampleSecret: MASKED }] });
  });
});
