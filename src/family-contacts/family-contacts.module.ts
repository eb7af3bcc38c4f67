import { Module } from '@nestjs/common';
import { FamilyContactsController } from './family-contacts.controller.js';
import { FamilyContactsService } from './family-contacts.service.js';

@Module({
  controllers: [FamilyContactsController],
  providers: [FamilyContactsService],
})
export class FamilyContactsModule {}
