import { caseScopeCondition } from '../../src/access/access.queries.js';
import type { ReviewCase } from '../../src/cases/case.entities.js';
import * as queries from '../../src/cases/cases.queries.js';
import { insertCase, insertHold, partnershipId, VICTIM_NAME } from '../support/factories.js';
import type { SqlSamples } from '../support/sql-snapshot.js';

interface Fixture {
  caseId: string;
  /** North Devon and Torridge: where the samples move the case to. */
  otherPartnershipId: string;
  caseWithoutSubjectsId: string;
  partnershipId: string;
  victimId: string;
  holdId: string;
}

const NOW = new Date('2026-06-01T09:00:00Z');

/** The case as a step or an edit leaves it: the fields the statements write. */
const asWritten = (f: Fixture, fields: Partial<ReviewCase>) =>
  ({
    id: f.caseId,
    summary: 'A summary edited by a sample',
    homeOfficeNotifiedOn: null,
    termsOfReferenceAgreedOn: null,
    reviewChairId: null,
    dateOfDeath: '2026-02-20',
    statutoryCopySentOn: null,
    decisionOutcome: null,
    decidedOn: null,
    decisionRationale: null,
    commissionedOn: null,
    completedOn: null,
    mannerOfDeath: 'homicide',
    relationship: 'intimate_partner',
    policeForceArea: 'Devon and Cornwall',
    stage: 'notified',
    version: 2,
    updatedAt: NOW,
    ...fields,
  }) as ReviewCase;

export default {
  file: 'src/cases/cases.queries.ts',
  queries,
  /** A notified case in Exeter with its default subjects and an ended inquest hold, and one recorded without subjects yet. */
  async setup(db) {
    const partnership = await partnershipId(db, 'exeter');
    const c = await insertCase(db, { partnershipId: partnership });
    const holdId = await insertHold(db, { caseId: c.id, startedOn: '2026-03-05', endedOn: '2026-03-20' });
    const bare = await insertCase(db, { partnershipId: partnership, subjects: [] });
    const otherPartnershipId = await partnershipId(db, 'north-devon-torridge');
    return { caseId: c.id, otherPartnershipId, caseWithoutSubjectsId: bare.id, partnershipId: partnership, victimId: c.subjects.find((s) => s.role === 'victim')!.id, holdId };
  },
  calls: {
    allocateReferenceNumber: (db) => queries.allocateReferenceNumber(db, 2026),
    insertCase: (db, f) =>
      queries.insertCase(db, {
        reference: 'DHR-2026-900',
        partnershipId: f.partnershipId,
        reviewType: 'DHR',
        regime: 'dhr-2016',
        stage: 'notified',
        notifiedOn: '2026-05-01',
        notificationSource: 'Police',
        dateOfDeath: null,
        summary: null,
        createdBy: null,
        createdAt: NOW,
        updatedAt: NOW,
        mannerOfDeath: null,
        relationship: null,
        policeForceArea: 'Devon and Cornwall',
      }),
    updateCaseFields: (db, f) => queries.updateCaseFields(db, asWritten(f, {})),
    setCaseRegime: (db, f) => queries.setCaseRegime(db, f.caseId, 'dardr-2024'),
    moveStage: (db, f) =>
      queries.moveStage(
        db,
        'notified',
        asWritten(f, { stage: 'commissioned', decisionOutcome: 'commission', decidedOn: '2026-03-10', decisionRationale: 'Criteria met', commissionedOn: '2026-03-10' }),
      ),
    caseRecordFacts: (db, f) => queries.caseRecordFacts(db, f.caseId),
    signOffCount: (db, f) => queries.signOffCount(db, f.caseId),
    casesPage: {
      'an SDP admin, no filter': (db) =>
        queries.casesPage(db, { scope: caseScopeCondition({ userId: 'u', role: 'sdp_admin', partnershipId: null, agencyId: null, sessionId: 's' }), rows: 51 }),
      "a CSP chair's, every filter, a later page": (db, f) =>
        queries.casesPage(db, {
          scope: caseScopeCondition({ userId: 'u', role: 'csp_chair', partnershipId: f.partnershipId, agencyId: null, sessionId: 's' }),
          partnershipId: f.partnershipId,
          stage: 'notified',
          onHold: false,
          textPattern: '%DHR%',
          beforeSeq: '1000000',
          rows: 51,
        }),
      'on hold': (db) =>
        queries.casesPage(db, { scope: caseScopeCondition({ userId: 'u', role: 'sdp_admin', partnershipId: null, agencyId: null, sessionId: 's' }), onHold: true, rows: 51 }),
    },
    insertSubjects: (db, f) =>
      queries.insertSubjects(db, f.caseWithoutSubjectsId, [{ role: 'other', fullName: 'Alder Penhallow', pseudonym: 'Sam', dateOfBirth: null, address: null }]),
    caseSubjects: (db, f) => queries.caseSubjects(db, f.caseId),
    subjectsById: (db, f) => queries.subjectsById(db, f.caseId, [f.victimId]),
    updateSubject: (db, f) =>
      queries.updateSubject(db, { id: f.victimId, caseId: f.caseId, position: 0, role: 'victim', fullName: VICTIM_NAME, pseudonym: 'Anna', dateOfBirth: null, address: null }),
    insertTransition: (db, f) =>
      queries.insertTransition(db, { caseId: f.caseId, fromStage: 'notified', toStage: 'commissioned', actorId: null, actorRole: 'csp_chair', comment: null, occurredAt: NOW }),
    transitionsPage: (db, f) => queries.transitionsPage(db, f.caseId, { afterSeq: '0', rows: 51 }),
    holdPeriods: (db, f) => queries.holdPeriods(db, [f.caseId]),
    sameReasonOverlap: (db, f) => queries.sameReasonOverlap(db, f.caseId, 'inquest', '2026-04-01'),
    insertHold: (db, f) =>
      queries.insertHold(db, { caseId: f.caseId, reason: 'criminal_proceedings', startedOn: '2026-04-01', note: null, createdBy: null, createdAt: NOW }),
    holdOfCase: (db, f) => queries.holdOfCase(db, f.caseId, f.holdId),
    endHold: (db, f) => queries.endHold(db, f.holdId, '2026-03-25'),
    caseLabels: (db, f) => queries.caseLabels(db, [f.caseId]),
    loadCaseParts: (db, f) => queries.loadCaseParts(db, f.caseId),
    moveToPartnership: (db, f) => queries.moveToPartnership(db, { id: f.caseId, partnershipId: f.otherPartnershipId, version: 2, updatedAt: NOW }),
    insertTransfer: (db, f) =>
      queries.insertTransfer(db, {
        caseId: f.caseId,
        fromPartnershipId: f.partnershipId,
        toPartnershipId: f.otherPartnershipId,
        reason: 'The victim lived in North Devon.',
        transferredBy: null,
        transferredAt: NOW,
      }),
  },
} satisfies SqlSamples<typeof queries, Fixture>;
