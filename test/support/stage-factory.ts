/**
 * A case put straight at any stage of the stage table (src/cases/stages.ts)
 * with everything that stage implies, written with the direct-insert
 * factories: the decision, the review chair and terms of reference, the
 * panel, the contribution requests and what answered them (an IMR in the
 * document store, a chronology version), the final reports, the family's
 * offer of the draft and the CSP chair's sign-off, the QA round and its
 * approval, the publication and the closure. Each step is in the stage
 * history, dated, so the QA rounds and the milestones read what a walk
 * would have left. Nothing is audited and nobody is told: a test about
 * that walks the case over HTTP (test/support/case-walk.ts).
 *
 * test/medium/stage-factory.medium-spec.ts checks that the application's
 * own facts agree the case is validly at each stage, and that its next
 * step can be taken.
 */
import type { Role } from '../../src/access/roles.js';
import { STAGES, type Stage } from '../../src/cases/stages.js';
import { DOCUMENT_STORE, type DocumentStore } from '../../src/documents/document-store.js';
import { MilestoneStateService } from '../../src/milestones/milestone-state.service.js';
import {
  insertCase,
  insertChronologySubmission,
  insertContributionRequest,
  insertFamilyContact,
  insertPanelMember,
  insertPublication,
  insertQaSubmission,
  insertStoredDocument,
  insertTransition,
  insertAgency,
  insertUser,
  type CaseRow,
  type Db,
  type FileStore,
  type NewCase,
  type NewSubject,
} from './factories.js';
import type { World } from './world.js';
import { minimalDocx } from './zip.js';

export interface FileFixture {
  file: Buffer;
  name: string;
}

export type ReportKind = 'overview_report' | 'executive_summary' | 'action_plan';
export const REPORT_KINDS: readonly ReportKind[] = ['overview_report', 'executive_summary', 'action_plan'];

/** The final reports a review ends with: short DOCX files naming the subjects by pseudonym only. */
export const DEFAULT_REPORTS: Record<ReportKind, FileFixture> = {
  overview_report: { file: minimalDocx('Overview report: Anna lived with Ben for six years.'), name: 'overview.docx' },
  executive_summary: { file: minimalDocx('Executive summary: the review of the death of Anna.'), name: 'summary.docx' },
  action_plan: { file: minimalDocx('Action plan: share risk information sooner.'), name: 'plan.docx' },
};

/** An agency's written account, answering its IMR request. */
const IMR: FileFixture = { file: Buffer.from('Individual management review: the agency saw Anna twice in 2025.\n'), name: 'imr.txt' };

/** The days each step was taken on, in order; all before today, so that every date rule holds. */
export interface StageDates {
  notifiedOn: string;
  decidedOn: string;
  /** The chair assigned, the terms of reference agreed, the panel established. */
  panelOn: string;
  requestedOn: string;
  dueOn: string;
  /** The agencies' contributions came in; the case moved to drafting. */
  submittedOn: string;
  /** The final reports uploaded; the case sent for the CSP chair's sign-off. */
  reportsOn: string;
  /** The family was offered the draft. */
  familyContactOn: string;
  /** The CSP chair's sign-off: the completion date. */
  signedOffOn: string;
  qaSubmittedOn: string;
  qaApprovedOn: string;
  publishedOn: string;
  closedOn: string;
  /** A discontinued review was discontinued on this day. */
  discontinuedOn: string;
}

export const STAGE_DATES: Readonly<StageDates> = Object.freeze({
  notifiedOn: '2026-03-02',
  decidedOn: '2026-03-20',
  panelOn: '2026-04-10',
  requestedOn: '2026-04-20',
  dueOn: '2026-06-30',
  submittedOn: '2026-06-15',
  reportsOn: '2026-07-15',
  familyContactOn: '2026-07-20',
  signedOffOn: '2026-08-03',
  qaSubmittedOn: '2026-08-10',
  qaApprovedOn: '2026-09-01',
  publishedOn: '2026-09-15',
  closedOn: '2026-10-01',
  discontinuedOn: '2026-07-01',
});

/** Who took the steps: ids of users, where the test has them (the history names nobody otherwise). */
export interface StagePeople {
  adminId?: string;
  cspChairId?: string;
}

