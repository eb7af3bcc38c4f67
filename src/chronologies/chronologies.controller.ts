import { Body, Controller, Get, Param, Post, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CaseRoute } from '../access/access.decorators.js';
import { CaseIdPipe } from '../access/case-id.pipe.js';
import { CurrentActor } from '../access/current-actor.decorator.js';
import type { Actor } from '../access/roles.js';
import { ChronologySubmissionList, ChronologySubmissionView, UploadChronologyRequest } from './chronology.dto.js';
import { ChronologiesService, type UploadedChronology } from './chronologies.service.js';
import { UploadedFileRemoval } from './uploaded-file-removal.interceptor.js';

@ApiTags('chronologies')
@ApiBearerAuth()
@Controller('cases/:id/chronologies')
export class ChronologiesController {
  constructor(private readonly chronologies: ChronologiesService) {}

  @Get()
  @CaseRoute('chronology.read')
  @ApiOkResponse({ type: ChronologySubmissionList })
  list(@CurrentActor() actor: Actor, @Param('id', CaseIdPipe) id: string): Promise<ChronologySubmissionList> {
    return this.chronologies.list(actor, id);
  }

  @Post()
  @CaseRoute('chronology.upload')
  @UseInterceptors(FileInterceptor('file'), UploadedFileRemoval)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadChronologyRequest })
  @ApiOperation({ summary: 'Submit a chronology (CSV or XLSX) as a new version of the agency’s chronology: all rows or none.' })
  @ApiCreatedResponse({ type: ChronologySubmissionView })
  upload(
    @CurrentActor() actor: Actor,
    @Param('id', CaseIdPipe) id: string,
    @Body() body: UploadChronologyRequest,
    @UploadedFile() file: UploadedChronology | undefined,
  ): Promise<ChronologySubmissionView> {
    return this.chronologies.upload(actor, id, body.agencyId, file);
  }
}
