import { Controller, Get, Header, Headers, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ClientScopes, Roles } from '../access/access.decorators.js';
import type { Principal } from '../access/client-principal.js';
import { CurrentPrincipal } from '../access/current-actor.decorator.js';
import { negotiatedFormat, XLSX_TYPE } from '../common/export-format.js';
import { REPORT_EXPORT_FORMATS, type ReportExportFormat } from './report-csv.js';
import {
  ActionsExportQuery,
  CasesExportQuery,
  DashboardQuery,
  DashboardView,
  LearningReportQuery,
  LearningView,
  LibraryItemView,
  LibraryPage,
  LibraryQuery,
  ReportQuery,
} from './report.dto.js';
import type { Page } from '../common/pagination.js';
import { LIBRARY_FORMATS } from './report-csv.js';
import { ReportsService, type ReportFile } from './reports.service.js';

const SVG = { description: 'An SVG picture, with a title and a description for screen readers', content: { 'image/svg+xml': { schema: { type: 'string' } } } };
const CSV = {
  description: 'CSV (UTF-8 with a byte order mark) by default, or an Excel workbook with ?format=xlsx or Accept naming it; as an attachment',
  content: { 'text/csv': { schema: { type: 'string' } }, [XLSX_TYPE]: { schema: { type: 'string', format: 'binary' } } },
};

/** The export's format: `?format=`, else the Accept header, else CSV. */
function exportFormat(format: ReportExportFormat | undefined, accept: string | undefined): ReportExportFormat {
  return negotiatedFormat(format, accept, REPORT_EXPORT_FORMATS, 'csv') as ReportExportFormat;
}

function attachment(file: ReportFile): StreamableFile {
  return new StreamableFile(file.body, { type: file.type, disposition: `attachment; filename="${file.filename}"` });
}

/**
 * The partnership's reports: the SDP admins' over every CSP, a CSP chair's
 * over their own (docs/domain.md, "Who may see and do what"); other roles
 * are refused (403). Reading one is audited.
 */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('dashboard')
  @Roles('sdp_admin', 'csp_chair')
  @ClientScopes('reports:read')
  @ApiOperation({
    summary:
      'Per partnership in your scope, and in total: cases by stage, cases on hold, overdue milestones, the median days from notification to decision and from decision to completion, and the share completed within the deadline.',
  })
  @ApiOkResponse({ type: DashboardView })
  dashboard(@CurrentPrincipal() reader: Principal, @Query() query: DashboardQuery): Promise<DashboardView> {
    return this.reports.dashboard(reader, query);
  }

  @Get('cases.csv')
  @Roles('sdp_admin', 'csp_chair')
  @ClientScopes('reports:read')
  @ApiProduces('text/csv', XLSX_TYPE)
  @ApiOperation({
    summary: 'Every case in your scope as CSV (or XLSX) for board papers: references, pseudonyms, dates and stage; never a real name or a summary.',
  })
  @ApiOkResponse(CSV)
  async casesCsv(@CurrentPrincipal() reader: Principal, @Query() query: CasesExportQuery, @Headers('accept') accept: string | undefined): Promise<StreamableFile> {
    return attachment(await this.reports.casesExport(reader, query, exportFormat(query.format, accept)));
  }

  @Get('learning')
  @Roles('sdp_admin', 'csp_chair')
  @ClientScopes('reports:read')
  @ApiOperation({
    summary:
      'The summary of learning over the reviews in your scope notified in the years from–to: every learning theme with the reviews and recommendations that carry it, and each agency’s open and overdue actions.',
  })
  @ApiOkResponse({ type: LearningView })
  learning(@CurrentPrincipal() reader: Principal, @Query() query: LearningReportQuery): Promise<LearningView> {
    return this.reports.learning(reader, query);
  }

  @Get('actions.csv')
  @Roles('sdp_admin', 'csp_chair')
  @ClientScopes('reports:read')
  @ApiProduces('text/csv', XLSX_TYPE)
  @ApiOperation({
    summary:
      'Every action of the reviews the learning report covers, as CSV (or XLSX) for board papers: reference, recommendation scope, owner agency, description, target date, status, RAG, overdue, completion date.',
  })
  @ApiOkResponse(CSV)
  async actionsCsv(@CurrentPrincipal() reader: Principal, @Query() query: ActionsExportQuery, @Headers('accept') accept: string | undefined): Promise<StreamableFile> {
    return attachment(await this.reports.actionsExport(reader, query, exportFormat(query.format, accept)));
  }

  @Get('library')
  @Roles('sdp_admin', 'csp_chair')
  @ClientScopes('reports:read')
  @ApiOperation({
    summary:
      'The published reviews in your scope for the national DHR library, newest publication first: reference, partnership, year of death (never the date), ' +
      'manner of death, relationship, police force area, learning themes, when and where published; never a name, a pseudonym or a date of birth. ' +
      `A JSON page; with Accept: text/csv or ?format=csv the whole of it as CSV, with Accept: ${XLSX_TYPE} or ?format=xlsx as an Excel workbook, as attachments. ?format wins over Accept.`,
  })
  @ApiProduces('application/json', 'text/csv', XLSX_TYPE)
  @ApiOkResponse({ type: LibraryPage })
  async library(
    @CurrentPrincipal() reader: Principal,
    @Query() query: LibraryQuery,
    @Headers('accept') accept: string | undefined,
  ): Promise<Page<LibraryItemView> | StreamableFile> {
    const format = negotiatedFormat(query.format, accept, LIBRARY_FORMATS, 'json');
    if (format === 'json') return this.reports.library(reader, query);
    return attachment(await this.reports.libraryExport(reader, query, format));
  }

  @Get('charts/stages.svg')
  @Roles('sdp_admin', 'csp_chair')
  @ClientScopes('reports:read')
  @Header('Content-Type', 'image/svg+xml; charset=utf-8')
  @ApiProduces('image/svg+xml')
  @ApiOperation({ summary: 'Cases by stage for each partnership in your scope, as a bar chart.' })
  @ApiOkResponse(SVG)
  stagesChart(@CurrentPrincipal() reader: Principal, @Query() query: ReportQuery): Promise<string> {
    return this.reports.stagesChart(reader, query);
  }

  @Get('charts/completion.svg')
  @Roles('sdp_admin', 'csp_chair')
  @ClientScopes('reports:read')
  @Header('Content-Type', 'image/svg+xml; charset=utf-8')
  @ApiProduces('image/svg+xml')
  @ApiOperation({ summary: 'The share of reviews completed within their regime’s deadline, by year of completion, over the partnerships in your scope.' })
  @ApiOkResponse(SVG)
  completionChart(@CurrentPrincipal() reader: Principal, @Query() query: ReportQuery): Promise<string> {
    return this.reports.completionChart(reader, query);
  }
}