export interface CaseAtStageOptions {
  partnershipId: string;
  /** The review chair assigned from panel_established on; by default a new one. */
  reviewChairId?: string;
  /** The agencies on the panel, each asked for an IMR and a chronology; by default one new agency. */
  agencyIds?: string[];
  /** The application's document store (DOCUMENT_STORE): required from drafting on, where the case holds documents. */
  store?: FileStore;
  subjects?: NewSubject[];
  /** The final reports uploaded before the sign-off; DEFAULT_REPORTS for those not given. */
  reports?: Partial<Record<ReportKind, FileFixture>>;
  dates?: Partial<StageDates>;
  people?: StagePeople;
  /** Where a discontinued review was discontinued from (DISCONTINUED_FROM by default): it reached that stage first. */
  discontinuedFrom?: DiscontinuedFrom;
  /** Anything else of the case row (its review type, its summary…). */
  record?: Omit<NewCase, 'partnershipId' | 'stage' | 'subjects' | 'notifiedOn' | 'reviewChairId'>;
}

export interface CaseAtStage extends CaseRow {
  reviewChairId: string | null;
  /** The agencies on the panel (none before panel_established). */
  agencyIds: string[];
  contributionIds: string[];
  /** The documents stored, by kind: the IMRs (one per agency) and the final reports. */
  documentIds: Partial<Record<ReportKind | 'imr', string[]>>;
  qaSubmissionIds: string[];
  publicationId: string | null;
}

/** The stages in the order a commissioned review reaches them; not_commissioned is a branch off notified, discontinued one off the stages before the sign-off. */
const COMMISSIONED_PATH: readonly Stage[] = STAGES.filter((stage) => stage !== 'not_commissioned' && stage !== 'discontinued');

/** The stages a review may be discontinued from (docs/domain.md, "Discontinued reviews"). */
export type DiscontinuedFrom = 'commissioned' | 'panel_established' | 'information_gathering' | 'drafting';

/** Where a discontinued case was discontinued from, unless told: its agencies were asked, and had not all answered. */
export const DISCONTINUED_FROM: DiscontinuedFrom = 'information_gathering';

/** Whether a case at `stage` has gone through `reached` on its way (a discontinued one through the stage it was discontinued from). */
export function stageReached(stage: Stage, reached: Stage, discontinuedFrom: DiscontinuedFrom = DISCONTINUED_FROM): boolean {
  if (stage === 'discontinued') return reached === 'discontinued' || stageReached(discontinuedFrom, reached);
  if (reached === 'discontinued') return false;
  if (stage === 'not_commissioned' || reached === 'not_commissioned') return stage === reached || reached === 'notified';
  return COMMISSIONED_PATH.indexOf(stage) >= COMMISSIONED_PATH.indexOf(reached);
}

interface Leg {
  /** The stage this leg ends at. */
  to: Stage;
  from: Stage;
  on: keyof StageDates;
  takenBy: Role;
  /** The rows the step needed, written before it is recorded. */
  make(db: Db, made: Building): Promise<void>;
}

interface Building extends CaseAtStage {
  options: CaseAtStageOptions;
  dates: StageDates;
  /** Whether the case went through `stage` on its way. */
  reached(stage: Stage): boolean;
}

const noon = (day: string) => new Date(`${day}T12:00:00Z`);

function requireStore(made: Building): FileStore {
  if (!made.options.store) throw new Error(`a case at ${made.stage} holds documents: give insertCaseAtStage the application's DOCUMENT_STORE`);
  return made.options.store;
}

async function establishPanel(db: Db, made: Building): Promise<void> {
  made.agencyIds = made.options.agencyIds ?? [await insertAgency(db, { name: `Example Agency for ${made.reference}` })];
  for (const agencyId of made.agencyIds) await insertPanelMember(db, { caseId: made.id, agencyId, addedBy: made.reviewChairId });
}

/** Each panel agency is asked for its IMR and its chronology: outstanding until drafting, closed if the review was discontinued before. */
async function requestContributions(db: Db, made: Building): Promise<void> {
  const resolved = made.reached('drafting');
  const closed = !resolved && made.stage === 'discontinued';
  for (const agencyId of made.agencyIds) {
    for (const kind of ['imr', 'chronology'] as const) {
      const id = await insertContributionRequest(db, {
        caseId: made.id,
        agencyId,
        kind,
        dueOn: made.dates.dueOn,
        status: resolved ? 'submitted' : closed ? 'closed' : 'requested',
        resolvedAt: noon(closed ? made.dates.discontinuedOn : made.dates.submittedOn),
        createdAt: noon(made.dates.requestedOn),
        createdBy: made.reviewChairId,
      });
      made.contributionIds.push(id);
    }
  }
}

