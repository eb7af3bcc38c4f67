/**
 * Small direct-insert factories: the rows a test needs, written with plain
 * SQL, never through a service. A test about a rule makes exactly the world
 * the rule looks at, in a few milliseconds, and leaves the services it is not
 * about out of it. Every name here is fictional.
 *
 * Each factory takes anything that can run a query (the DataSource, or a
 * transaction's EntityManager) and fills what it is not told with defaults
 * that satisfy the schema's constraints.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Actor, Role } from '../../src/access/roles.js';
import type { ActionStatus, RecommendationScope } from '../../src/actions/action-plan.entities.js';
import type { Sector } from '../../src/agencies/agency.entity.js';
import { formatRefreshToken, hashRefreshSecret, newRefreshSecret } from '../../src/auth/refresh-token.js';
import type { DecisionOutcome, HoldReason, ReviewType, SubjectRole } from '../../src/cases/case.entities.js';
import type { QaOutcome } from '../../src/qa/qa-outcomes.js';
import type { Stage } from '../../src/cases/stages.js';
import type { ContributionKind, ContributionStatus } from '../../src/contributions/contribution-request.entity.js';
import type { DocumentKind } from '../../src/documents/case-document.entity.js';
import { typeByContent } from '../../src/documents/content-recognition.js';
import type { ContactMethod, ContactParty } from '../../src/family-contacts/family-contact.entity.js';

/** Anything that can run SQL: a DataSource, or a transaction's EntityManager. */
export interface Db {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- TypeORM types query parameters as any[]
  query(sql: string, params?: any[]): Promise<any>;
}

export const VICTIM_NAME = 'Ellen Marsh-Ockley';
export const PERPETRATOR_NAME = 'Victor Quarrington';

let made = 0;
/** Unique within a test file's database; the random part keeps rows apart should two files ever share one. */
const uniqueSuffix = () => `${(made += 1)}-${randomBytes(3).toString('hex')}`;

/**
 * Everyone a factory makes shares one password. `npm test` hashes it once for
 * the whole run (scripts/run-tests.ts), with the application's own argon2id
 * settings, so a person costs one INSERT, not a 19 MiB hash.
 */
export function testPassword(): { password: string; hash: string } {
  const raw = process.env.DHR_TEST_PASSWORD;
  if (!raw) throw new Error('DHR_TEST_PASSWORD is not set: run the tests with `npm test`');
  return JSON.parse(raw) as { password: string; hash: string };
}

/** The id of one of the four Devon CSPs the migrations seed, by its code (`exeter`, `north-devon-torridge`…). */
export async function partnershipId(db: Db, code: string): Promise<string> {
  const [row] = await db.query('SELECT id FROM partnership WHERE code = $1', [code]);
  if (!row) throw new Error(`no partnership has code ${code}`);
  return row.id;
}

export async function insertAgency(db: Db, agency: { name?: string; sector?: Sector; active?: boolean } = {}): Promise<string> {
  const [row] = await db.query('INSERT INTO agency (name, sector, active) VALUES ($1, $2, $3) RETURNING id', [
    agency.name ?? `Example Agency ${uniqueSuffix()}`,
    agency.sector ?? 'other',
    agency.active ?? true,
  ]);
  return row.id;
}

export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  partnershipId: string | null;
  agencyId: string | null;
}

export interface NewUser {
  role: Role;
  /** Required for a csp_chair (the schema insists), refused for anyone else. */
  partnershipId?: string;
  /** Required for an agency_lead, refused for anyone else. */
  agencyId?: string;
  email?: string;
  name?: string;
  active?: boolean;
}

