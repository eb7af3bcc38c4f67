import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isClient, type Principal } from '../access/client-principal.js';
import { isOverdue, ragOf } from '../actions/rag.js';
import { AuditService } from '../audit/audit.service.js';
import { STAGES } from '../cases/stages.js';
import { londonDate } from '../common/calendar.js';
import { Clock } from '../common/clock.js';
import { keysetBatches } from '../common/keyset-batches.js';
import { decodeCursor, pageSize, toPage, type Page } from '../common/pagination.js';
import { badRequest } from '../common/problem.js';
import type { Queryable } from '../common/sql.js';
import { renderCompletionChart, renderStagesChart } from './charts.js';
import {
  casesByStage,
  DashboardQuery,
  DashboardView,
  LearningQuery,
  LearningReportQuery,
  LearningView,
  LibraryItemView,
  LibraryQuery,
  OverdueReportQuery,
  ReportQuery,
  toDashboardView,
  toLearningView,
  toLibraryItemView,
  type ReportPartnership,
} from './report.dto.js';
import {
  ACTION_COLUMNS,
  CASE_COLUMNS,
  CLIENT_ACTION_COLUMNS,
  LIBRARY_COLUMNS,
  reportFile,
  type ActionExportLine,
  type ReportExportFormat,
  type ReportFile,
} from './report-csv.js';
import {
  actionsForExport,
  casesForExport,
  loadCompletionsByYear,
  loadDashboard,
  loadLearningRows,
  loadStageCounts,
  libraryPage,
  makeReadOnly,
  partnershipsInReportScope,
  type LibraryCursor,
} from './reports.queries.js';

/** Rows read per query while an export is written out. */
const EXPORT_BATCH = 1000;

/** An export, ready to stream: its file name and its lines. */
export type { ReportFile };

/**
 * The partnership's reports (docs/domain.md, "Reports and REST clients"):
 * figures computed in SQL over the partnerships in the reader's scope, and
 * every read and export audited. A report is about partnerships, not about
 * a case: its audit event names the partnership asked for, never a case.
 */