/** What submitted the requests: each agency's IMR in the document store, and a version of its chronology. */
async function submitContributions(db: Db, made: Building): Promise<void> {
  const store = requireStore(made);
  const uploadedAt = noon(made.dates.submittedOn);
  made.documentIds.imr = [];
  for (const agencyId of made.agencyIds) {
    made.documentIds.imr.push(await insertStoredDocument(db, store, { caseId: made.id, kind: 'imr', agencyId, ...IMR, uploadedAt }));
    await insertChronologySubmission(db, {
      caseId: made.id,
      agencyId,
      uploadedAt,
      entries: [
        { eventOn: '2025-11-03', source: 'Call record', details: 'Anna called about Ben; advice given.' },
        { eventOn: '2026-01-14', source: 'Visit log', details: 'A home visit; Anna spoke alone with the officer.' },
      ],
    });
  }
}

async function uploadFinalReports(db: Db, made: Building): Promise<void> {
  const store = requireStore(made);
  for (const kind of REPORT_KINDS) {
    const fixture = made.options.reports?.[kind] ?? DEFAULT_REPORTS[kind];
    const id = await insertStoredDocument(db, store, {
      caseId: made.id,
      kind,
      ...fixture,
      uploadedBy: made.reviewChairId,
      uploadedAt: noon(made.dates.reportsOn),
    });
    made.documentIds[kind] = [id];
  }
}

async function offerDraftToFamily(db: Db, made: Building): Promise<void> {
  await insertFamilyContact(db, {
    caseId: made.id,
    contactedOn: made.dates.familyContactOn,
    method: 'meeting',
    draftReportOffered: true,
    createdBy: made.reviewChairId,
  });
}

/** The first round of QA, approved: the submission is made after the sign-off that opened the round. */
async function approveInQa(db: Db, made: Building): Promise<void> {
  const { qaSubmittedOn, qaApprovedOn } = made.dates;
  made.qaSubmissionIds.push(await insertQaSubmission(db, { caseId: made.id, submittedOn: qaSubmittedOn, outcome: 'approved', outcomeOn: qaApprovedOn }));
}

/** Published with the final executive summary; a closed case had its 12 months overridden by the SDP, unless a year had passed. */
async function publish(db: Db, made: Building): Promise<void> {
  const { publishedOn, closedOn } = made.dates;
  const waitedAYear = `${Number(publishedOn.slice(0, 4)) + 1}${publishedOn.slice(4)}` <= closedOn;
  const overridden = made.stage === 'closed' && !waitedAYear;
  made.publicationId = await insertPublication(db, {
    caseId: made.id,
    publishedOn,
    executiveSummaryDocumentId: made.documentIds.executive_summary?.[0] ?? null,
    publishedBy: made.options.people?.cspChairId ?? null,
    closureOverride: overridden ? { reason: 'The action plan was completed early.', by: made.options.people?.adminId ?? null, at: noon(closedOn) } : null,
  });
}

const nothing = async () => undefined;

/** The steps of the stage table a factory takes, each with what it needs first. */
const LEGS: readonly Leg[] = [
  { from: 'notified', to: 'not_commissioned', on: 'decidedOn', takenBy: 'csp_chair', make: nothing },
  { from: 'notified', to: 'commissioned', on: 'decidedOn', takenBy: 'csp_chair', make: nothing },
  { from: 'commissioned', to: 'panel_established', on: 'panelOn', takenBy: 'review_chair', make: establishPanel },
  { from: 'panel_established', to: 'information_gathering', on: 'requestedOn', takenBy: 'review_chair', make: requestContributions },
  { from: 'information_gathering', to: 'drafting', on: 'submittedOn', takenBy: 'review_chair', make: submitContributions },
  { from: 'drafting', to: 'csp_sign_off', on: 'reportsOn', takenBy: 'review_chair', make: uploadFinalReports },
  { from: 'csp_sign_off', to: 'home_office_qa', on: 'signedOffOn', takenBy: 'csp_chair', make: offerDraftToFamily },
  { from: 'home_office_qa', to: 'approved_for_publication', on: 'qaApprovedOn', takenBy: 'sdp_admin', make: approveInQa },
  { from: 'approved_for_publication', to: 'published', on: 'publishedOn', takenBy: 'csp_chair', make: publish },
  { from: 'published', to: 'closed', on: 'closedOn', takenBy: 'csp_chair', make: nothing },
];

