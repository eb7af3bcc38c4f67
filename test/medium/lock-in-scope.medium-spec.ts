/**
 * A case is read in scope once per request. An upload reads it when it
 * begins (requireCase), reads the file with no lock held, and then only
 * locks it for the write (AccessService.lockInScope): the lock still
 * refuses, as a 404 with an audited denial, a case that left the actor's
 * scope while the file was read.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { HttpException } from '@nestjs/common';
import { AccessService } from '../../src/access/access.service.js';
import type { Actor } from '../../src/access/roles.js';
import { insertActor, insertAgency, insertCase, insertPanelMember, partnershipId } from '../support/factories.js';
import { startMedium, type Medium } from '../support/medium.js';

describe('locking a case already read in scope', () => {
  let m: Medium;
  let access: AccessService;
  let lead: Actor;
  let agency: string;

  beforeAll(async () => {
    m = await startMedium();
    access = m.get(AccessService);
    agency = await insertAgency(m.dataSource, { sector: 'police' });
    lead = await insertActor(m.dataSource, { role: 'agency_lead', agencyId: agency });
  });
  afterAll(() => m.close());

  async function caseOnPanel(): Promise<string> {
    const { id } = await insertCase(m.dataSource, { partnershipId: await partnershipId(m.dataSource, 'exeter'), stage: 'information_gathering' });
    await insertPanelMember(m.dataSource, { caseId: id, agencyId: agency });
    return id;
  }

  it('locks the case while it is still in scope, reading none of its columns again', async () => {
    const caseId = await caseOnPanel();
    const found = await access.requireCase(lead, caseId, 'chronology.upload');
    await m.dataSource.transaction(async (tx) => {
      await access.lockInScope(tx, found, 'chronology.upload');
      // Held: another transaction cannot take the row without waiting.
      const [{ locked }] = await m.dataSource.query(
        `SELECT NOT EXISTS (SELECT 1 FROM review_case WHERE id = $1 FOR UPDATE SKIP LOCKED) AS locked`,
        [caseId],
      );
      expect(locked).toBe(true);
    });
  });

  it('answers 404, and audits the denial, when the case left the actor’s scope after it was read', async () => {
    const caseId = await caseOnPanel();
    const found = await access.requireCase(lead, caseId, 'chronology.upload');
    await m.dataSource.query('DELETE FROM panel_member WHERE case_id = $1', [caseId]);
    const refusal = await m
      .as(lead, () => m.dataSource.transaction((tx) => access.lockInScope(tx, found, 'chronology.upload')))
      .then(() => null, (error: unknown) => error);
    expect(refusal).toBeInstanceOf(HttpException);
    expect((refusal as HttpException).getStatus()).toBe(404);
    const denials = await m.dataSource.query(
      `SELECT details->>'reason' AS reason FROM audit_event WHERE case_id = $1 AND action = 'access.denied'`,
      [caseId],
    );
    expect(denials).toEqual([{ reason: 'not_found_or_out_of_scope' }]);
  });
});
