import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AGENCY_INVOLVED } from '../access/access.queries.js';
import { AccessService } from '../access/access.service.js';
import type { Actor } from '../access/roles.js';
import { requireActiveAgency } from '../agencies/agencies.queries.js';
import { AuditService } from '../audit/audit.service.js';
import { londonDate } from '../common/calendar.js';
import { Clock } from '../common/clock.js';
import { badRequest, conflict, forbidden, ProblemException } from '../common/problem.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { markContributionSubmitted } from '../contributions/contributions.queries.js';
import { COMBINED_CHRONOLOGY, INSERT_ENTRIES, NEXT_VERSION } from './chronologies.queries.js';
import { decodeCursor, pageSize, toPage, type Page } from '../common/pagination.js';
import { exportFileName, type ChronologyExportFormat, type ChronologyRepresentation } from './chronology-export.js';
import { chronologyFormat } from './chronology-file.js';
import { parseCsv, parseXlsx, type ParsedEntry, type ParseOutcome } from './chronology-parser.js';
import {
  ChronologySubmissionList,
  ChronologySubmissionView,
  combinedRowKey,
  CombinedChronologyQuery,
  CombinedEntryView,
  toChronologySubmissionView,
  toCombinedEntryView,
  type CombinedRow,
} from './chronology.dto.js';
import { ChronologySubmission } from './chronology.entities.js';

/** The file as multer kept it on disk. */
export interface UploadedChronology {
  path: string;
  originalname: string;
  size: number;
}

/** Rows per INSERT statement: each statement carries its rows as arrays, so a chronology is a handful of statements. */
const INSERT_BATCH = 5000;
/** Rows read per query while the combined chronology is written out as a file. */
const EXPORT_BATCH = 2000;

/** An export about to be streamed: its rows, read as they are written, and the file's name. */
export interface CombinedExport {
  rows: AsyncIterable<CombinedEntryView>;
  fileName: string;
}

function unprocessable(detail: string, extensions: Record<string, unknown>): ProblemException {
  return new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, 'invalid-chronology', 'Invalid chronology', detail, extensions);
}

