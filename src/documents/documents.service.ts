import { Inject, Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { DataSource, type EntityManager } from 'typeorm';
import { AccessService } from '../access/access.service.js';
import { requireActiveAgency } from '../agencies/agencies.queries.js';
import type { CaseAccess } from '../access/case-access.js';
import { mayActForAgency, mayUploadDocument } from '../access/case-permissions.js';
import { DOCUMENT_KIND_WORDS, mayNot } from '../access/refusal-words.js';
import type { Actor } from '../access/roles.js';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { badRequest, forbidden, notFound } from '../common/problem.js';
import type { Queryable } from '../common/sql.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { ContributionKind } from '../contributions/contribution-request.entity.js';
import { ContributionsService } from '../contributions/contributions.service.js';
import type { CaseDocument, DocumentKind } from './case-document.entity.js';
import { checkContent } from './content-check.js';
import type { DocumentType } from './content-recognition.js';
import { DocumentList, DocumentView, toDocumentView, UploadDocumentRequest } from './document.dto.js';
import { StoredFiles } from './stored-files.js';
import { caseDocuments, findDocument, insertDocument, nextDocumentVersion } from './documents.queries.js';
import { moveFinalMark } from './final-mark.js';
import type { UploadedDocument } from './staging-storage.js';

/**
 * The contribution requests an agency's document answers (docs/domain.md,
 * "Agency contributions"): its written account, whether a full IMR or the
 * summary of its involvement, is the one agency document kind, `imr`.
 */
const REQUESTS_ANSWERED: Partial<Record<DocumentKind, readonly ContributionKind[]>> = { imr: ['imr', 'summary'] };

/** A document about to be streamed: its metadata and its bytes. */
export interface DocumentContent {
  document: CaseDocument;
  stream: Readable;
}

@Injectable()
export class DocumentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly contributions: ContributionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly files: StoredFiles,
  ) {}

  /**
   * Stores a new version of a document. The file is staged before this runs;
   * its content is checked (in a worker thread) before the case's row lock
   * is taken, so a slow check never holds up the case; it moves into the
   * store only once the row has committed, and is discarded on any refusal
   * or failure, so nothing is left half-done.
   */
  async upload(actor: Actor, caseId: string, body: UploadDocumentRequest, file: UploadedDocument | undefined): Promise<DocumentView> {
    let committed = false;
    try {
      const contentType = await this.checkedContent(actor, caseId, body, file);
      const document = await this.dataSource.transaction(async (tx) => {
        const access = await this.access.requireCase(actor, caseId, 'document.upload', { manager: tx, lock: true });
        const agencyId = await this.uploadAgency(tx, access, body);
        if (!file) throw badRequest('A document needs a file.', [{ field: 'file', message: 'file is required' }]);
        const version = await nextDocumentVersion(tx, caseId, body.kind, agencyId);
        const final = body.final === 'true';
        const now = this.clock.now();
        const inserted = await insertDocument(tx, {
          caseId,
          kind: body.kind,
          agencyId,
          version,
          final: false,
          originalName: file.originalname,
          contentType,
          sizeBytes: String(file.staged.sizeBytes),
          sha256: file.staged.sha256,
          storageKey: file.staged.key,
          uploadedBy: actor.userId,
          uploadedAt: now,
        });
        if (final) {
          await moveFinalMark(tx, this.audit, { caseId, partnershipId: access.partnershipId, kind: body.kind, agencyId, documentId: inserted.id, cause: { upload: true } });
        }
        const saved = { ...inserted, final };
        await this.audit.record(tx, {
          action: 'document.uploaded',
          entityType: 'case_document',
          entityId: saved.id,
          caseId,
          partnershipId: access.partnershipId,
          details: { kind: body.kind, agencyId, version, final, sizeBytes: file.staged.sizeBytes, sha256: file.staged.sha256, originalName: file.originalname },
        });
        if (agencyId) await this.answerRequests(tx, access, saved, agencyId);
        return saved;
      });
      await file!.staged.commit();
      committed = true;
      return toDocumentView(document);
    } finally {
      if (!committed) await file?.staged.discard();
    }
  }

  /**
   * The staged file's type, once scope, role and the body are found good:
   * whatever else is wrong with the request, a case out of scope answers 404.
   */
  private async checkedContent(actor: Actor, caseId: string, body: UploadDocumentRequest, file: UploadedDocument | undefined): Promise<DocumentType> {
    const access = await this.access.requireCase(actor, caseId, 'document.upload');
    await this.uploadAgency(this.dataSource, access, body);
    if (!file) throw badRequest('A document needs a file.', [{ field: 'file', message: 'file is required' }]);
    if (file.staged.sizeBytes === 0) throw badRequest('The file is empty.', [{ field: 'file', message: 'file is empty' }]);
    return checkContent(file.staged.tempPath, file.originalname, { maxInflatedBytes: this.config.uploadMaxInflatedBytes });
  }

  /** Marks the agency's open requests that this document answers submitted, each audited. */
  private async answerRequests(tx: EntityManager, access: CaseAccess, document: CaseDocument, agencyId: string): Promise<void> {
    const kinds = REQUESTS_ANSWERED[document.kind] ?? [];
    await this.contributions.markSubmitted(tx, { caseId: document.caseId, partnershipId: access.partnershipId, agencyId, kinds }, document.uploadedAt, {
      documentId: document.id,
    });
  }

  /** The agency a new version belongs to: an IMR's own agency (an agency lead's, or named), no agency for the rest. */
  private async uploadAgency(db: Queryable, access: CaseAccess, body: UploadDocumentRequest): Promise<string | null> {
    if (!mayUploadDocument(access.actor.role, body.kind) || !mayActForAgency(access.actor, body.agencyId || undefined)) {
      throw forbidden(access.agency ? 'An agency lead uploads their own agency\'s IMR only.' : mayNot(access.actor.role, `upload ${DOCUMENT_KIND_WORDS[body.kind]}`));
    }
    if (access.agency) return access.agency;
    if (body.kind !== 'imr') {
      if (body.agencyId) throw badRequest('Only an IMR belongs to an agency.', [{ field: 'agencyId', message: 'agencyId is for IMRs only' }]);
      return null;
    }
    if (!body.agencyId) throw badRequest('An IMR names its agency.', [{ field: 'agencyId', message: 'agencyId is required for an IMR' }]);
    return (await requireActiveAgency(db, body.agencyId)).id;
  }

  /** A case's documents the actor may read: all of them, or an agency lead's own agency's IMRs. */
  async list(actor: Actor, caseId: string): Promise<DocumentList> {
    const access = await this.access.requireCase(actor, caseId, 'document.read');
    const items = await caseDocuments(this.dataSource, caseId, access.actor);
    await this.audit.recordNow({
      action: 'document.list_read',
      entityType: 'case',
      entityId: caseId,
      caseId,
      partnershipId: access.partnershipId,
    });
    return { items: items.map(toDocumentView) };
  }

  /** One document's bytes, for someone who may read it; every download is audited. A file gone from the store: 410, after the scope checks. */
  async open(actor: Actor, documentId: string): Promise<DocumentContent> {
    const document = await findDocument(this.dataSource, documentId);
    if (!document) throw notFound('document');
    const access = await this.access.requireCase(actor, document.caseId, 'document.read', { notFoundAs: 'document' });
    // An agency lead reads their own agency's IMR and nothing else: every other document answers as a missing one.
    await this.access.requireAgencyRow(access, document.kind === 'imr' ? (document.agencyId ?? '') : '', 'document.read', 'document');
    const stream = await this.files.open(document, 'download');
    await this.audit.recordNow({
      action: 'document.downloaded',
      entityType: 'case_document',
      entityId: document.id,
      caseId: document.caseId,
      partnershipId: access.partnershipId,
      details: { kind: document.kind, version: document.version },
    });
    return { document, stream };
  }
}
