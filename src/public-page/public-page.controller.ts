import { applyDecorators, Controller, Get, Header, Logger, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { Public } from '../access/access.decorators.js';
import { attachmentHeader, cacheControlHeader, etagHeader } from '../common/openapi.js';
import { PageQuery, type Page } from '../common/pagination.js';
import { cachePublicly, PUBLIC_MAX_AGE_SECONDS, publicAnswer } from '../common/public-cache.js';
import { DOCX_TYPE } from '../documents/content-recognition.js';
import { attachmentDisposition } from '../documents/content-disposition.js';
import type { PublicDocumentName } from '../publication/published-documents.js';
import { PublicLearningView, PublicReviewPage, PublicReviewView } from './public-page.dto.js';
import { PublicPageService } from './public-page.service.js';

const CACHED = {
  'Cache-Control': cacheControlHeader(`public, max-age=${PUBLIC_MAX_AGE_SECONDS}`),
  ETag: etagHeader('Strong: send it back as If-None-Match for a 304 when nothing changed'),
};
const NOT_MODIFIED = { status: 304, description: 'Not modified since the ETag sent as If-None-Match' };
const EXTENSIONS: Record<string, string> = { 'application/pdf': 'pdf', [DOCX_TYPE]: 'docx', 'text/plain': 'txt' };

/** The OpenAPI description of a route serving one published document (docs/domain.md, "The public page"). */
function PublishedDocumentRoute(what: string, orNot = ''): MethodDecorator {
  return applyDecorators(
    ApiOperation({
      summary: `${what} of a published review, byte for byte the final file that passed the anonymisation check when it was published, as an attachment. 404 for a review not published, or withdrawn${orNot}.`,
    }),
    ApiOkResponse({
      description: 'The file',
      headers: { ...CACHED, 'Content-Disposition': attachmentHeader('attachment, named by the review’s reference and the document') },
      content: Object.fromEntries(Object.keys(EXTENSIONS).map((type) => [type, { schema: { type: 'string', format: 'binary' } }])),
    }),
    ApiResponse(NOT_MODIFIED),
    ApiParam({
      name: 'reference',
      description: 'The review’s reference, such as DHR-2026-001; anything else is not found',
      schema: { type: 'string', maxLength: 40, pattern: '^[A-Za-z0-9-]{1,40}$' },
    }),
  );
}

/**
 * The partnership's public page, without signing in (docs/domain.md, "The
 * public page"): cacheable by anyone, rate-limited per address like every
 * request from nobody signed in, and never more than a published report says.
 */
@ApiTags('public')
@Controller('public')
@Public()
export class PublicPageController {
  private readonly logger = new Logger(PublicPageController.name);

  constructor(private readonly page: PublicPageService) {}

  @Get('reviews')
  @ApiOperation({
    summary:
      'The published reviews of every partnership, newest publication first: reference, the victims’ pseudonyms, the partnership, the year of death, where and when published, the learning themes. A withdrawn review is not listed.',
  })
  @ApiOkResponse({ type: PublicReviewPage, headers: CACHED })
  @ApiResponse(NOT_MODIFIED)
  async reviews(@Query() query: PageQuery, @Res({ passthrough: true }) res: Response): Promise<Page<PublicReviewView>> {
    return publicAnswer(res, await this.page.reviews(query));
  }

  @Get('reviews.atom')
  @Header('Content-Type', 'application/atom+xml; charset=utf-8')
  @ApiProduces('application/atom+xml')
  @ApiOperation({ summary: 'An Atom 1.0 feed of the newest published reviews, each linking to its published documents.' })
  @ApiOkResponse({ description: 'The feed', headers: CACHED, content: { 'application/atom+xml': { schema: { type: 'string' } } } })
  @ApiResponse(NOT_MODIFIED)
  async feed(@Res({ passthrough: true }) res: Response): Promise<string> {
    return publicAnswer(res, await this.page.feed());
  }

  @Get('learning')
  @ApiOperation({
    summary:
      'The summary of learning across the published reviews: how many carry each learning theme, in all and by year of publication and partnership, and the share of their recommendations completed. Counts only.',
  })
  @ApiOkResponse({ type: PublicLearningView, headers: CACHED })
  @ApiResponse(NOT_MODIFIED)
  async learning(@Res({ passthrough: true }) res: Response): Promise<PublicLearningView> {
    return publicAnswer(res, await this.page.learning());
  }

  @Get('reviews/:reference/executive-summary')
  @PublishedDocumentRoute('The executive summary')
  async executiveSummary(@Param('reference') reference: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.send('executive-summary', reference, req, res);
  }

  @Get('reviews/:reference/overview-report')
  @PublishedDocumentRoute('The overview report')
  async overviewReport(@Param('reference') reference: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.send('overview-report', reference, req, res);
  }

  @Get('reviews/:reference/qa-letter')
  @PublishedDocumentRoute('The Home Office QA panel’s letter', ' or published without a QA letter')
  async qaLetter(@Param('reference') reference: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.send('qa-letter', reference, req, res);
  }

  /**
   * One published document of a review (published-documents.ts), byte for
   * byte the file its publication recorded, cacheable under its SHA-256.
   */
  private async send(name: PublicDocumentName, reference: string, req: Request, res: Response): Promise<void> {
    const file = await this.page.publishedDocument(reference, name);
    // The file's own SHA-256, recorded at upload: a strong ETag that needs no read of the file.
    cachePublicly(res, `"${file.document.sha256}"`);
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    const stream = await this.page.open(file).catch((error: unknown) => {
      // A file gone from the store answers 410, which no one may cache.
      for (const header of ['Cache-Control', 'ETag', 'Access-Control-Allow-Origin', 'Cross-Origin-Resource-Policy']) res.removeHeader(header);
      res.setHeader('Cache-Control', 'no-store');
      throw error;
    });
    const { contentType, sizeBytes } = file.document;
    res.setHeader('Content-Type', contentType === 'text/plain' ? 'text/plain; charset=utf-8' : contentType);
    res.setHeader('Content-Length', sizeBytes);
    // Named by reference and document: the uploaded file's own name could name someone.
    res.setHeader('Content-Disposition', attachmentDisposition(`${file.reference}-${name}.${EXTENSIONS[contentType] ?? 'bin'}`));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    try {
      await pipeline(stream, res);
    } catch (error) {
      // Headers are gone by now: the connection is cut, and the fault logged by document, never by name.
      this.logger.warn({ documentId: file.document.id, error: (error as Error).message }, 'a published document could not be sent whole');
    }
  }
}
