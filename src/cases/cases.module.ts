import { Module } from '@nestjs/common';
import { CasesController } from './cases.controller.js';
import { CasesService } from './cases.service.js';
import { HoldsService } from './holds.service.js';
import { StepsService } from './steps.service.js';

@Module({
  controllers: [CasesController],
  providers: [CasesService, StepsService, HoldsService],
})
export class CasesModule {}
