import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AccessService } from '../access/access.service.js';
import type { Actor } from '../access/roles.js';
import { AuditService, fieldChanges } from '../audit/audit.service.js';
import type { ReviewCase } from '../cases/case.entities.js';
import { signOffCount } from '../cases/cases.queries.js';
import { londonDate } from '../common/calendar.js';
import { Clock } from '../common/clock.js';
import { pageAfterSeq, type Page, type PageQuery } from '../common/pagination.js';
import { requireNotInFuture, requireOrder } from '../common/past-dates.js';
import { badRequest, conflict, notFound } from '../common/problem.js';
import type { Queryable } from '../common/sql.js';
import { clearFinal, documentRef, markFinal } from '../documents/documents.queries.js';
import { recordQaLetter } from '../home-office-correspondence/letters.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { isQaApproval } from './qa-outcomes.js';
import { CreateQaSubmissionRequest, QaSubmissionView, RecordQaOutcomeRequest, toQaSubmissionView } from './qa.dto.js';
import { findQaSubmission, insertQaSubmission, latestInRound, qaSubmissionsPage, recordQaOutcome } from './qa.queries.js';

function refused(code: string, detail: string) {
  return conflict('qa-refused', detail, { unmet: [code] });
}

const OUTCOME_WORDS = {
  approved: 'approved',
  approved_subject_to_changes: 'approved subject to changes',
  resubmit: 'asked for the report to be resubmitted',
} as const;

/**
 * Home Office QA (docs/domain.md, "QA submissions"): the SDP records each
 * submission of the report and, once the letter comes, its outcome; the
 * chairs read them. Each CSP sign-off opens a new round: only the current
 * round's submissions decide the steps out of home_office_qa and meet
 * `home_office_submitted`.
 */
