import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module.js';
import { DocumentsModule } from '../documents/documents.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { AnonymisationCheck } from './anonymisation-check.js';
import { ProtectedTermsService } from './protected-terms.service.js';
import { PublicationController } from './publication.controller.js';
import { PublicationService } from './publication.service.js';
import { PublicationsController } from './publications.controller.js';
import { publicationFeature } from './publication.manifest.js';

@Module({
  // The step and the facts from the cases module, the final reports' bytes from the documents module.
  imports: [CasesModule, DocumentsModule, NotificationsModule],
  controllers: [PublicationController, PublicationsController],
  providers: [PublicationService, ProtectedTermsService, AnonymisationCheck, ...(publicationFeature.plugins ?? [])],
})
export class PublicationModule {}
