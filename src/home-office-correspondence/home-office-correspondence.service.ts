import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AccessService } from '../access/access.service.js';
import type { Actor } from '../access/roles.js';
import { AuditService } from '../audit/audit.service.js';
import type { ReviewCase } from '../cases/case.entities.js';
import { CasesService } from '../cases/cases.service.js';
import { isCalendarDate, londonDate } from '../common/calendar.js';
import { Clock } from '../common/clock.js';
import { refusalSentence } from '../common/field-messages.js';
import { decodeCursor, pageSize, toPage, type Page, type PageQuery } from '../common/pagination.js';
import { requireNotInFuture, requireOrder } from '../common/past-dates.js';
import { badRequest, type FieldError } from '../common/problem.js';
import { documentRef } from '../documents/documents.queries.js';
import { HomeOfficeLetterView, RecordLetterRequest, toHomeOfficeLetterView } from './home-office-correspondence.dto.js';
import { KIND_WITH_OUTCOME, type CorrespondenceDirection, type CorrespondenceKind } from './home-office-correspondence.entity.js';
import { lettersPage, type LetterWindow } from './home-office-correspondence.queries.js';
import { storeLetter } from './letters.js';

/** The letter that tells the Home Office of the case, and so sets `homeOfficeNotifiedOn`. */
function isDecisionNoticeSent(kind: CorrespondenceKind, direction: CorrespondenceDirection): boolean {
  return kind === 'decision_notice' && direction === 'sent';
}

/** Where the page the cursor names starts: after a letter's date and seq, as the previous page's last letter gave them. */
function letterAfter(cursor: string | undefined): LetterWindow['after'] {
  const after = decodeCursor(cursor, 2);
  if (after === undefined) return null;
  const [on, seq] = after;
  // A cursor made by hand that decodes to other values is as invalid as one that does not decode.
  if (!isCalendarDate(on) || typeof seq !== 'number') {
    throw badRequest('cursor is not valid: pass back a nextCursor exactly as it was given.', [{ field: 'cursor', message: 'cursor is not valid' }]);
  }
  return { on, seq: String(seq) };
}

function refusedField(field: string, message: string): never {
  const errors: FieldError[] = [{ field, message }];
  throw badRequest(refusalSentence(errors), errors);
}

/**
 * The Home Office correspondence (docs/domain.md, "Home Office
 * correspondence"): each letter between the review and the Home Office,
 * recorded on the case and read in one list, oldest first. The SDP
 * administrator, the case's CSP chair and its review chair record and read
 * them; reading is a sensitive read, audited. A decision notice sent sets
 * the case's `homeOfficeNotifiedOn` when it has none.
 */
@Injectable()
export class HomeOfficeCorrespondenceService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly cases: CasesService,
    private readonly clock: Clock,
  ) {}

  async list(actor: Actor, caseId: string, query: PageQuery): Promise<Page<HomeOfficeLetterView>> {
    const { found } = await this.access.requireCase(actor, caseId, 'home_office_correspondence.read');
    const limit = pageSize(query);
    const rows = await lettersPage(this.dataSource, found.id, { after: letterAfter(query.cursor), rows: limit + 1 });
    const page = toPage(rows, limit, toHomeOfficeLetterView, (row) => [row.correspondedOn, Number(row.seq)]);
    await this.audit.recordNow({
      action: 'home_office_correspondence.list_read',
      entityType: 'case',
      entityId: found.id,
      caseId: found.id,
      partnershipId: found.partnershipId,
    });
    return page;
  }

  async record(actor: Actor, caseId: string, body: RecordLetterRequest): Promise<HomeOfficeLetterView> {
    if (body.outcome !== undefined && body.outcome !== null && body.kind !== KIND_WITH_OUTCOME) {
      refusedField('outcome', `outcome is kept for kind ${KIND_WITH_OUTCOME} only: leave it out for a ${body.kind}`);
    }
    return this.dataSource.transaction(async (tx) => {
      const { found } = await this.access.requireCase(actor, caseId, 'home_office_correspondence.record', { manager: tx, lock: true });
      requireNotInFuture({ on: body.on }, londonDate(this.clock.now()));
      requireOrder({ field: 'notifiedOn', date: found.notifiedOn }, { field: 'on', date: body.on });
      const documentId = await this.requireDocumentOf(tx, found, body.documentId);
      const letter = await storeLetter(
        tx,
        this.audit,
        {
          caseId: found.id,
          kind: body.kind,
          direction: body.direction,
          correspondedOn: body.on,
          summary: body.summary,
          outcome: body.outcome ?? null,
          documentId,
          qaSubmissionId: null,
          recordedBy: actor.userId,
          recordedAt: this.clock.now(),
        },
        found.partnershipId,
      );
      if (isDecisionNoticeSent(body.kind, body.direction)) await this.cases.noteHomeOfficeNotified(tx, found, body.on);
      return toHomeOfficeLetterView(letter);
    });
  }

  /**
   * The document a letter names: one of this case's, or 400 naming
   * `documentId`, the same words for an unknown id and another case's
   * document, so that the answer says nothing of another case.
   */
  private async requireDocumentOf(tx: EntityManager, found: ReviewCase, documentId: string | undefined): Promise<string | null> {
    if (documentId === undefined || documentId === null) return null;
    const document = await documentRef(tx, documentId);
    if (!document || document.caseId !== found.id) refusedField('documentId', 'documentId must name a document of this case');
    return document.id;
  }
}
