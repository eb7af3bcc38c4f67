import { Controller, Get, Headers, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Readable } from 'node:stream';
import { CaseRoute } from '../access/access.decorators.js';
import { CaseIdPipe } from '../access/case-id.pipe.js';
import { CurrentActor } from '../access/current-actor.decorator.js';
import type { Actor } from '../access/roles.js';
import { attachmentHeader } from '../common/openapi.js';
import type { Page } from '../common/pagination.js';
import { attachmentDisposition } from '../documents/content-disposition.js';
import { ChronologiesService } from './chronologies.service.js';
import { combinedCsv } from './chronology-csv.js';
import { chronologyRepresentation, XLSX_TYPE } from './chronology-export.js';
import { combinedXlsx } from './chronology-xlsx.js';
import { CombinedChronologyPage, CombinedChronologyQuery, CombinedEntryView } from './chronology.dto.js';

@ApiTags('chronologies')
@ApiBearerAuth()
@Controller('cases/:id/chronology')
export class CombinedChronologyController {
  constructor(private readonly chronologies: ChronologiesService) {}

  @Get()
  @CaseRoute('chronology.read')
  @ApiOperation({
    summary:
      'The combined chronology: each agency’s latest version, in date order (then time, then agency). With Accept: text/csv or ?format=csv, ' +
      `the whole of it as CSV; with Accept: ${XLSX_TYPE} or ?format=xlsx, the whole of it as an Excel workbook. Both are attachments named by the case's reference and the day. ` +
      '?format wins over Accept; ?format=json asks for the JSON page.',
  })
  @ApiProduces('application/json', 'text/csv', XLSX_TYPE)
  @ApiOkResponse({
    type: CombinedChronologyPage,
    headers: { 'Content-Disposition': attachmentHeader('With CSV or Excel: attachment, named by the case’s reference and the day', false) },
  })
  async read(
    @CurrentActor() actor: Actor,
    @Param('id', CaseIdPipe) id: string,
    @Query() query: CombinedChronologyQuery,
    @Headers('accept') accept: string | undefined,
  ): Promise<Page<CombinedEntryView> | StreamableFile> {
    const representation = chronologyRepresentation(accept, query.format);
    if (representation === 'json') return this.chronologies.combined(actor, id, query);
    const { rows, fileName } = await this.chronologies.combinedExport(actor, id, query, representation);
    const disposition = attachmentDisposition(fileName);
    if (representation === 'csv') return new StreamableFile(Readable.from(combinedCsv(rows)), { type: 'text/csv; charset=utf-8', disposition });
    return new StreamableFile(combinedXlsx(rows), { type: XLSX_TYPE, disposition });
  }
}
