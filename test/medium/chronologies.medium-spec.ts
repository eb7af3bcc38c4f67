/**
 * Agencies' chronologies (docs/domain.md, "Agency contributions"): a real
 * workbook built here, uploaded through ChronologiesService as the upload
 * route hands it on (a file on disk), stored whole as a numbered version or
 * not at all, meeting the agency's open chronology request; the versions
 * listed to an agency lead as their own agency's alone.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ExcelJS from 'exceljs';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Actor } from '../../src/access/roles.js';
import { ChronologiesService, type UploadedChronology } from '../../src/chronologies/chronologies.service.js';
import { insertActor, insertAgency, insertCase, insertContributionRequest, insertPanelMember, partnershipId } from '../support/factories.js';
import { startMedium, type Medium } from '../support/medium.js';
import { auditEvents, FORBIDDEN, NOT_FOUND, problemOf, refusalOf, rowsOfCase, theAuditEvent, unmet } from '../support/medium-outcomes.js';

/** An agency an agency lead asks for that is not theirs: refused before anything is read. */
const OTHER_AGENCY = '00000000-0000-4000-8000-0000000000ee';
const HEADER = ['Date', 'Time', 'Source of information', 'Details of the event', 'Subject', 'Event type', 'Action taken', 'Comment'];
const GOOD_ROWS = [
  [new Date(Date.UTC(2024, 4, 22)), '09:30', 'Control room log', 'Call from a neighbour about shouting', 'Anna', 'Call', 'Officers attended', null],
  ['03/2024', null, 'Custody record', 'Arrest of Ben, released on bail', 'Ben', 'Arrest', null, 'Bail conditions set'],
];

