import { Module } from '@nestjs/common';
import { FamilyContactFacts, FamilyContactMilestones } from './family-contacts.plugins.js';
import { FamilyContactsController } from './family-contacts.controller.js';
import { FamilyContactsService } from './family-contacts.service.js';

@Module({
  controllers: [FamilyContactsController],
  providers: [FamilyContactsService, FamilyContactFacts, FamilyContactMilestones],
})
export class FamilyContactsModule {}
