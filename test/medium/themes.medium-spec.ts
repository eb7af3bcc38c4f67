/**
 * Learning themes (docs/domain.md, "Learning"): the controlled list
 * (ThemesService) and a case's own themes (CaseThemesService), set whole,
 * in scope, audited under the case's partnership.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Actor } from '../../src/access/roles.js';
import { CaseThemesService } from '../../src/themes/case-themes.service.js';
import { ThemesService } from '../../src/themes/themes.service.js';
import { insertActor, insertAgency, insertCase, insertCaseThemes, insertPanelMember, partnershipId, VICTIM_NAME } from '../support/factories.js';
import { auditMark, auditSince, countRows, expectRefused } from '../support/medium-refusals.js';
import { expectNoRealName } from '../support/medium-outcomes.js';
import { startMedium, type Medium } from '../support/medium.js';

let m: Medium;
let caseThemes: CaseThemesService;
let admin: Actor;
let exeter: string;

beforeAll(async () => {
  m = await startMedium();
  caseThemes = m.get(CaseThemesService);
  admin = await insertActor(m.dataSource, { role: 'sdp_admin' });
  exeter = await partnershipId(m.dataSource, 'exeter');
});
afterAll(() => m.close());

const codes = (page: { items: { code: string }[] }) => page.items.map((t) => t.code);
const setThemes = (actor: Actor, caseId: string, themes: string[]) => m.as(actor, () => caseThemes.set(actor, caseId, themes));

describe('ThemesService', () => {
  it('lists the seeded themes in the list’s order, on one page', async () => {
    const page = await m.get(ThemesService).list();
    expect(page.nextCursor).toBeNull();
    expect(page.items.slice(0, 3)).toEqual([
      { code: 'coercive_control', label: 'Coercive control' },
      { code: 'economic_abuse', label: 'Economic abuse' },
      { code: 'stalking', label: 'Stalking' },
    ]);
    expect(page.items).toHaveLength(await countRows(m.dataSource, 'learning_theme'));
  });

  it('names the codes that are not themes, each once, in the order given', async () => {
    const themes = m.get(ThemesService);
    expect(await themes.unknownThemes(m.dataSource.manager, [])).toEqual([]);
    expect(await themes.unknownThemes(m.dataSource.manager, ['stalking', 'gaslighting', 'marac', 'arson', 'gaslighting'])).toEqual(['gaslighting', 'arson']);
  });
});

describe('CaseThemesService', () => {
  it('sets a case’s themes whole, lists them in the list’s order, and audits before and after', async () => {
    const made = await insertCase(m.dataSource, { partnershipId: exeter, stage: 'drafting' });
    await insertCaseThemes(m.dataSource, made.id, ['stalking']);
    const mark = await auditMark(m.dataSource);
    const set = await setThemes(admin, made.id, ['marac', 'coercive_control']);
    expect(codes(set)).toEqual(['coercive_control', 'marac']);
    expect(codes(await caseThemes.list(admin, made.id))).toEqual(['coercive_control', 'marac']);
    const events = await auditSince(m.dataSource, mark);
    expect(events).toEqual([
      expect.objectContaining({
        action: 'case.themes_set',
        actor_id: admin.userId,
        case_id: made.id,
        partnership_id: exeter,
        changes: { themes: { from: ['stalking'], to: ['coercive_control', 'marac'] } },
      }),
    ]);
    expectNoRealName(events, [VICTIM_NAME]);
  });

  it('refuses the whole request for one unknown code, changing nothing', async () => {
    const made = await insertCase(m.dataSource, { partnershipId: exeter, stage: 'drafting' });
    await insertCaseThemes(m.dataSource, made.id, ['suicide']);
    const mark = await auditMark(m.dataSource);
    const refusal = await expectRefused(setThemes(admin, made.id, ['marac', 'not_a_theme']), 400, 'invalid-request');
    expect(refusal.errors).toEqual([{ field: 'themes', message: expect.stringContaining('not_a_theme') }]);
    expect(codes(await caseThemes.list(admin, made.id))).toEqual(['suicide']);
    expect(await auditSince(m.dataSource, mark)).toEqual([]);
  });

  it('lets the case’s review chair set them, and a CSP chair only read them', async () => {
    const reviewChair = await insertActor(m.dataSource, { role: 'review_chair' });
    const made = await insertCase(m.dataSource, { partnershipId: exeter, stage: 'drafting', reviewChairId: reviewChair.userId });
    const cspChair = await insertActor(m.dataSource, { role: 'csp_chair', partnershipId: exeter });
    await setThemes(reviewChair, made.id, ['separation']);
    expect(codes(await caseThemes.list(cspChair, made.id))).toEqual(['separation']);
    await expectRefused(setThemes(cspChair, made.id, ['carer']), 403, 'forbidden');
    expect(await countRows(m.dataSource, 'case_theme', 'case_id = $1', [made.id])).toBe(1);
  });

  it('answers 404 for a case out of scope, as for a missing one, and 403 to an agency lead on the panel', async () => {
    const made = await insertCase(m.dataSource, { partnershipId: exeter, stage: 'drafting' });
    await insertCaseThemes(m.dataSource, made.id, ['carer']);
    const otherChair = await insertActor(m.dataSource, { role: 'csp_chair', partnershipId: await partnershipId(m.dataSource, 'north-devon-torridge') });
    const strangerChair = await insertActor(m.dataSource, { role: 'review_chair' });
    for (const outsider of [otherChair, strangerChair]) {
      await expectRefused(caseThemes.list(outsider, made.id), 404, 'not-found');
      await expectRefused(setThemes(outsider, made.id, ['marac']), 404, 'not-found');
    }
    await expectRefused(caseThemes.list(admin, '00000000-0000-4000-8000-000000000000'), 404, 'not-found');
    const agency = await insertAgency(m.dataSource);
    await insertPanelMember(m.dataSource, { caseId: made.id, agencyId: agency });
    const lead = await insertActor(m.dataSource, { role: 'agency_lead', agencyId: agency });
    await expectRefused(caseThemes.list(lead, made.id), 403, 'forbidden');
    expect(codes(await caseThemes.list(admin, made.id))).toEqual(['carer']);
  });
});