@Injectable()
export class QaService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
  ) {}

  async list(actor: Actor, caseId: string, query: PageQuery): Promise<Page<QaSubmissionView>> {
    await this.access.requireCase(actor, caseId, 'qa.read');
    return pageAfterSeq(query, (window) => qaSubmissionsPage(this.dataSource, caseId, window), toQaSubmissionView);
  }

  async submit(actor: Actor, caseId: string, body: CreateQaSubmissionRequest): Promise<QaSubmissionView> {
    return this.dataSource.transaction(async (tx) => {
      const { found } = await this.access.requireCase(actor, caseId, 'qa.record', { manager: tx, lock: true });
      if (found.stage !== 'home_office_qa') {
        throw refused('case_not_in_home_office_qa', `A report is submitted to the Home Office while the case is in home_office_qa; it is ${found.stage}.`);
      }
      const round = await signOffCount(tx, caseId);
      await this.requireRoundOpen(tx, caseId, round);
      requireNotInFuture({ submittedOn: body.submittedOn }, this.today());
      requireOrder({ field: 'completedOn', date: found.completedOn }, { field: 'submittedOn', date: body.submittedOn });
      const submission = await insertQaSubmission(tx, { caseId, round, submittedOn: body.submittedOn, submittedBy: actor.userId, createdAt: this.clock.now() });
      await this.audit.record(tx, {
        action: 'qa_submission.recorded',
        entityType: 'qa_submission',
        entityId: submission.id,
        caseId,
        partnershipId: found.partnershipId,
        changes: fieldChanges(null, { submittedOn: body.submittedOn, round: round }),
      });
      return toQaSubmissionView(submission);
    });
  }

  /** A new submission waits for the last one's outcome, and none follows an approval of the same round. */
  private async requireRoundOpen(tx: Queryable, caseId: string, round: number): Promise<void> {
    const latest = await latestInRound(tx, caseId, round);
    if (!latest) return;
    if (latest.outcome === null) throw refused('qa_outcome_pending', 'The latest submission has no outcome yet: record it first.');
    if (latest.outcome !== 'resubmit') throw refused('qa_already_approved', 'The Home Office has approved this round’s submission.');
  }

  async recordOutcome(actor: Actor, submissionId: string, body: RecordQaOutcomeRequest): Promise<QaSubmissionView> {
    return this.dataSource.transaction(async (tx) => {
      const seen = await findQaSubmission(tx, submissionId);
      if (!seen) throw notFound('QA submission');
      const { found } = await this.access.requireCase(actor, seen.caseId, 'qa.record', { manager: tx, lock: true, notFoundAs: 'QA submission' });
      // Read again under the case's lock: an outcome recorded at the same moment has committed by now.
      const submission = (await findQaSubmission(tx, submissionId))!;
      if (submission.outcome !== null) throw refused('qa_outcome_already_recorded', 'This submission’s outcome is already recorded.');
      requireNotInFuture({ outcomeOn: body.outcomeOn }, this.today());
      requireOrder({ field: 'submittedOn', date: submission.submittedOn }, { field: 'outcomeOn', date: body.outcomeOn });
      const letterDocumentId = await this.requireLetter(tx, found, body.letterDocumentId);
      const outcome = { outcome: body.outcome, outcomeOn: body.outcomeOn, letterDocumentId, outcomeRecordedBy: actor.userId, outcomeRecordedAt: this.clock.now() };
      await recordQaOutcome(tx, submission.id, outcome);
      if (letterDocumentId && isQaApproval(body.outcome)) await this.makeLetterFinal(tx, found, letterDocumentId, submission.id);
      await this.audit.record(tx, {
        action: 'qa_submission.outcome_recorded',
        entityType: 'qa_submission',
        entityId: submission.id,
        caseId: found.id,
        partnershipId: found.partnershipId,
        changes: fieldChanges(null, {
          outcome: body.outcome,
          outcomeOn: body.outcomeOn,
          letterDocumentId: letterDocumentId,
        }),
      });
      // The panel's letter joins the case's Home Office correspondence, so that the history reads in one list.
      await recordQaLetter(tx, this.audit, {
        caseId: found.id,
        partnershipId: found.partnershipId,
        qaSubmissionId: submission.id,
        outcome: body.outcome,
        outcomeOn: body.outcomeOn,
        letterDocumentId,
        recordedBy: actor.userId,
        recordedAt: outcome.outcomeRecordedAt,
      });
      await this.tellOutcome(tx, found, body);
      return toQaSubmissionView({ ...submission, ...outcome });
    });
  }

  /** The Home Office's letter, when one is named: a QA letter among the case's own documents. */
  private async requireLetter(tx: EntityManager, found: ReviewCase, documentId: string | undefined): Promise<string | null> {
    if (documentId === undefined) return null;
    const document = await documentRef(tx, documentId);
    if (!document || document.caseId !== found.id || document.kind !== 'qa_letter') {
      const message = 'letterDocumentId must name a qa_letter document of this case';
      throw badRequest(message, [{ field: 'letterDocumentId', message }]);
    }
    return document.id;
  }

  /**
   * The letter of an approving outcome becomes the case's final QA letter,
   * the one the anonymisation check reads and the public page serves
   * (docs/domain.md, "QA submissions"): the final mark moves to it as an
   * upload with `final` moves it, audited as a change of the document.
   */
  private async makeLetterFinal(tx: EntityManager, found: ReviewCase, letterId: string, submissionId: string): Promise<void> {
    await clearFinal(tx, found.id, 'qa_letter', null);
    await markFinal(tx, letterId);
    await this.audit.record(tx, {
      action: 'document.made_final',
      entityType: 'case_document',
      entityId: letterId,
      caseId: found.id,
      partnershipId: found.partnershipId,
      details: { kind: 'qa_letter', final: true, byQaSubmission: submissionId },
    });
  }

  private async tellOutcome(tx: EntityManager, found: ReviewCase, body: RecordQaOutcomeRequest): Promise<void> {
    await this.notifications.raise(tx, [
      {
        caseId: found.id,
        kind: 'qa_outcome',
        words: (who) => ({
          title: `${who}: the Home Office QA outcome is in`,
          body: [`Case: ${who}`, `The Home Office ${OUTCOME_WORDS[body.outcome]} on ${body.outcomeOn}.`].join('\n'),
        }),
      },
    ]);
  }

  private today(): string {
    return londonDate(this.clock.now());
  }
}
