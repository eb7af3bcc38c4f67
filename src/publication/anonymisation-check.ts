import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { runUploadTask, WorkerFailed, WorkerOutOfMemory, type UploadTaskOptions } from '../common/upload-worker.js';
import { caseSubjects } from '../cases/cases.queries.js';
import type { DocumentKind } from '../documents/case-document.entity.js';
import { DOCUMENT_STORE, StoredFileMissing, type DocumentStore } from '../documents/document-store.js';
import { finalDocuments, type FinalDocument } from '../documents/documents.queries.js';
import { readAll } from './document-text.js';
import type { DocumentFinding, ExamineJob, HitPlace } from './examine-document.js';
import { findTerms } from './name-matcher.js';
import { protectedTerms } from './protected-terms.js';
import { addedTerms } from './publication.queries.js';
import { PUBLISHED_KINDS, REQUIRED_KINDS } from './published-documents.js';

export { type DocumentFinding, examineDocument } from './examine-document.js';
/** The documents that are published, and so searched (docs/domain.md, "The anonymisation check"): published-documents.ts. */
export { PUBLISHED_KINDS } from './published-documents.js';

/** A protected term found in a final published document, and where: the document's kind, its file's name (masked) and the place in it. */
export interface NameHit {
  documentId: string;
  documentKind: DocumentKind;
  /** The uploaded file's name with every protected term of the case masked: a file name can name someone too. */
  fileName: string;
  where: HitPlace;
  term: string;
  context: string;
}

/** What stands for a protected term in a file name shown with a hit. */
export const MASK = '[…]';

/** A file name with each protected term found in it (by the check's own matcher) replaced by MASK. */
export function maskedFileName(name: string, terms: readonly string[]): string {
  // Overlapping or neighbouring hits ("Zoë Marlow" and "Marlow", "Zoë" and "Marlow") are masked as one.
  const spans = findTerms(name, terms)
    .map(({ start, end }) => [start, end] as [number, number])
    .sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [start, end] of spans) {
    const last = merged.at(-1);
    if (last && name.slice(last[1], start).trim() === '') last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged.reduceRight((masked, [start, end]) => masked.slice(0, start) + MASK + masked.slice(end), name);
}

export interface AnonymisationResult {
  /** Required published kinds with no final version (the QA letter is not required). */
  missing: DocumentKind[];
  /** Final versions whose text could not be read (a damaged file, say): they cannot be shown to be clean. */
  unreadable: string[];
  /** Final versions whose stored file is missing from the document store: never clean, and reported by the caller. */
  fileMissing: FinalDocument[];
  hits: NameHit[];
  /** Both final reports are there, and they and the final QA letter if there is one are readable and contain no protected term. */
  clean: boolean;
}

/**
 * Reads the final executive summary, overview report and QA letter (when
 * there is one) of a case and searches them for its protected terms. Nothing is kept between requests:
 * a new final upload changes the answer at once. Within one transaction the
 * answer is read once, because the publication step asks twice (its check,
 * then the step's own preconditions) with the case row locked in between,
 * so nothing can have changed.
 */
@Injectable()
export class AnonymisationCheck {
  private readonly logger = new Logger(AnonymisationCheck.name);
  private readonly withinTransaction = new WeakMap<EntityManager, Map<string, Promise<AnonymisationResult>>>();

  constructor(@Inject(DOCUMENT_STORE) private readonly store: DocumentStore) {}

  run(manager: EntityManager, caseId: string): Promise<AnonymisationResult> {
    if (!manager.queryRunner?.isTransactionActive) return this.search(manager, caseId);
    const answers = this.withinTransaction.get(manager) ?? new Map<string, Promise<AnonymisationResult>>();
    this.withinTransaction.set(manager, answers);
    const answer = answers.get(caseId) ?? this.search(manager, caseId);
    answers.set(caseId, answer);
    return answer;
  }

  /** Every protected term of the case: its subjects' names and addresses, and the added terms. */
  async terms(manager: EntityManager, caseId: string): Promise<string[]> {
    return protectedTerms(await caseSubjects(manager, caseId), await addedTerms(manager, caseId));
  }

  private async search(manager: EntityManager, caseId: string): Promise<AnonymisationResult> {
    const documents = await finalDocuments(manager, caseId, PUBLISHED_KINDS);
    const missing = REQUIRED_KINDS.filter((kind) => !documents.some((d) => d.kind === kind));
    const terms = await this.terms(manager, caseId);
    const unreadable: string[] = [];
    const fileMissing: FinalDocument[] = [];
    const hits: NameHit[] = [];
    for (const document of documents) {
      const bytes = await this.storedBytes(document);
      if (bytes === 'missing') {
        fileMissing.push(document);
        continue;
      }
      const finding = await this.examine(document, bytes, terms);
      if (finding.unreadable !== null) unreadable.push(document.id);
      else {
        const fileName = maskedFileName(document.originalName, terms);
        hits.push(...finding.hits.map(({ term, context, where }) => ({ documentId: document.id, documentKind: document.kind, fileName, where, term, context })));
      }
    }
    const clean = missing.length === 0 && unreadable.length === 0 && fileMissing.length === 0 && hits.length === 0;
    return { missing, unreadable, fileMissing, hits, clean };
  }

  private async examine(document: FinalDocument, bytes: Buffer | null, terms: readonly string[]): Promise<DocumentFinding> {
    const finding = bytes === null ? { unreadable: 'the stored file cannot be read', hits: [] } : await examineApart(bytes, document.contentType, terms);
    // The document's id and the reason only: its text or name could name someone.
    if (finding.unreadable !== null) this.logger.warn({ documentId: document.id, reason: finding.unreadable }, 'a final published document could not be read for the anonymisation check');
    return finding;
  }

  /**
   * The stored file; `missing` when the store no longer holds it (an
   * integrity error, logged here by the document's id and reported by the
   * caller once its transaction is over), null when it cannot be read
   * otherwise: neither is ever clean.
   */
  private async storedBytes(document: FinalDocument): Promise<Buffer | null | 'missing'> {
    try {
      return await readAll(await this.store.open(document.storageKey));
    } catch (error) {
      if (error instanceof StoredFileMissing) {
        this.logger.error({ integrity: 'stored_file_missing', documentId: document.id }, 'a final published document’s stored file is missing');
        return 'missing';
      }
      return null;
    }
  }
}

/** Why a file whose examination ended its worker (out of memory, dead, past its deadline) is unreadable. */
export const TOO_COMPLEX_TO_CHECK = 'the file is too large or complex to check';

/**
 * examineDocument in a worker thread of its own (common/upload-worker.ts),
 * with its own heap and a deadline (docs/architecture.md, "The anonymisation
 * check runs apart"): a final report built to exhaust memory or time ends
 * that worker, and is unreadable, never a 500 nor a dead API.
 */
export async function examineApart(bytes: Buffer, contentType: string, terms: readonly string[], options: UploadTaskOptions = {}): Promise<DocumentFinding> {
  const job: ExamineJob = { bytes, contentType, terms };
  try {
    return await runUploadTask<DocumentFinding>(new URL('./examine-document.worker.js', import.meta.url), job, options);
  } catch (error) {
    if (error instanceof WorkerOutOfMemory || error instanceof WorkerFailed) return { unreadable: TOO_COMPLEX_TO_CHECK, hits: [] };
    throw error;
  }
}
