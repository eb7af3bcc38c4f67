import { Module } from '@nestjs/common';
import { FamilyContactsController } from './family-contacts.controller.js';
import { FamilyContactsService } from './family-contacts.service.js';
import { familyContactsFeature } from './family-contacts.manifest.js';

@Module({
  controllers: [FamilyContactsController],
  providers: [FamilyContactsService, ...(familyContactsFeature.plugins ?? [])],
})
export class FamilyContactsModule {}
