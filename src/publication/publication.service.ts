import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { principalCaseScope } from '../access/access.queries.js';
import { AccessService } from '../access/access.service.js';
import type { Principal } from '../access/client-principal.js';
import type { CaseAccess } from '../access/case-access.js';
import type { Actor } from '../access/roles.js';
import { AuditService, fieldChanges, type FieldChanges } from '../audit/audit.service.js';
import type { ReviewCase } from '../cases/case.entities.js';
import { CaseFactsService } from '../cases/case-facts.js';
import { findStep, unmetPreconditions, type Step } from '../cases/stages.js';
import { PUBLICATION_ENDPOINT, WITHHOLDING_ENDPOINT } from './publication-endpoint.js';
import type { CaseView } from '../cases/case.dto.js';
import { currentQaApprovalOn } from '../qa/qa.queries.js';
import { StepsService } from '../cases/steps.service.js';
import { londonDate } from '../common/calendar.js';
import { Clock } from '../common/clock.js';
import { decodeCursor, pageSize, toPage, type Page } from '../common/pagination.js';
import { requireNotInFuture, requireOrder } from '../common/past-dates.js';
import { conflict, notFound } from '../common/problem.js';
import { finalDocuments, type FinalDocument } from '../documents/documents.queries.js';
import { StoredFiles } from '../documents/stored-files.js';
import { NotificationsService, type Notice } from '../notifications/notifications.service.js';
import { AnonymisationCheck, type AnonymisationResult } from './anonymisation-check.js';
import {
  PublicationCheckView,
  PublicationListQuery,
  PublicationSummaryView,
  PublicationView,
  PublishRequest,
  WithholdingRequest,
  toPublicationSummaryView,
  toPublicationView,
} from './publication.dto.js';
import type { Publication } from './publication.entities.js';
import {
  insertPublication,
  publicationOfCase,
  publicationsInScope,
  recordClosureOverride,
  recordWithdrawal,
  type PublicationCursor,
} from './publication.queries.js';
import { withdrawableFrom } from './publication.rules.js';
import { PUBLISHED_KINDS, type PublishedKind } from './published-documents.js';

/** The documents a publication records, as its fields. */
type PublishedDocumentIds = Pick<Publication, 'executiveSummaryDocumentId' | 'overviewReportDocumentId' | 'qaLetterDocumentId'>;

/** The steps whose preconditions the publication check reads: the Home Office's approval, and publication itself. */
const QA_APPROVAL: Step = findStep('home_office_qa', 'approved_for_publication')!;
const PUBLISH: Step = findStep('approved_for_publication', 'published')!;

/** What stands between the report and its publication, as far as the anonymisation check tells: the codes for `anonymisation_hits`. */
function anonymisationCodes(result: AnonymisationResult): string[] {
  return [
    ...(result.missing.length > 0 ? ['final_documents_missing'] : []),
    ...(result.unreadable.length > 0 ? ['final_documents_unreadable'] : []),
    ...(result.fileMissing.length > 0 ? ['final_document_file_missing'] : []),
    ...(result.hits.length > 0 ? ['anonymisation_hits'] : []),
  ];
}

function refused(code: string, detail: string) {
  return conflict('publication-refused', detail, { unmet: [code] });
}

/**
 * Publication (docs/domain.md, "Publication"): the check of what stands in
 * its way, the CSP chair's step that publishes the report with its date and
 * address, its withdrawal after 12 months, the SDP's override of those
 * 12 months before the case closes, and the CSP chair's other end of an
 * approved review: closing it withheld, unpublished.
 */
