import { Controller, Get, Header, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../access/access.decorators.js';
import { cacheControlHeader, etagHeader } from '../common/openapi.js';
import { PageQuery } from '../common/pagination.js';
import { PUBLIC_MAX_AGE_SECONDS, publicAnswer } from '../common/public-cache.js';
import { PublicPageService } from './public-page.service.js';
import { WEB_PAGE_CSS, WEB_PAGE_PATH, WEB_PAGE_STYLESHEET_PATH } from './web-page.js';

const CACHED = {
  'Cache-Control': cacheControlHeader(`public, max-age=${PUBLIC_MAX_AGE_SECONDS}`),
  ETag: etagHeader('Strong: send it back as If-None-Match for a 304 when nothing changed'),
};
const NOT_MODIFIED = { status: 304, description: 'Not modified since the ETag sent as If-None-Match' };

/**
 * The public page as a web page for people to read, outside the API's
 * `/api` prefix (docs/domain.md, "The public page"): server-rendered HTML
 * with no script, and its stylesheet. Cached, rate-limited and unaudited
 * like the rest of the public page; its own Content-Security-Policy
 * (common/security-headers.ts).
 */
@ApiTags('public')
@Controller()
@Public()
export class WebPageController {
  constructor(private readonly page: PublicPageService) {}

  @Get(WEB_PAGE_PATH)
  @Header('Content-Type', 'text/html; charset=utf-8')
  @ApiProduces('text/html')
  @ApiOperation({
    summary:
      'The public page as a web page: the published reviews, newest first, each with its documents to download, and the summary of learning. Plain HTML, no script; "Older reviews" links to the next page with its cursor.',
  })
  @ApiOkResponse({ description: 'The page', headers: CACHED, content: { 'text/html': { schema: { type: 'string' } } } })
  @ApiResponse(NOT_MODIFIED)
  async reviews(@Query() query: PageQuery, @Res({ passthrough: true }) res: Response): Promise<string> {
    return publicAnswer(res, await this.page.webPage(query));
  }

  @Get(WEB_PAGE_STYLESHEET_PATH)
  @Header('Content-Type', 'text/css; charset=utf-8')
  @ApiProduces('text/css')
  @ApiOperation({ summary: 'The web page’s stylesheet.' })
  @ApiOkResponse({ description: 'The stylesheet', headers: CACHED, content: { 'text/css': { schema: { type: 'string' } } } })
  @ApiResponse(NOT_MODIFIED)
  stylesheet(@Res({ passthrough: true }) res: Response): string {
    return publicAnswer(res, WEB_PAGE_CSS);
  }
}