@Injectable()
export class ReportsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** The dashboard in one statement (dashboardSql): one round trip besides its audit event. */
  async dashboard(reader: Principal, query: DashboardQuery): Promise<DashboardView> {
    const asOf = this.today(query.asOf);
    const { partnerships, ...rows } = await loadDashboard(this.dataSource, reader, query.partnershipId, asOf, query.mannerOfDeath ?? null);
    const view = toDashboardView(partnerships, rows, asOf);
    await this.record(reader, 'report.read', 'dashboard', query);
    return view;
  }

  /** Cases by stage per partnership, as an SVG bar chart. */
  async stagesChart(reader: Principal, query: ReportQuery): Promise<string> {
    const asOf = this.today();
    const svg = await this.snapshot(reader, query.partnershipId, async (tx, partnerships) => {
      const rows = await loadStageCounts(tx, partnerships.map((p) => p.id));
      const series = partnerships.map((p) => ({ name: p.name, casesByStage: casesByStage(rows, (id) => id === p.id) }));
      return renderStagesChart(STAGES, series, asOf);
    });
    await this.record(reader, 'report.read', 'charts/stages.svg', query);
    return svg;
  }

  /** The share completed within the deadline by year of completion, over the partnerships in scope, as an SVG bar chart. */
  async completionChart(reader: Principal, query: ReportQuery): Promise<string> {
    const svg = await this.snapshot(reader, query.partnershipId, async (tx, partnerships) => {
      const rows = await loadCompletionsByYear(tx, partnerships.map((p) => p.id));
      const years = rows.map((row) => ({ year: row.year!, completed: row.completed, withinDeadline: row.within_deadline }));
      return renderCompletionChart(years, scopeName(partnerships));
    });
    await this.record(reader, 'report.read', 'charts/completion.svg', query);
    return svg;
  }

  /**
   * Every case of the partnerships in scope as CSV or XLSX, read in batches as it is
   * written out, so memory stays flat however many cases there are. Scope is
   * decided, and the export audited, before the first line.
   */
  async casesExport(reader: Principal, query: OverdueReportQuery, format: ReportExportFormat = 'csv'): Promise<ReportFile> {
    const asOf = this.today(query.asOf);
    const ids = (await partnershipsInReportScope(this.dataSource, reader, query.partnershipId)).map((p) => p.id);
    await this.record(reader, 'report.exported', 'cases.csv', query);
    const read = (after: string, limit: number) => casesForExport(this.dataSource, ids, after, asOf, limit);
    const rows = keysetBatches(EXPORT_BATCH, read, '0', (row) => row.seq);
    return reportFile(`dhr-cases-${asOf}`, 'Cases', format, CASE_COLUMNS, ids.length === 0 ? [] : rows);
  }

  /**
   * Every learning theme with the reviews and recommendations that carry it,
   * and each agency's open and overdue actions, over the reviews of the
   * partnerships in scope notified in the years asked for.
   */
  async learning(reader: Principal, query: LearningReportQuery): Promise<LearningView> {
    const span = yearSpan(query);
    const today = this.today();
    const mannerOfDeath = query.mannerOfDeath ?? null;
    const view = await this.snapshot(reader, query.partnershipId, async (tx, partnerships) =>
      toLearningView(await loadLearningRows(tx, { partnershipIds: partnerships.map((p) => p.id), ...span, mannerOfDeath }, today)),
    );
    await this.record(reader, 'report.read', 'learning', query);
    return view;
  }

  /**
   * Every action of the reviews the learning report covers, as CSV or XLSX, with its
   * RAG status and whether it is overdue as of today, read in batches as it
   * is written out. A REST client's has no descriptions (free text).
   */
  async actionsExport(reader: Principal, query: LearningQuery, format: ReportExportFormat = 'csv'): Promise<ReportFile> {
    const span = yearSpan(query);
    const today = this.today();
    const ids = (await partnershipsInReportScope(this.dataSource, reader, query.partnershipId)).map((p) => p.id);
    await this.record(reader, 'report.exported', 'actions.csv', query);
    const covered = { partnershipIds: ids, ...span };
    const rows = keysetBatches(
      EXPORT_BATCH,
      (after: [string, string], limit) => actionsForExport(this.dataSource, covered, after, limit),
      ['0', '0'],
      (row): [string, string] => [row.case_seq, row.seq],
    );
    async function* lines(): AsyncGenerator<ActionExportLine> {
      for await (const row of rows) {
        const times = { status: row.status, createdOn: row.created_on, targetOn: row.target_on };
        yield { ...row, rag: ragOf(times, today), overdue: isOverdue(times, today) };
      }
    }
    const columns = isClient(reader) ? CLIENT_ACTION_COLUMNS : ACTION_COLUMNS;
    return reportFile(`dhr-actions-${today}`, 'Actions', format, columns, ids.length === 0 ? [] : lines());
  }

  /**
   * The national library (docs/domain.md, "Reports and REST clients": the library): a page of the
   * published reviews of the partnerships in scope, newest publication first,
   * with the facts the library groups them by.
   */
  async library(reader: Principal, query: LibraryQuery): Promise<Page<LibraryItemView>> {
    const limit = pageSize(query);
    const after = decodeCursor(query.cursor, 2) as LibraryCursor | undefined;
    const ids = (await partnershipsInReportScope(this.dataSource, reader, query.partnershipId)).map((p) => p.id);
    const rows = ids.length === 0 ? [] : await libraryPage(this.dataSource, ids, after, limit + 1);
    await this.record(reader, 'report.read', 'library', query);
    return toPage(rows, limit, toLibraryItemView, (row) => [row.published_on, row.publication_id]);
  }

  /** The whole library as CSV or XLSX, read in batches as it is written out; scope decided and the export audited before the first line. */
  async libraryExport(reader: Principal, query: LibraryQuery, format: ReportExportFormat): Promise<ReportFile> {
    const today = this.today();
    const ids = (await partnershipsInReportScope(this.dataSource, reader, query.partnershipId)).map((p) => p.id);
    await this.record(reader, 'report.exported', 'library', query);
    const read = (after: LibraryCursor | undefined, limit: number) => libraryPage(this.dataSource, ids, after, limit);
    const rows = keysetBatches(EXPORT_BATCH, read, undefined, (row): LibraryCursor | undefined => [row.published_on, row.publication_id]);
    return reportFile(`dhr-library-${today}`, 'Library', format, LIBRARY_COLUMNS, ids.length === 0 ? [] : rows);
  }

  private today(asOf?: string): string {
    return asOf ?? londonDate(this.clock.now());
  }

  /**
   * Reads a report's figures from one snapshot of the database, so they add
   * up even while cases change, over the partnerships the reader's reports
   * cover (partnershipsInReportScope).
   */
  private snapshot<T>(reader: Principal, partnershipId: string | undefined, read: (tx: Queryable, partnerships: ReportPartnership[]) => Promise<T>): Promise<T> {
    return this.dataSource.transaction('REPEATABLE READ', async (tx) => {
      await makeReadOnly(tx);
      return read(tx, await partnershipsInReportScope(tx, reader, partnershipId));
    });
  }

  private async record(reader: Principal, action: 'report.read' | 'report.exported', report: string, query: { partnershipId?: string }): Promise<void> {
    await this.audit.recordNow({
      action,
      entityType: 'report',
      entityId: report,
      partnershipId: query.partnershipId ?? reader.partnershipId,
      details: { report, ...query },
    });
  }
}

/** The years a learning report covers; a span that ends before it starts is refused. */
function yearSpan(query: LearningQuery): { fromYear: number | null; toYear: number | null } {
  if (query.from !== undefined && query.to !== undefined && query.from > query.to) {
    throw badRequest('to must not be before from', [{ field: 'to', message: 'to must not be before from' }]);
  }
  return { fromYear: query.from ?? null, toYear: query.to ?? null };
}

/** How a chart names what it covers: the one partnership, or how many. */
function scopeName(partnerships: ReportPartnership[]): string {
  if (partnerships.length === 1) return partnerships[0].name;
  return partnerships.length === 0 ? 'No partnership in scope' : `All ${partnerships.length} partnerships`;
}
