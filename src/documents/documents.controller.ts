import { Body, Controller, Get, Param, Post, Res, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CaseRoute } from '../access/access.decorators.js';
import { CaseIdPipe } from '../access/case-id.pipe.js';
import { CurrentActor } from '../access/current-actor.decorator.js';
import { attachmentHeader } from '../common/openapi.js';
import { asOneLine } from '../common/text-rules.js';
import type { Actor } from '../access/roles.js';
import { DOCUMENT_KINDS } from './case-document.entity.js';
import { DOCX_TYPE } from './content-recognition.js';
import { attachmentDisposition } from './content-disposition.js';
import { DocumentList, DocumentView, UploadDocumentRequest } from './document.dto.js';
import { DocumentsService } from './documents.service.js';
import type { UploadedDocument } from './staging-storage.js';
import { StagedUploadDiscard } from './staged-upload-discard.interceptor.js';
import { UuidParam } from '../common/uuid-param.js';

@ApiTags('documents')
@ApiBearerAuth()
@Controller()
export class DocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  @Post('cases/:id/documents')
  @CaseRoute('document.upload')
  @UseInterceptors(FileInterceptor('file'), StagedUploadDiscard)
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file', 'kind'],
      properties: {
        file: { type: 'string', format: 'binary' },
        kind: { type: 'string', enum: [...DOCUMENT_KINDS] },
        agencyId: { type: 'string', format: 'uuid', maxLength: 36, description: 'Required for an IMR' },
        final: { type: 'string', enum: ['true', 'false'] },
      },
    },
  })
  @ApiOperation({ summary: 'Upload a new version of a document (PDF, DOCX or plain text, recognised by content).' })
  @ApiCreatedResponse({ type: DocumentView })
  upload(
    @CurrentActor() actor: Actor,
    @Param('id', CaseIdPipe) id: string,
    @Body() body: UploadDocumentRequest,
    @UploadedFile() file: UploadedDocument | undefined,
  ): Promise<DocumentView> {
    return this.documents.upload(actor, id, body, file);
  }

  @Get('cases/:id/documents')
  @CaseRoute('document.read')
  @ApiOperation({ summary: "A case's documents the caller may read: metadata only." })
  @ApiOkResponse({ type: DocumentList })
  list(@CurrentActor() actor: Actor, @Param('id', CaseIdPipe) id: string): Promise<DocumentList> {
    return this.documents.list(actor, id);
  }

  @Get('documents/:id/content')
  @CaseRoute('document.read')
  @ApiOperation({ summary: 'Download one document, as an attachment.' })
  @ApiOkResponse({
    description: 'The file, as uploaded',
    headers: { 'Content-Disposition': attachmentHeader('attachment, named as uploaded') },
    content: Object.fromEntries(['application/pdf', DOCX_TYPE, 'text/plain'].map((type) => [type, { schema: { type: 'string', format: 'binary' } }])),
  })
  async content(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const { document, stream } = await this.documents.open(actor, id);
    res.setHeader('Content-Type', document.contentType === 'text/plain' ? 'text/plain; charset=utf-8' : document.contentType);
    res.setHeader('Content-Length', document.sizeBytes);
    res.setHeader('Content-Disposition', attachmentDisposition(asOneLine(document.originalName)));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'no-store');
    return new StreamableFile(stream);
  }
}
