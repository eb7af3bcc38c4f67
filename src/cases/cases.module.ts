import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { CaseFactsService } from './case-facts.js';
import { CasesController } from './cases.controller.js';
import { CasesService } from './cases.service.js';
import { HoldsService } from './holds.service.js';
import { StageEntries } from './stage-entries.js';
import { StepsService } from './steps.service.js';
import { TransferService } from './transfer.service.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { casesFeature } from './cases.manifest.js';

@Module({
  imports: [DiscoveryModule, NotificationsModule],
  controllers: [CasesController],
  providers: [CasesService, StepsService, HoldsService, TransferService, CaseFactsService, StageEntries, ...(casesFeature.plugins ?? [])],
  // Publication takes its step and reads every fact for its check through these; the Home Office correspondence changes the case through CasesService.
  exports: [StepsService, CaseFactsService, CasesService],
})
export class CasesModule {}