/** A user who can sign in with testPassword().password. */
export async function insertUser(db: Db, user: NewUser): Promise<UserRow> {
  const n = uniqueSuffix();
  const email = (user.email ?? `${user.role.replace('_', '.')}.${n}@example.org`).toLowerCase();
  const name = user.name ?? `Test ${user.role} ${n}`;
  const [row] = await db.query(
    `INSERT INTO app_user (email, name, role, partnership_id, agency_id, password_hash, active)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [email, name, user.role, user.partnershipId ?? null, user.agencyId ?? null, testPassword().hash, user.active ?? true],
  );
  return { id: row.id, email, name, role: user.role, partnershipId: user.partnershipId ?? null, agencyId: user.agencyId ?? null };
}

/** A live sign-in session, stored as AuthService stores one: the refresh secret only as its hash. */
export async function insertSession(db: Db, userId: string, now: Date, ttlHours = 12): Promise<{ sessionId: string; refreshToken: string }> {
  const sessionId = randomUUID();
  const secret = newRefreshSecret();
  await db.query(
    'INSERT INTO auth_session (id, user_id, refresh_token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)',
    [sessionId, userId, hashRefreshSecret(secret), now, new Date(now.getTime() + ttlHours * 3600_000)],
  );
  return { sessionId, refreshToken: formatRefreshToken({ sessionId, secret }) };
}

/** What the access guard would resolve for this user on a live session. */
export function actorOf(user: UserRow, sessionId: string): Actor {
  return { userId: user.id, role: user.role, partnershipId: user.partnershipId, agencyId: user.agencyId, sessionId };
}

/** A user of the role with a live session, as the Actor a service receives. */
export async function insertActor(db: Db, user: NewUser, now = new Date()): Promise<Actor> {
  const row = await insertUser(db, user);
  return actorOf(row, (await insertSession(db, row.id, now)).sessionId);
}

export interface NewSubject {
  role: SubjectRole;
  fullName: string;
  pseudonym?: string | null;
  dateOfBirth?: string | null;
  address?: string | null;
}

export const DEFAULT_SUBJECTS: NewSubject[] = [
  { role: 'victim', fullName: VICTIM_NAME, pseudonym: 'Anna', dateOfBirth: '1979-06-11', address: '1 Example Row, Exampleton' },
  { role: 'perpetrator', fullName: PERPETRATOR_NAME, pseudonym: 'Ben' },
];

export interface NewCase {
  partnershipId: string;
  stage?: Stage;
  reviewType?: ReviewType;
  /** Defaults to dhr-2016, the regime in force while dardr-2024 is a draft; the review type does not choose it. */
  regime?: string;
  notifiedOn?: string;
  notificationSource?: string;
  dateOfDeath?: string | null;
  summary?: string | null;
  /** Defaults from the stage: none while notified, no_review when not commissioned, commission beyond. */
  decision?: { outcome: DecisionOutcome; decidedOn: string; rationale?: string } | null;
  /** Defaults to the decision's date when the decision commissions. */
  commissionedOn?: string | null;
  reviewChairId?: string | null;
  termsOfReferenceAgreedOn?: string | null;
  homeOfficeNotifiedOn?: string | null;
  completedOn?: string | null;
  /** The first sign-off; defaults to completedOn (signed off once). */
  firstCompletedOn?: string | null;
  /** A review closed withheld: the decision's date and reason. */
  withheld?: { decidedOn: string; reason: string };
  statutoryCopySentOn?: string | null;
  subjects?: NewSubject[];
  createdBy?: string | null;
  version?: number;
}

export interface CaseRow {
  id: string;
  reference: string;
  partnershipId: string;
  stage: Stage;
  subjects: { id: string; role: SubjectRole }[];
}

function defaultDecision(stage: Stage, notifiedOn: string): NewCase['decision'] {
  if (stage === 'notified') return null;
  return { outcome: stage === 'not_commissioned' ? 'no_review' : 'commission', decidedOn: notifiedOn };
}

/**
 * A case already at `stage`, with its subjects. Its reference comes from the
 * same yearly counter the application uses, so it never collides with a case
 * a service records later. Its stage history holds only the notification:
 * a test about the history should walk the case through the service.
 */
export async function insertCase(db: Db, c: NewCase): Promise<CaseRow> {
  const stage = c.stage ?? 'notified';
  const notifiedOn = c.notifiedOn ?? '2026-03-02';
  const reviewType = c.reviewType ?? 'DHR';
  const decision = c.decision === undefined ? defaultDecision(stage, notifiedOn) : c.decision;
  const commissionedOn = c.commissionedOn !== undefined ? c.commissionedOn : decision?.outcome === 'commission' ? decision.decidedOn : null;
  const year = Number(notifiedOn.slice(0, 4));
  const [allocated] = await db.query(
    `INSERT INTO case_reference_counter (year, last_number) VALUES ($1, 1)
     ON CONFLICT (year) DO UPDATE SET last_number = case_reference_counter.last_number + 1
     RETURNING last_number`,
    [year],
  );
  const reference = `DHR-${year}-${String(allocated.last_number).padStart(3, '0')}`;
  const [row] = await db.query(
    `INSERT INTO review_case (reference, partnership_id, review_type, regime, stage, notified_on, notification_source,
       date_of_death, summary, decision_outcome, decided_on, decision_rationale, commissioned_on, review_chair_id,
       terms_of_reference_agreed_on, home_office_notified_on, completed_on, statutory_copy_sent_on, created_by, version,
       first_completed_on, withheld_on, withholding_reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)
     RETURNING id`,
    [
      reference,
      c.partnershipId,
      reviewType,
      c.regime ?? 'dhr-2016',
      stage,
      notifiedOn,
      c.notificationSource ?? 'Letter from the police public protection unit',
      c.dateOfDeath === undefined ? '2026-02-20' : c.dateOfDeath,
      c.summary === undefined ? 'Death at home following a long history of coercive control.' : c.summary,
      decision?.outcome ?? null,
      decision?.decidedOn ?? null,
      decision ? (decision.rationale ?? 'Recorded by a test factory') : null,
      commissionedOn,
      c.reviewChairId ?? null,
      c.termsOfReferenceAgreedOn ?? null,
      c.homeOfficeNotifiedOn ?? null,
      c.completedOn ?? null,
      c.statutoryCopySentOn ?? null,
      c.createdBy ?? null,
      c.version ?? 1,
      c.firstCompletedOn !== undefined ? c.firstCompletedOn : (c.completedOn ?? null),
      c.withheld?.decidedOn ?? null,
      c.withheld?.reason ?? null,
    ],
  );
  const subjects: CaseRow['subjects'] = [];
  for (const [position, s] of (c.subjects ?? DEFAULT_SUBJECTS).entries()) {
    const [subject] = await db.query(
      `INSERT INTO case_subject (case_id, position, role, full_name, pseudonym, date_of_birth, address)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [row.id, position, s.role, s.fullName, s.pseudonym ?? null, s.dateOfBirth ?? null, s.address ?? null],
    );
    subjects.push({ id: subject.id, role: s.role });
  }
  await db.query(`INSERT INTO case_transition (case_id, from_stage, to_stage, actor_id, occurred_at) VALUES ($1, NULL, 'notified', $2, $3)`, [
    row.id,
    c.createdBy ?? null,
    `${notifiedOn}T12:00:00Z`,
  ]);
  return { id: row.id, reference, partnershipId: c.partnershipId, stage, subjects };
}