@Injectable()
export class ChronologiesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The versions in the caller's scope: an agency lead sees only their own agency's. */
  async list(actor: Actor, caseId: string): Promise<ChronologySubmissionList> {
    const access = await this.access.requireCase(actor, caseId, 'chronology.read');
    const q = this.dataSource
      .getRepository(ChronologySubmission)
      .createQueryBuilder('s')
      .where('s.case_id = :caseId', { caseId })
      .orderBy('s.agency_id')
      .addOrderBy('s.version');
    access.narrowToAgency(q, 's.agency_id');
    return { items: (await q.getMany()).map(toChronologySubmissionView) };
  }

  /** One page of the combined chronology: every agency's latest version, or only the caller's own agency's. */
  async combined(actor: Actor, caseId: string, query: CombinedChronologyQuery): Promise<Page<CombinedEntryView>> {
    const { read } = await this.combinedReader(actor, caseId, query, 'json');
    const limit = pageSize(query);
    const rows = await read(decodeCursor(query.cursor, 5)?.map(String) ?? null, limit + 1);
    return toPage(rows, limit, toCombinedEntryView, combinedRowKey);
  }

  /**
   * The whole combined chronology for an export, read in batches as it is
   * written out, and the file's name; access is checked, and the export
   * audited, before the first row.
   */
  async combinedExport(actor: Actor, caseId: string, query: CombinedChronologyQuery, format: ChronologyExportFormat): Promise<CombinedExport> {
    const { reference, read } = await this.combinedReader(actor, caseId, query, format);
    const rows = (async function* () {
      let after: string[] | null = null;
      for (;;) {
        const batch = await read(after, EXPORT_BATCH);
        for (const row of batch) yield toCombinedEntryView(row);
        if (batch.length < EXPORT_BATCH) return;
        after = combinedRowKey(batch[batch.length - 1]);
      }
    })();
    return { rows, fileName: exportFileName(reference, londonDate(this.clock.now()), format) };
  }

  /** Checks access once, audits the read (the rows are special-category data), and returns the keyset reader. */
  private async combinedReader(
    actor: Actor,
    caseId: string,
    query: CombinedChronologyQuery,
    format: ChronologyRepresentation,
  ): Promise<{ reference: string; read: (after: string[] | null, limit: number) => Promise<CombinedRow[]> }> {
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
    return {
      reference: access.found.reference,
      read: (after, limit) => this.dataSource.query(COMBINED_CHRONOLOGY, [caseId, agencyId, query.from ?? null, query.to ?? null, after, limit]),
    };
  }

  /**
   * A new version of one agency's chronology: every row is checked before
   * anything is written, and a good file is stored in one transaction, which
   * also meets the agency's open chronology request.
   */
  async upload(actor: Actor, caseId: string, agencyIdGiven: string | undefined, file: UploadedChronology | undefined): Promise<ChronologySubmissionView> {
    await this.access.requireCase(actor, caseId, 'chronology.upload');
      const agencyId = await this.agencyFor(actor, agencyIdGiven);
      const [{ involved }] = await this.dataSource.query(AGENCY_INVOLVED, [caseId, agencyId]);
      if (!involved) {
        throw conflict('agency-not-involved', 'Only an agency on the panel, or asked for a contribution, submits a chronology to this case.', {
          unmet: ['agency_not_involved'],
        });
      }
      if (!file) throw badRequest('file: a chronology file is required', [{ field: 'file', message: 'a chronology file is required' }]);
      const entries = this.accepted(await this.parse(file));
      return await this.dataSource.transaction(async (tx) => {
        const { found } = await this.access.requireCase(actor, caseId, 'chronology.upload', { manager: tx, lock: true });
        const [{ version }] = await tx.query(NEXT_VERSION, [caseId, agencyId]);
        const now = this.clock.now();
        const submission = await tx.save(
          tx.create(ChronologySubmission, {
            caseId,
            agencyId,
            version,
            rowCount: entries.length,
            originalName: file.originalname,
            uploadedBy: actor.userId,
            uploadedAt: now,
          }),
        );
        await insertEntries(tx, submission.id, entries);
        const metRequests = await markContributionSubmitted(tx, { caseId, agencyId, kind: 'chronology' }, now);
        await this.audit.record(tx, {
          action: 'chronology.submitted',
          entityType: 'chronology_submission',
          entityId: submission.id,
          caseId,
          partnershipId: found.partnershipId,
          changes: { originalName: { from: null, to: file.originalname } },
          details: { agencyId, version, rowCount: entries.length, contributionRequestsMet: metRequests },
        });
        for (const requestId of metRequests) {
          await this.audit.record(tx, {
            action: 'contribution.submitted',
            entityType: 'contribution_request',
            entityId: requestId,
            caseId,
            partnershipId: found.partnershipId,
            details: { chronologySubmissionId: submission.id, kind: 'chronology' },
          });
        }
        return toChronologySubmissionView(submission);
      });
  }

  private async agencyFor(actor: Actor, given: string | undefined): Promise<string> {
    if (actor.role === 'agency_lead') {
      if (given && given !== actor.agencyId) throw forbidden('An agency lead submits only their own agency’s chronology.');
      return actor.agencyId!;
    }
    if (!given) throw badRequest('agencyId: name the agency whose chronology this is', [{ field: 'agencyId', message: 'is required' }]);
    await requireActiveAgency(this.dataSource.manager, given);
    return given;
  }

  private async parse(file: UploadedChronology): Promise<ParseOutcome> {
    const format = await chronologyFormat(file.path, file.originalname);
    const options = { maxRows: this.config.chronologyMaxRows, today: londonDate(this.clock.now()) };
    return format === 'csv' ? parseCsv(file.path, options) : parseXlsx(file.path, options);
  }

  private accepted(outcome: ParseOutcome): ParsedEntry[] {
    if (outcome.ok) return outcome.entries;
    if (outcome.kind === 'file') throw unprocessable(outcome.detail, { errors: outcome.errors, moreErrors: 0 });
    const listed = outcome.errors.length;
    const detail = `${listed + outcome.moreErrors} problem(s) in the chronology; nothing was stored.`;
    throw unprocessable(detail, { errors: outcome.errors, moreErrors: outcome.moreErrors });
  }
}

async function insertEntries(tx: EntityManager, submissionId: string, entries: ParsedEntry[]): Promise<void> {
  for (let start = 0; start < entries.length; start += INSERT_BATCH) {
    const batch = entries.slice(start, start + INSERT_BATCH);
    await tx.query(INSERT_ENTRIES, [
      submissionId,
      batch.map((e) => e.rowNumber),
      batch.map((e) => e.eventOn),
      batch.map((e) => e.datePrecision),
      batch.map((e) => e.dateUncertain),
      batch.map((e) => e.dateText),
      batch.map((e) => e.eventTime),
      batch.map((e) => e.source),
      batch.map((e) => e.details),
      batch.map((e) => e.subject),
      batch.map((e) => e.eventType),
      batch.map((e) => e.actionTaken),
      batch.map((e) => e.comment),
    ]);
  }
}