function actorOf(made: Building, role: Role): string | null {
  const people = made.options.people ?? {};
  const takers: Partial<Record<Role, string | null>> = { sdp_admin: people.adminId, csp_chair: people.cspChairId, review_chair: made.reviewChairId };
  return takers[role] ?? null;
}

/** The case row's own fields at `stage`: the decision, the chair and terms of reference, the completion date. */
function caseRecord(stage: Stage, options: CaseAtStageOptions, dates: StageDates, reviewChairId: string | null): NewCase {
  const stageReached = reachedBy(stage, options);
  const commissioned = stageReached('commissioned');
  return {
    ...options.record,
    partnershipId: options.partnershipId,
    stage,
    notifiedOn: dates.notifiedOn,
    subjects: options.subjects,
    decision: stage === 'notified' ? null : { outcome: commissioned ? 'commission' : 'no_review', decidedOn: dates.decidedOn, rationale: 'Decided at the CSP meeting.' },
    reviewChairId,
    termsOfReferenceAgreedOn: stageReached('panel_established') ? dates.panelOn : null,
    completedOn: stageReached('home_office_qa') ? dates.signedOffOn : null,
  };
}

/** Whether a case at `stage`, made with these options, went through a stage on its way. */
function reachedBy(stage: Stage, options: CaseAtStageOptions): (reached: Stage) => boolean {
  return (reached) => stageReached(stage, reached, options.discontinuedFrom);
}

/**
 * A case at `stage`, with everything that stage implies, each step in its
 * history. From drafting on it holds documents, whose bytes go to
 * `options.store`.
 */
export async function insertCaseAtStage(db: Db, stage: Stage, options: CaseAtStageOptions): Promise<CaseAtStage> {
  const dates = { ...STAGE_DATES, ...options.dates };
  const reached = reachedBy(stage, options);
  const reviewChairId = reached('panel_established') ? (options.reviewChairId ?? (await insertUser(db, { role: 'review_chair' })).id) : null;
  const row = await insertCase(db, caseRecord(stage, options, dates, reviewChairId));
  const made: Building = { ...row, reviewChairId, agencyIds: [], contributionIds: [], documentIds: {}, qaSubmissionIds: [], publicationId: null, options, dates, reached };
  for (const leg of LEGS.filter((l) => reached(l.to))) {
    await leg.make(db, made);
    await insertTransition(db, { caseId: made.id, from: leg.from, to: leg.to, occurredOn: dates[leg.on], actorId: actorOf(made, leg.takenBy), actorRole: leg.takenBy });
  }
  if (stage === 'discontinued') {
    await insertTransition(db, {
      caseId: made.id,
      from: options.discontinuedFrom ?? DISCONTINUED_FROM,
      to: 'discontinued',
      occurredOn: dates.discontinuedOn,
      actorId: actorOf(made, 'csp_chair'),
      actorRole: 'csp_chair',
      comment: 'Merged into a Safeguarding Adults Review run jointly.',
    });
  }
  const { options: _options, dates: _dates, reached: _reached, ...result } = made;
  return result;
}

/**
 * A case of an end-to-end world at `stage`, as the walk would leave it
 * (test/support/case-walk.ts): an Exeter case, the cast's review chair
 * assigned, the police on the panel, the Exeter CSP chair and the SDP admin
 * taking their steps, its files in the application's document store (a
 * world built with a `dataDir` of its own), and its stored milestones
 * computed as a change to it would have computed them.
 */
export async function caseAtStage(w: World, stage: Stage, options: Partial<CaseAtStageOptions> = {}): Promise<CaseAtStage> {
  const { cast } = w;
  const made = await insertCaseAtStage(w.dataSource, stage, {
    partnershipId: cast.exeter,
    reviewChairId: cast.reviewChair.userId,
    agencyIds: [cast.police],
    store: w.app.get<DocumentStore>(DOCUMENT_STORE),
    people: { adminId: cast.admin.userId, cspChairId: cast.exeterChair.userId },
    ...options,
  });
  await w.app.get(MilestoneStateService).refresh(w.dataSource.manager, [made.id]);
  return made;
}