export async function insertHold(
  db: Db,
  hold: { caseId: string; reason?: HoldReason; startedOn?: string; endedOn?: string | null; note?: string | null },
): Promise<string> {
  const [row] = await db.query(
    'INSERT INTO case_hold (case_id, reason, started_on, ended_on, note) VALUES ($1, $2, $3, $4, $5) RETURNING id',
    [hold.caseId, hold.reason ?? 'inquest', hold.startedOn ?? '2026-03-05', hold.endedOn ?? null, hold.note ?? null],
  );
  return row.id;
}

export async function insertPanelMember(db: Db, member: { caseId: string; agencyId: string; addedBy?: string | null }): Promise<void> {
  await db.query('INSERT INTO panel_member (case_id, agency_id, added_by) VALUES ($1, $2, $3)', [
    member.caseId,
    member.agencyId,
    member.addedBy ?? null,
  ]);
}

/** A contribution request; a submitted or waived one is resolved, a waived one carries its reason. */
export async function insertContributionRequest(
  db: Db,
  request: {
    caseId: string;
    agencyId: string;
    kind?: ContributionKind;
    dueOn?: string;
    status?: ContributionStatus;
    waivedReason?: string;
    resolvedAt?: Date;
    createdAt?: Date;
    createdBy?: string | null;
  },
): Promise<string> {
  const status = request.status ?? 'requested';
  const [row] = await db.query(
    `INSERT INTO contribution_request (case_id, agency_id, kind, due_on, status, waived_reason, resolved_at, created_at, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [
      request.caseId,
      request.agencyId,
      request.kind ?? 'imr',
      request.dueOn ?? '2026-08-01',
      status,
      status === 'waived' ? (request.waivedReason ?? 'Waived by a test factory') : null,
      status === 'requested' ? null : (request.resolvedAt ?? new Date()),
      request.createdAt ?? new Date(),
      request.createdBy ?? null,
    ],
  );
  return row.id;
}

export async function insertFamilyContact(
  db: Db,
  contact: {
    caseId: string;
    contactedOn?: string;
    method?: ContactMethod;
    party?: ContactParty;
    declined?: boolean;
    leafletGiven?: boolean;
    advocacyOffered?: boolean;
    advocacyProvider?: string | null;
    draftReportOffered?: boolean;
    notes?: string | null;
    createdBy?: string | null;
  },
): Promise<string> {
  const [row] = await db.query(
    `INSERT INTO family_contact (case_id, contacted_on, method, leaflet_given, advocacy_offered, advocacy_provider,
       draft_report_offered, notes, created_by, party, declined)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
    [
      contact.caseId,
      contact.contactedOn ?? '2026-03-10',
      contact.method ?? 'letter',
      contact.leafletGiven ?? true,
      contact.advocacyOffered ?? true,
      contact.advocacyProvider ?? null,
      contact.draftReportOffered ?? false,
      contact.notes ?? null,
      contact.createdBy ?? null,
      contact.party ?? 'victim_family',
      contact.declined ?? false,
    ],
  );
  return row.id;
}

