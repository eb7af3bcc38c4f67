import { Module } from '@nestjs/common';
import { DocumentsModule } from '../documents/documents.module.js';
import { ThemesModule } from '../themes/themes.module.js';
import { PublicPageController } from './public-page.controller.js';
import { PublicPageService } from './public-page.service.js';
import { WebPageController } from './web-page.controller.js';

/** The partnership's public page: published reviews, their executive summaries and a feed, without signing in, and the same as a web page. */
@Module({
  // The executive summaries' bytes from the documents module, the themes' labels from the themes module.
  imports: [DocumentsModule, ThemesModule],
  controllers: [PublicPageController, WebPageController],
  providers: [PublicPageService],
})
export class PublicPageModule {}
