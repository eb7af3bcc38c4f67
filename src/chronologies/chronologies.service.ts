import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { rm } from 'node:fs/promises';
import { DataSource } from 'typeorm';
import { agencyContributes } from '../access/access.queries.js';
import { AccessService } from '../access/access.service.js';
import type { CaseAccess } from '../access/case-access.js';
import { agencyLimit, mayActForAgency } from '../access/case-permissions.js';
import type { Actor } from '../access/roles.js';
import { requireActiveAgency } from '../agencies/agencies.queries.js';
import { AuditService, fieldChanges } from '../audit/audit.service.js';
import { londonDate } from '../common/calendar.js';
import { Clock } from '../common/clock.js';
import { keysetPages } from '../common/keyset-batches.js';
import { badRequest, conflict, forbidden, ProblemException } from '../common/problem.js';
import { runUploadTask, WorkerFailed, WorkerOutOfMemory } from '../common/upload-worker.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ContributionsService } from '../contributions/contributions.service.js';
import {
  chronologySubmissions,
  combinedPage,
  insertEntries,
  insertSubmission,
  latestVersions,
  nextChronologyVersion,
  versionRows,
  type LatestVersion,
} from './chronologies.queries.js';
import { decodeCursor, pageSize, toPage, type Page } from '../common/pagination.js';
import { exportFileName, type ChronologyExportFormat, type ChronologyRepresentation } from './chronology-export.js';
import { chronologyFormat, type ChronologyFormat } from './chronology-file.js';
import { mergeInOrder } from './combined-order.js';
import type { ParseOutcome } from './chronology-parser.js';
import { spooledBatches, type ChronologyReadJob } from './chronology-read.js';
import {
  ChronologySubmissionList,
  ChronologySubmissionView,
  combinedRowKey,
  CombinedChronologyQuery,
  CombinedEntryView,
  toChronologySubmissionView,
  toCombinedEntryView,
  type EntryRow,
} from './chronology.dto.js';

/** The file as multer kept it on disk. */
export interface UploadedChronology {
  path: string;
  originalname: string;
  size: number;
}

/**
 * Rows per INSERT statement: each statement carries its rows as arrays, so a
 * chronology is a handful of statements; also the most parsed rows held in
 * memory at once, besides the batch being written.
 */
const INSERT_BATCH = 5000;
/** Rows read from each agency's version per query while the combined chronology is written out as a file. */
const EXPORT_BATCH = 1000;

/** An export about to be streamed: its rows, in batches read as they are written, and the file's name. */
export interface CombinedExport {
  rows: AsyncIterable<CombinedEntryView[]>;
  fileName: string;
}

/** A workbook past one of the bounds on what an upload may inflate to or hold (docs/security.md): its detail names the limit. */
function uploadTooLarge(detail: string): ProblemException {
  return new ProblemException(HttpStatus.PAYLOAD_TOO_LARGE, 'payload-too-large', 'Payload too large', detail);
}

function unprocessable(detail: string, extensions: Record<string, unknown>): ProblemException {
  return new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, 'invalid-chronology', 'Invalid chronology', detail, extensions);
}