describe('chronologies (ChronologiesService)', () => {
  let m: Medium;
  let dataDir: string;
  let service: ChronologiesService;
  let exeter: string;
  let reviewChair: Actor;
  let files = 0;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dhr-medium-chronologies-'));
    m = await startMedium({ dataDir });
    service = m.get(ChronologiesService);
    exeter = await partnershipId(m.dataSource, 'exeter');
    reviewChair = await insertActor(m.dataSource, { role: 'review_chair' });
  });
  afterAll(async () => {
    await m.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** A one-sheet workbook on disk, as multer leaves an upload. */
  async function workbook(rows: unknown[][], originalname = 'chronology.xlsx'): Promise<UploadedChronology> {
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('Chronology');
    for (const row of [HEADER, ...rows]) sheet.addRow(row);
    const path = join(dataDir, `upload-${(files += 1)}`);
    writeFileSync(path, new Uint8Array(await wb.xlsx.writeBuffer()));
    return { path, originalname, size: statSync(path).size };
  }

  /** A case with the agency on its panel, and that agency's lead. */
  async function panelCase(): Promise<{ caseId: string; agency: string; lead: Actor }> {
    const caseId = (await insertCase(m.dataSource, { partnershipId: exeter, stage: 'information_gathering', reviewChairId: reviewChair.userId })).id;
    const agency = await insertAgency(m.dataSource);
    await insertPanelMember(m.dataSource, { caseId, agencyId: agency });
    return { caseId, agency, lead: await insertActor(m.dataSource, { role: 'agency_lead', agencyId: agency }) };
  }

  const submissions = async (caseId: string) => rowsOfCase(m.dataSource, 'chronology_submission', caseId);

  it('stores a workbook’s rows as the agency’s first version, meets its request, and audits it with the file’s name masked', async () => {
    const { caseId, agency, lead } = await panelCase();
    const request = await insertContributionRequest(m.dataSource, { caseId, agencyId: agency, kind: 'chronology' });
    const stored = await m.as(lead, async () => service.upload(lead, caseId, undefined, await workbook(GOOD_ROWS, 'Marsh-Ockley chronology.xlsx')));
    expect(stored).toMatchObject({ agencyId: agency, version: 1, rowCount: 2 });
    const rows = await m.dataSource.query(
      `SELECT e.row_number, e.event_on::text AS event_on, e.date_precision, e.source FROM chronology_entry e WHERE e.submission_id = $1 ORDER BY e.row_number`,
      [stored.id],
    );
    expect(rows).toEqual([
      { row_number: 2, event_on: '2024-05-22', date_precision: 'day', source: 'Control room log' },
      { row_number: 3, event_on: '2024-03-01', date_precision: 'month', source: 'Custody record' },
    ]);
    const event = await theAuditEvent(m.dataSource, 'chronology.submitted', caseId, lead.userId);
    expect(event.details).toEqual({ agencyId: agency, version: 1, rowCount: 2, contributionRequestsMet: [request] });
    expect(JSON.stringify(event)).not.toContain('Marsh-Ockley');
    const [met] = await m.dataSource.query('SELECT status FROM contribution_request WHERE id = $1', [request]);
    expect(met.status).toBe('submitted');
  });

  it('numbers each agency’s versions, and lists an agency lead only their own agency’s', async () => {
    const { caseId, agency, lead } = await panelCase();
    const other = await insertAgency(m.dataSource);
    await insertPanelMember(m.dataSource, { caseId, agencyId: other });
    const admin = await insertActor(m.dataSource, { role: 'sdp_admin' });
    await m.as(lead, async () => service.upload(lead, caseId, undefined, await workbook(GOOD_ROWS)));
    const second = await m.as(lead, async () => service.upload(lead, caseId, undefined, await workbook(GOOD_ROWS.slice(0, 1))));
    const others = await m.as(admin, async () => service.upload(admin, caseId, other, await workbook(GOOD_ROWS)));
    expect([second.version, others.version]).toEqual([2, 1]);
    expect((await service.list(lead, caseId)).items.map((s) => [s.agencyId, s.version])).toEqual([
      [agency, 1],
      [agency, 2],
    ]);
    expect((await service.list(reviewChair, caseId)).items).toHaveLength(3);
  });

  it('refuses a workbook with a bad row with 422 listing it, and stores no part of it', async () => {
    const { caseId, lead } = await panelCase();
    const file = await workbook([...GOOD_ROWS, ['not a date', null, 'GP record', 'Appointment', null, null, null, null]]);
    const refused = await m.as(lead, () => problemOf(service.upload(lead, caseId, undefined, file)));
    expect(refused).toMatchObject({ status: 422, type: 'urn:dhr:problem:invalid-chronology' });
    expect(refused.errors).toEqual([expect.objectContaining({ row: 4, column: 'date' })]);
    expect(await submissions(caseId)).toBe(0);
    expect(await auditEvents(m.dataSource, 'chronology.submitted', caseId)).toEqual([]);
  });

  it('refuses an agency not involved in the case, an agency lead naming another agency, and a case out of scope', async () => {
    const { caseId, lead } = await panelCase();
    const admin = await insertActor(m.dataSource, { role: 'sdp_admin' });
    const stranger = await insertAgency(m.dataSource);
    const outsider = await insertActor(m.dataSource, { role: 'agency_lead', agencyId: stranger });
    expect(await m.as(admin, async () => refusalOf(service.upload(admin, caseId, stranger, await workbook(GOOD_ROWS))))).toEqual({
      ...unmet('agency_not_involved'),
      code: 'agency-not-involved',
    });
    expect(await m.as(lead, async () => refusalOf(service.upload(lead, caseId, stranger, await workbook(GOOD_ROWS))))).toEqual(FORBIDDEN);
    expect(await m.as(outsider, async () => refusalOf(service.upload(outsider, caseId, undefined, await workbook(GOOD_ROWS))))).toEqual(NOT_FOUND);
    expect(await submissions(caseId)).toBe(0);
  });

  it('audits a read of the combined chronology, and refuses an agency lead another agency’s rows', async () => {
    const { caseId, lead } = await panelCase();
    await m.as(lead, async () => service.upload(lead, caseId, undefined, await workbook(GOOD_ROWS)));
    const page = await m.as(reviewChair, () => service.combined(reviewChair, caseId, {}));
    expect(page.items.map((e) => e.source)).toEqual(['Custody record', 'Control room log']);
    const event = await theAuditEvent(m.dataSource, 'chronology.combined_read', caseId, reviewChair.userId);
    expect(event.details).toMatchObject({ agencyId: null, format: 'json' });
    expect(await m.as(lead, () => refusalOf(service.combined(lead, caseId, { agencyId: OTHER_AGENCY })))).toEqual(FORBIDDEN);
  });
});