/** A recommendation of a case; a single-agency one needs its agency. */
export async function insertRecommendation(
  db: Db,
  recommendation: { caseId: string; scope?: RecommendationScope; text?: string; agencyId?: string | null; addressee?: string | null; themes?: string[] },
): Promise<string> {
  const [row] = await db.query(`INSERT INTO recommendation (case_id, scope, text, agency_id, addressee) VALUES ($1, $2, $3, $4, $5) RETURNING id`, [
    recommendation.caseId,
    recommendation.scope ?? 'local',
    recommendation.text ?? 'Agencies should share risk information at the first contact.',
    recommendation.agencyId ?? null,
    recommendation.addressee ?? null,
  ]);
  for (const theme of recommendation.themes ?? []) {
    await db.query('INSERT INTO recommendation_theme (recommendation_id, theme_code) VALUES ($1, $2)', [row.id, theme]);
  }
  return row.id;
}

/**
 * An action under a recommendation (and in its case). A completed one gets
 * its completion date, a closed one its reason and closing date, as the
 * schema insists.
 */
export async function insertAction(
  db: Db,
  action: {
    recommendationId: string;
    caseId: string;
    ownerAgencyId: string;
    description?: string;
    targetOn?: string;
    status?: ActionStatus;
    createdOn?: string;
    completedOn?: string;
    closedOn?: string;
    closedReason?: string;
  },
): Promise<string> {
  const status = action.status ?? 'not_started';
  const createdOn = action.createdOn ?? '2026-06-01';
  const [row] = await db.query(
    `INSERT INTO plan_action (recommendation_id, case_id, owner_agency_id, description, target_on, status, completed_on,
       closed_on, closed_reason, created_on)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [
      action.recommendationId,
      action.caseId,
      action.ownerAgencyId,
      action.description ?? 'Add a risk flag to call records.',
      action.targetOn ?? '2026-09-30',
      status,
      status === 'completed' ? (action.completedOn ?? createdOn) : null,
      status === 'closed_with_reason' ? (action.closedOn ?? createdOn) : null,
      status === 'closed_with_reason' ? (action.closedReason ?? 'Closed by a test factory') : null,
      createdOn,
    ],
  );
  return row.id;
}

/**
 * A submission to the Home Office QA board, with its outcome if given. Its
 * round defaults to the case's current one: the number of CSP sign-offs in
 * its stage history (0 for a case a factory put straight into
 * home_office_qa).
 */
export async function insertQaSubmission(
  db: Db,
  submission: { caseId: string; round?: number; submittedOn?: string; outcome?: QaOutcome | null; outcomeOn?: string | null },
): Promise<string> {
  const outcome = submission.outcome ?? null;
  const [row] = await db.query(
    `INSERT INTO qa_submission (case_id, round, submitted_on, created_at, outcome, outcome_on, outcome_recorded_at)
     VALUES ($1, coalesce($2, (SELECT count(*) FROM case_transition
                               WHERE case_id = $1 AND from_stage = 'csp_sign_off' AND to_stage = 'home_office_qa')),
             $3, now(), $4, $5, CASE WHEN $4::text IS NULL THEN NULL ELSE now() END)
     RETURNING id`,
    [submission.caseId, submission.round ?? null, submission.submittedOn ?? '2026-09-10', outcome, outcome ? (submission.outcomeOn ?? submission.submittedOn ?? '2026-09-10') : null],
  );
  return row.id;
}

/** A case's own learning themes (codes of the seeded list). */
export async function insertCaseThemes(db: Db, caseId: string, themes: string[]): Promise<void> {
  for (const theme of themes) await db.query('INSERT INTO case_theme (case_id, theme_code) VALUES ($1, $2)', [caseId, theme]);
}

/** A row of the stage history: a step taken on `occurredOn` (noon UTC, the same day in London). */
export async function insertTransition(
  db: Db,
  transition: { caseId: string; from: Stage | null; to: Stage; occurredOn: string; actorId?: string | null; actorRole?: Role | null; comment?: string | null },
): Promise<void> {
  await db.query(
    'INSERT INTO case_transition (case_id, from_stage, to_stage, actor_id, actor_role, comment, occurred_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
    [
      transition.caseId,
      transition.from,
      transition.to,
      transition.actorId ?? null,
      transition.actorRole ?? null,
      transition.comment ?? null,
      `${transition.occurredOn}T12:00:00Z`,
    ],
  );
}

/** Where a factory keeps a document's bytes: the application's own store (DOCUMENT_STORE), so the file is real. */
export interface FileStore {
  put(stream: Readable, maxBytes: number): Promise<{ key: string; sizeBytes: number; sha256: string; commit(): Promise<void> }>;
}

/**
 * A document of a case: its bytes written to the store, then its row, as
 * the next version of its kind (and agency, for an IMR). A final one takes
 * the final mark from the version before it. Its type is read from its
 * content, as the application reads a file it did not see uploaded.
 */
export async function insertStoredDocument(
  db: Db,
  store: FileStore,
  document: { caseId: string; kind: DocumentKind; file: Buffer; name: string; agencyId?: string | null; final?: boolean; uploadedBy?: string | null; uploadedAt?: Date },
): Promise<string> {
  const agencyId = document.agencyId ?? null;
  const final = document.final ?? true;
  const contentType = await typeByContent(document.file);
  if (!contentType) throw new Error(`${document.name} is not a document the application accepts`);
  const staged = await store.put(Readable.from([document.file]), Number.MAX_SAFE_INTEGER);
  await staged.commit();
  if (final) {
    await db.query('UPDATE case_document SET final = false WHERE case_id = $1 AND kind = $2 AND agency_id IS NOT DISTINCT FROM $3 AND final', [
      document.caseId,
      document.kind,
      agencyId,
    ]);
  }
  const [row] = await db.query(
    `INSERT INTO case_document (case_id, kind, agency_id, version, final, original_name, content_type, size_bytes, sha256, storage_key,
       uploaded_by, uploaded_at)
     VALUES ($1, $2, $3,
             (SELECT coalesce(max(version), 0) + 1 FROM case_document WHERE case_id = $1 AND kind = $2 AND agency_id IS NOT DISTINCT FROM $3),
             $4, $5, $6, $7, $8, $9, $10, $11)
     RETURNING id`,
    [
      document.caseId,
      document.kind,
      agencyId,
      final,
      document.name,
      contentType,
      staged.sizeBytes,
      staged.sha256,
      staged.key,
      document.uploadedBy ?? null,
      document.uploadedAt ?? new Date(),
    ],
  );
  return row.id;
}

/** One chronology entry as an agency's spreadsheet gives it, dated to the day. */
export interface NewChronologyEntry {
  eventOn: string;
  source: string;
  details: string;
}

/** A version of one agency's chronology for a case, with its rows numbered as the spreadsheet numbers them (from 2). */
export async function insertChronologySubmission(
  db: Db,
  submission: { caseId: string; agencyId: string; entries: NewChronologyEntry[]; originalName?: string; uploadedBy?: string | null; uploadedAt?: Date },
): Promise<string> {
  const [row] = await db.query(
    `INSERT INTO chronology_submission (case_id, agency_id, version, row_count, original_name, uploaded_by, uploaded_at)
     VALUES ($1, $2, (SELECT coalesce(max(version), 0) + 1 FROM chronology_submission WHERE case_id = $1 AND agency_id = $2), $3, $4, $5, $6)
     RETURNING id`,
    [
      submission.caseId,
      submission.agencyId,
      submission.entries.length,
      submission.originalName ?? 'chronology.csv',
      submission.uploadedBy ?? null,
      submission.uploadedAt ?? new Date(),
    ],
  );
  for (const [n, entry] of submission.entries.entries()) {
    await db.query(
      `INSERT INTO chronology_entry (submission_id, row_number, event_on, date_precision, date_text, source, details)
       VALUES ($1, $2, $3, 'day', $4, $5, $6)`,
      [row.id, n + 2, entry.eventOn, entry.eventOn, entry.source, entry.details],
    );
  }
  return row.id;
}

/** A publication of a case's report, with the executive summary it published and, if given, the SDP's closure override or its withdrawal. */
export async function insertPublication(
  db: Db,
  publication: {
    caseId: string;
    publishedOn?: string;
    url?: string;
    executiveSummaryDocumentId?: string | null;
    publishedBy?: string | null;
    closureOverride?: { reason: string; by?: string | null; at?: Date } | null;
    /** Withdrawn on this day, with a reason the factory gives. */
    withdrawnOn?: string | null;
  },
): Promise<string> {
  const publishedOn = publication.publishedOn ?? '2026-05-01';
  const override = publication.closureOverride ?? null;
  const [row] = await db.query(
    `INSERT INTO publication (case_id, published_on, url, executive_summary_document_id, published_by, recorded_at,
       closure_override_reason, closure_overridden_by, closure_overridden_at, withdrawn_on, withdrawal_reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
    [
      publication.caseId,
      publishedOn,
      publication.url ?? 'https://www.example.org/dhr/published-review',
      publication.executiveSummaryDocumentId ?? null,
      publication.publishedBy ?? null,
      `${publishedOn}T12:00:00Z`,
      override?.reason ?? null,
      override ? (override.by ?? null) : null,
      override ? (override.at ?? new Date()) : null,
      publication.withdrawnOn ?? null,
      publication.withdrawnOn ? 'Withdrawn by a test factory' : null,
    ],
  );
  return row.id;
}

// Notifications (the medium specs of the case and the administration modules).

/** A notification to one person, about a case or about none; unread unless `readAt` is given. */
export async function insertNotification(
  db: Db,
  notification: { userId: string; caseId?: string | null; kind?: string; title?: string; body?: string; createdAt?: Date; readAt?: Date | null },
): Promise<string> {
  const [row] = await db.query(
    `INSERT INTO notification (user_id, case_id, kind, title, body, created_at, read_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [
      notification.userId,
      notification.caseId ?? null,
      notification.kind ?? 'stage_changed',
      notification.title ?? 'A case moved on',
      notification.body ?? 'The case moved to its next stage.',
      notification.createdAt ?? new Date(),
      notification.readAt ?? null,
    ],
  );
  return row.id;
}