@Injectable()
export class ChronologiesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly contributions: ContributionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The versions in the caller's scope: an agency lead sees only their own agency's. */
  async list(actor: Actor, caseId: string): Promise<ChronologySubmissionList> {
    const access = await this.access.requireCase(actor, caseId, 'chronology.read');
    return { items: (await chronologySubmissions(this.dataSource, caseId, access.actor)).map(toChronologySubmissionView) };
  }

  /** One page of the combined chronology: every agency's latest version, or only the caller's own agency's. */
  async combined(actor: Actor, caseId: string, query: CombinedChronologyQuery): Promise<Page<CombinedEntryView>> {
    const { agencyId } = await this.combinedRead(actor, caseId, query, 'json');
    const limit = pageSize(query);
    const after = decodeCursor(query.cursor, 5)?.map(String) ?? null;
    const rows = await combinedPage(this.dataSource, caseId, { agencyId, from: query.from ?? null, to: query.to ?? null }, after, limit + 1);
    return toPage(rows, limit, (row) => toCombinedEntryView(row, row), combinedRowKey);
  }

  /**
   * The whole combined chronology for an export, and the file's name. Access
   * is checked, and the export audited, before the first row; the rows are
   * then read as they are written out: each agency's latest version walked
   * once, in batches, and the versions merged in the combined order.
   */
  async combinedExport(actor: Actor, caseId: string, query: CombinedChronologyQuery, format: ChronologyExportFormat): Promise<CombinedExport> {
    const { agencyId, reference } = await this.combinedRead(actor, caseId, query, format);
    const versions = await latestVersions(this.dataSource, caseId, agencyId);
    const rows = mergeInOrder(
      versions.map((version) => this.versionBatches(version, query)),
      EXPORT_BATCH,
    );
    return { rows, fileName: exportFileName(reference, londonDate(this.clock.now()), format) };
  }

  /** One version's rows in the combined order, within the query's dates, read EXPORT_BATCH at a time as they are merged. */
  private async *versionBatches(version: LatestVersion, query: CombinedChronologyQuery): AsyncGenerator<CombinedEntryView[]> {
    const read = (after: string[] | null, limit: number): Promise<EntryRow[]> =>
      versionRows(this.dataSource, version.id, { from: query.from ?? null, to: query.to ?? null }, after, limit);
    const keyOf = (row: EntryRow) => [row.event_on_text, row.event_time_text, String(row.row_number)];
    for await (const batch of keysetPages(EXPORT_BATCH, read, null, keyOf)) yield batch.map((row) => toCombinedEntryView(row, version));
  }

  /**
   * Checks access, and audits the read (the rows are special-category data):
   * which agency's rows the caller reads (their own, for an agency lead), and
   * the case's reference for naming an export.
   */
  private async combinedRead(
    actor: Actor,
    caseId: string,
    query: CombinedChronologyQuery,
    format: ChronologyRepresentation,
  ): Promise<{ agencyId: string | null; reference: string }> {
    const access = await this.access.requireCase(actor, caseId, 'chronology.read');
    if (access.agency && query.agencyId && query.agencyId !== access.agency) {
      throw forbidden('An agency lead reads only their own agency’s chronology.');
    }
    const agencyId = access.agency ?? query.agencyId ?? null;
    await this.audit.recordNow({
      action: 'chronology.combined_read',
      entityType: 'case',
      entityId: caseId,
      caseId,
      partnershipId: access.partnershipId,
      details: { agencyId, from: query.from ?? null, to: query.to ?? null, format },
    });
    return { agencyId, reference: access.found.reference };
  }

  /**
   * A new version of one agency's chronology, stored whole or not at all.
   * The whole file is read and every row checked first, in a worker thread,
   * with no lock held (readFile); the good rows wait in a spool file under
   * DATA_DIR. Only a file found good takes the case's row lock, and its rows
   * are written from the spool a batch at a time, so only a batch is ever
   * held in memory. The same transaction meets the agency's open chronology
   * request. The spool is removed however the upload ends.
   */
  async upload(actor: Actor, caseId: string, agencyIdGiven: string | undefined, file: UploadedChronology | undefined): Promise<ChronologySubmissionView> {
    const access = await this.access.requireCase(actor, caseId, 'chronology.upload');
    const agencyId = await this.agencyFor(actor, agencyIdGiven);
    if (!(await agencyContributes(this.dataSource, caseId, agencyId))) {
      throw conflict('agency-not-involved', 'Only an agency on the panel, or asked for a contribution, submits a chronology to this case.', {
        unmet: ['agency_not_involved'],
      });
    }
    if (!file) throw badRequest('file is required: send the chronology as a file.', [{ field: 'file', message: 'file is required' }]);
    const format = await chronologyFormat(file.path, file.originalname);
    const spoolPath = `${file.path}.rows`;
    try {
      const rowCount = accepted(await this.readFile(file, format, spoolPath));
      return await this.store(access, agencyId, file, rowCount, spoolPath);
    } finally {
      await rm(spoolPath, { force: true });
    }
  }

  /** Reads and checks the whole file in a worker thread; a file that ends the worker is refused, never a 500. */
  private async readFile(file: UploadedChronology, format: ChronologyFormat, spoolPath: string): Promise<ParseOutcome> {
    const job: ChronologyReadJob = {
      path: file.path,
      format,
      spoolPath,
      maxRows: this.config.chronologyMaxRows,
      today: londonDate(this.clock.now()),
      maxInflatedBytes: this.config.uploadMaxInflatedBytes,
    };
    try {
      return await runUploadTask<ParseOutcome>(new URL('./chronology-read.worker.js', import.meta.url), job);
    } catch (error) {
      if (error instanceof WorkerOutOfMemory) throw uploadTooLarge('The chronology needs more memory to read than an upload may use.');
      if (error instanceof WorkerFailed) throw unprocessable('The chronology could not be read; nothing was stored.', { errors: [], moreErrors: 0 });
      throw error;
    }
  }

  /**
   * Writes a checked chronology from its spool, under the case's row lock,
   * with its audit events. The case was read in scope when the upload began;
   * here it is only locked, and still in scope, or 404.
   */
  private store(access: CaseAccess, agencyId: string, file: UploadedChronology, rowCount: number, spoolPath: string): Promise<ChronologySubmissionView> {
    const { actor, caseId, found } = access;
    return this.dataSource.transaction(async (tx) => {
      await this.access.lockInScope(tx, access, 'chronology.upload');
      const version = await nextChronologyVersion(tx, caseId, agencyId);
      const now = this.clock.now();
      const submission = await insertSubmission(tx, {
        caseId,
        agencyId,
        version,
        rowCount,
        originalName: file.originalname,
        uploadedBy: actor.userId,
        uploadedAt: now,
      });
      for await (const batch of spooledBatches(spoolPath, INSERT_BATCH)) await insertEntries(tx, submission.id, batch);
      const metRequests = await this.contributions.markSubmitted(
        tx,
        { caseId, partnershipId: found.partnershipId, agencyId, kinds: ['chronology'] },
        now,
        { chronologySubmissionId: submission.id },
      );
      await this.audit.record(tx, {
        action: 'chronology.submitted',
        entityType: 'chronology_submission',
        entityId: submission.id,
        caseId,
        partnershipId: found.partnershipId,
        changes: fieldChanges(null, { originalName: file.originalname }),
        details: { agencyId, version, rowCount, contributionRequestsMet: metRequests },
      });
      return toChronologySubmissionView(submission);
    });
  }

  private async agencyFor(actor: Actor, given: string | undefined): Promise<string> {
    if (!mayActForAgency(actor, given || undefined)) throw forbidden('An agency lead submits only their own agency’s chronology.');
    const own = agencyLimit(actor);
    if (own) return own;
    if (!given) throw badRequest('agencyId is required: name the agency whose chronology this is.', [{ field: 'agencyId', message: 'agencyId is required' }]);
    await requireActiveAgency(this.dataSource, given);
    return given;
  }
}

/** The number of rows of a good file; a refused one is a 422 listing what is wrong. */
function accepted(outcome: ParseOutcome): number {
  if (outcome.ok) return outcome.rowCount;
  if (outcome.kind === 'too-large') throw uploadTooLarge(outcome.detail);
  if (outcome.kind === 'file') throw unprocessable(outcome.detail, { errors: outcome.errors, moreErrors: 0 });
  const listed = outcome.errors.length;
  const detail = `${listed + outcome.moreErrors} problem(s) in the chronology; nothing was stored.`;
  throw unprocessable(detail, { errors: outcome.errors, moreErrors: outcome.moreErrors });
}
