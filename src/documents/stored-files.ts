import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { ProblemException } from '../common/problem.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { DOCUMENT_STORE, StoredFileMissing, type DocumentStore } from './document-store.js';
import { markFileMissing } from './documents.queries.js';

/** Where a missing file was wanted: the audit event and the log say so. */
export type FileWantedBy = 'download' | 'public_executive_summary' | 'public_overview_report' | 'public_qa_letter' | 'anonymisation_check';

/** A document whose stored file is wanted: its id and case, and the key the store keeps it under. */
export interface WantedFile {
  id: string;
  caseId: string;
  kind: string;
  storageKey: string;
}

/** The answer to a reader in scope whose document's file is gone: 410, the row is there and the bytes are not. */
export function fileGone(): ProblemException {
  return new ProblemException(
    HttpStatus.GONE,
    'stored-file-missing',
    'Stored file missing',
    'The stored file of this document is missing; the administrators have been told.',
  );
}

/**
 * Reads documents' files from the store for someone already found in scope,
 * and deals with a file that is gone (docs/domain.md, "A document whose file
 * is missing"): an integrity error in the log (the document's id, never its
 * name), an audit event each time, and the SDP administrators told the first
 * time only, as the row's `file_missing_since` is set.
 */
@Injectable()
export class StoredFiles {
  private readonly logger = new Logger('StoredFiles');

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
    @Inject(DOCUMENT_STORE) private readonly store: DocumentStore,
  ) {}

  /** The file's bytes as a stream; 410 when the store has lost it, reported first. */
  async open(document: WantedFile, wantedBy: FileWantedBy): Promise<Readable> {
    try {
      return await this.store.open(document.storageKey);
    } catch (error) {
      if (!(error instanceof StoredFileMissing)) throw error;
      await this.reportMissing(document, wantedBy);
      throw fileGone();
    }
  }

  /**
   * Records that a document's file is missing, in a transaction of its own:
   * call it outside any transaction the request holds, since the refusal
   * that follows rolls that one back.
   */
  async reportMissing(document: WantedFile, wantedBy: FileWantedBy): Promise<void> {
    this.logger.error({ integrity: 'stored_file_missing', documentId: document.id, kind: document.kind, wantedBy }, 'a document’s stored file is missing');
    await this.dataSource.transaction(async (tx) => {
      const first = await markFileMissing(tx, document.id, this.clock.now());
      if (first) {
        await this.notifications.raiseToAdmins(tx, {
          kind: 'document_file_missing',
          title: 'A document’s stored file is missing',
          body:
            `The stored file of document ${document.id} (a ${document.kind.replace(/_/g, ' ')}) is missing from the document store. ` +
            `Readers are answered that it is gone until it is restored from a backup; npm run storage:verify lists every such file.`,
        });
      }
      await this.audit.record(tx, {
        action: 'document.file_missing',
        entityType: 'case_document',
        entityId: document.id,
        caseId: document.caseId,
        details: { kind: document.kind, wantedBy, firstReport: first },
      });
    });
  }
}
