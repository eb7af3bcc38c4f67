import * as queries from '../../src/actions/actions.queries.js';
import type { Actor } from '../../src/access/roles.js';
import { insertAction, insertActor, insertAgency, insertCase, insertRecommendation, partnershipId } from '../support/factories.js';
import type { SqlSamples } from '../support/sql-snapshot.js';

interface Fixture {
  caseId: string;
  agencyId: string;
  recommendationId: string;
  actionId: string;
  admin: Actor;
  agencyLead: Actor;
}

const TODAY = '2026-07-01';

export default {
  file: 'src/actions/actions.queries.ts',
  queries,
  /** A case with a themed recommendation and one agency's action; an SDP admin, and that agency's lead. */
  async setup(db) {
    const c = await insertCase(db, { partnershipId: await partnershipId(db, 'exeter'), stage: 'drafting' });
    const agencyId = await insertAgency(db);
    const recommendationId = await insertRecommendation(db, { caseId: c.id, themes: ['information_sharing'] });
    const actionId = await insertAction(db, { recommendationId, caseId: c.id, ownerAgencyId: agencyId });
    const admin = await insertActor(db, { role: 'sdp_admin' });
    const agencyLead = await insertActor(db, { role: 'agency_lead', agencyId });
    return { caseId: c.id, agencyId, recommendationId, actionId, admin, agencyLead };
  },
  calls: {
    openActionCount: (db, f) => queries.openActionCount(db, f.caseId),
    findRecommendation: (db, f) => queries.findRecommendation(db, f.recommendationId),
    recommendationPage: {
      'every agency': (db, f) => queries.recommendationPage(db, f.caseId, f.admin, { afterSeq: '0', rows: 51 }),
      'an agency lead’s': (db, f) => queries.recommendationPage(db, f.caseId, f.agencyLead, { afterSeq: '0', rows: 51 }),
    },
    insertRecommendation: (db, f) =>
      queries.insertRecommendation(db, { caseId: f.caseId, scope: 'local', text: 'Share risk information early.', agencyId: null, addressee: null, createdBy: f.admin.userId, createdAt: new Date() }),
    addRecommendationThemes: (db, f) => queries.addRecommendationThemes(db, f.recommendationId, ['risk_assessment']),
    recommendationThemes: (db, f) => queries.recommendationThemes(db, [f.recommendationId]),
    recommendationThemeCodes: (db, f) => queries.recommendationThemeCodes(db, [f.caseId]),
    findAction: (db, f) => queries.findAction(db, f.actionId),
    actionOwners: (db, f) => queries.actionOwners(db, f.recommendationId),
    recommendationActions: {
      'every agency': (db, f) => queries.recommendationActions(db, [f.recommendationId], f.admin),
      'an agency lead’s own': (db, f) => queries.recommendationActions(db, [f.recommendationId], f.agencyLead),
    },
    insertAction: (db, f) =>
      queries.insertAction(db, {
        recommendationId: f.recommendationId,
        caseId: f.caseId,
        ownerAgencyId: f.agencyId,
        description: 'Flag repeat callers to the safeguarding team.',
        targetOn: '2026-10-31',
        status: 'not_started',
        completedOn: null,
        closedOn: null,
        closedReason: null,
        createdOn: TODAY,
        createdBy: f.admin.userId,
        createdAt: new Date(),
        updatedAt: new Date(),
        version: 1,
      }),
    updateAction: async (db, f) => {
      const action = (await queries.findAction(db, f.actionId))!;
      await queries.updateAction(db, { ...action, status: 'in_progress', updatedAt: new Date(), version: action.version + 1 });
    },
    insertProgress: (db, f) =>
      queries.insertProgress(db, {
        actionId: f.actionId,
        actorId: f.admin.userId,
        actorRole: 'sdp_admin',
        statusFrom: 'not_started',
        statusTo: 'in_progress',
        note: 'Training booked.',
        occurredAt: new Date(),
      }),
    progressOf: (db, f) => queries.progressOf(db, [f.actionId]),
    actionPage: {
      'an SDP admin’s first page': (db, f) => queries.actionPage(db, f.admin, { limit: 51, today: TODAY }),
      'an agency lead’s, every filter, a later page': (db, f) =>
        queries.actionPage(db, f.agencyLead, {
          status: 'not_started',
          overdue: false,
          agencyId: f.agencyId,
          caseId: f.caseId,
          after: ['2026-01-01', 0],
          limit: 51,
          today: TODAY,
        }),
      overdue: (db, f) => queries.actionPage(db, f.admin, { overdue: true, limit: 51, today: TODAY }),
    },
  },
} satisfies SqlSamples<typeof queries, Fixture>;