@Injectable()
export class PublicationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly facts: CaseFactsService,
    private readonly steps: StepsService,
    private readonly anonymisation: AnonymisationCheck,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
    private readonly files: StoredFiles,
  ) {}

  /** Computed afresh on every call; the answer quotes the reports around real names, so reading it is audited. */
  async check(actor: Actor, caseId: string): Promise<PublicationCheckView> {
    const { found } = await this.access.requireCase(actor, caseId, 'publication.check');
    const { fileMissing, ...check } = await this.dataSource.transaction((tx) => this.readiness(tx, found));
    await this.reportMissing(caseId, fileMissing);
    await this.audit.recordNow({
      action: 'publication.check_read',
      entityType: 'case',
      entityId: caseId,
      caseId,
      partnershipId: found.partnershipId,
      details: { ready: check.ready, unmet: check.unmet, nameHits: check.nameHits.length },
    });
    return check;
  }

  /**
   * The publish step's preconditions and the Home Office's approval, read
   * from the case's facts, with the anonymisation check's own answer in
   * place of its fact (which is read only at approved_for_publication).
   */
  private async readiness(tx: EntityManager, found: ReviewCase): Promise<PublicationCheckView & { fileMissing: FinalDocument[] }> {
    const facts = await this.facts.load(tx, found);
    const result = await this.anonymisation.run(tx, found.id);
    const context = { today: this.today(), request: {} };
    const withResult = { ...facts, anonymisationClean: result.clean };
    const unmet = [
      ...unmetPreconditions(QA_APPROVAL, withResult, context),
      ...unmetPreconditions(PUBLISH, withResult, context).flatMap((code) => (code === 'anonymisation_hits' ? anonymisationCodes(result) : [code])),
    ];
    return { ready: unmet.length === 0, unmet, nameHits: result.hits, fileMissing: result.fileMissing };
  }

  /** Final reports whose stored file is gone, reported once the check's transaction is over (stored-files.ts). */
  private async reportMissing(caseId: string, documents: readonly FinalDocument[]): Promise<void> {
    for (const document of documents) await this.files.reportMissing({ ...document, caseId }, 'anonymisation_check');
  }

  /**
   * The approved_for_publication → published step, at its own endpoint: the
   * check, the step and the publication's record in one transaction, with
   * the case locked. A refused check answers 409 with what is unmet and
   * every hit.
   */
  async publish(actor: Actor, caseId: string, body: PublishRequest): Promise<PublicationView> {
    let fileMissing: FinalDocument[] = [];
    try {
      return await this.publishChecked(actor, caseId, body, (missing) => (fileMissing = missing));
    } finally {
      await this.reportMissing(caseId, fileMissing);
    }
  }

  private async publishChecked(actor: Actor, caseId: string, body: PublishRequest, noteMissing: (documents: FinalDocument[]) => void): Promise<PublicationView> {
    return this.dataSource.transaction(async (tx) => {
      const access = await this.access.requireCase(actor, caseId, 'publication.publish', { manager: tx, lock: true });
      const { found } = access;
      requireNotInFuture({ publishedOn: body.publishedOn }, this.today());
      requireOrder({ field: 'completedOn', date: found.completedOn }, { field: 'publishedOn', date: body.publishedOn });
      if (found.stage === 'approved_for_publication') {
        const { fileMissing, ...check } = await this.readiness(tx, found);
        noteMissing(fileMissing);
        if (!check.ready) {
          throw conflict('step-refused', `The report cannot be published yet: ${check.unmet.join(', ')}.`, { unmet: check.unmet, nameHits: check.nameHits });
        }
      }
      // Any other stage is refused by the step itself (step_not_allowed).
      await this.steps.take(tx, access, 'published', { comment: body.comment }, PUBLICATION_ENDPOINT);
      // The step read the check as clean with the case locked: the final documents now are the files that passed.
      const published = await this.publishedDocumentIds(tx, caseId);
      const publication = await insertPublication(tx, {
        caseId,
        publishedOn: body.publishedOn,
        url: body.url,
        ...published,
        publishedBy: actor.userId,
        recordedAt: this.clock.now(),
      });
      await this.audited(tx, access, publication, 'publication.recorded', fieldChanges(null, { publishedOn: body.publishedOn, url: body.url, ...published }));
      await this.tell(tx, found, 'publication_published', (who) => ({
        title: `${who}: the report is published`,
        body: `Case: ${who}\nThe report was published on ${body.publishedOn}. It may not be withdrawn before ${withdrawableFrom(body.publishedOn)}.`,
      }));
      return toPublicationView(publication);
    });
  }

  /** Which final document of each published kind the case has now (published-documents.ts): what the publication records. */
  private async publishedDocumentIds(tx: EntityManager, caseId: string): Promise<PublishedDocumentIds> {
    const finals = await finalDocuments(tx, caseId, PUBLISHED_KINDS);
    const idOf = (kind: PublishedKind) => finals.find((d) => d.kind === kind)?.id ?? null;
    return { executiveSummaryDocumentId: idOf('executive_summary'), overviewReportDocumentId: idOf('overview_report'), qaLetterDocumentId: idOf('qa_letter') };
  }

  /**
   * The approved_for_publication → closed step, at its own endpoint: the
   * review ends withheld, its decision's date and reason kept on the case by
   * the step (docs/domain.md, "Publication"). The date is of a decision
   * taken: not after today, not before the notification nor the Home
   * Office's approval. The step's audit event carries the date and reason
   * (the reason masked in the trail); the case's people are told.
   */
  async withhold(actor: Actor, caseId: string, body: WithholdingRequest): Promise<CaseView> {
    return this.dataSource.transaction(async (tx) => {
      const access = await this.access.requireCase(actor, caseId, 'publication.withhold', { manager: tx, lock: true });
      const { found } = access;
      requireNotInFuture({ decidedOn: body.decidedOn }, this.today());
      requireOrder({ field: 'notifiedOn', date: found.notifiedOn }, { field: 'decidedOn', date: body.decidedOn });
      if (found.stage === 'approved_for_publication') {
        requireOrder({ field: 'the Home Office’s approval', date: await currentQaApprovalOn(tx, caseId) }, { field: 'decidedOn', date: body.decidedOn });
      }
      // Any other stage is refused by the step itself (step_not_allowed).
      const closed = await this.steps.take(tx, access, 'closed', { withholding: { decidedOn: body.decidedOn, reason: body.reason } }, WITHHOLDING_ENDPOINT);
      await this.tell(tx, found, 'publication_withheld', (who) => ({
        title: `${who}: the review is closed without publication`,
        body: `Case: ${who}\nThe decision not to publish the report was taken on ${body.decidedOn}; the review is closed.`,
      }));
      return closed;
    });
  }

  /**
   * The publications of the cases in the reader's scope, withdrawn ones
   * too, newest first: a REST client with publications:read reads those of
   * its partnership, or of all.
   */
  async list(reader: Principal, query: PublicationListQuery): Promise<Page<PublicationSummaryView>> {
    const limit = pageSize(query);
    const after = decodeCursor(query.cursor, 2) as PublicationCursor | undefined;
    const scope = principalCaseScope(reader);
    const rows = await publicationsInScope(this.dataSource, scope, { partnershipId: query.partnershipId || undefined }, after, limit + 1);
    return toPage(rows, limit, toPublicationSummaryView, (row) => [row.published_on, row.publication_id]);
  }

  async read(actor: Actor, caseId: string): Promise<PublicationView> {
    await this.access.requireCase(actor, caseId, 'publication.read');
    const publication = await publicationOfCase(this.dataSource, caseId);
    if (!publication) throw notFound('publication');
    return toPublicationView(publication);
  }

  /** Takes the report down, 12 months after publication at the earliest; the public pages stop listing it. */
  async withdraw(actor: Actor, caseId: string, reason: string): Promise<PublicationView> {
    return this.dataSource.transaction(async (tx) => {
      const access = await this.access.requireCase(actor, caseId, 'publication.withdraw', { manager: tx, lock: true });
      const publication = await this.requirePublication(tx, access);
      if (publication.withdrawnOn) throw refused('publication_already_withdrawn', `The report was withdrawn on ${publication.withdrawnOn}.`);
      const today = this.today();
      const from = withdrawableFrom(publication.publishedOn);
      if (today < from) throw refused('withdrawal_too_early', `A report published on ${publication.publishedOn} may not be withdrawn before ${from}.`);
      const withdrawal = { withdrawnOn: today, withdrawalReason: reason, withdrawnBy: actor.userId };
      await recordWithdrawal(tx, publication.id, withdrawal);
      await this.audited(tx, access, publication, 'publication.withdrawn', fieldChanges(null, { withdrawnOn: today, withdrawalReason: reason }));
      await this.tell(tx, access.found, 'publication_withdrawn', (who) => ({
        title: `${who}: the published report is withdrawn`,
        body: `Case: ${who}\nThe report published on ${publication.publishedOn} was withdrawn on ${today}.`,
      }));
      return toPublicationView({ ...publication, ...withdrawal });
    });
  }

  /** The SDP lets a published case close before its report has been online for 12 months. */
  async overrideClosure(actor: Actor, caseId: string, reason: string): Promise<PublicationView> {
    return this.dataSource.transaction(async (tx) => {
      const access = await this.access.requireCase(actor, caseId, 'publication.override_closure', { manager: tx, lock: true });
      if (access.found.stage !== 'published') throw refused('case_not_published', `Only a published case's closure can be overridden; it is ${access.found.stage}.`);
      const publication = await this.requirePublication(tx, access);
      if (publication.closureOverriddenAt) throw refused('closure_already_overridden', 'The closure of this case is already overridden.');
      const override = { closureOverrideReason: reason, closureOverriddenBy: actor.userId, closureOverriddenAt: this.clock.now() };
      await recordClosureOverride(tx, publication.id, override);
      await this.audited(tx, access, publication, 'publication.closure_overridden', fieldChanges(null, { closureOverrideReason: reason }));
      return toPublicationView({ ...publication, ...override });
    });
  }

  /** A change to the case's publication, audited with its case. */
  private audited(tx: EntityManager, access: CaseAccess, publication: Publication, action: string, changes: FieldChanges): Promise<void> {
    return this.audit.record(tx, { action, entityType: 'publication', entityId: publication.id, caseId: access.caseId, partnershipId: access.partnershipId, changes });
  }

  private async requirePublication(tx: EntityManager, access: CaseAccess): Promise<Publication> {
    const publication = await publicationOfCase(tx, access.caseId);
    if (!publication) throw refused('case_not_published', `The case is ${access.found.stage}: its report has not been published.`);
    return publication;
  }

  private async tell(tx: EntityManager, found: ReviewCase, kind: string, words: Notice['words']): Promise<void> {
    await this.notifications.raise(tx, [{ caseId: found.id, kind, words }]);
  }

  private today(): string {
    return londonDate(this.clock.now());
  }
}
