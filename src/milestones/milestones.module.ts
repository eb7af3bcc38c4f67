import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { MilestoneSources } from './milestone-sources.js';
import { MilestoneStateService } from './milestone-state.service.js';
import { MilestonesController } from './milestones.controller.js';
import { MilestonesService } from './milestones.service.js';
import { SweepService } from './sweep.service.js';
import { TimelineController } from './timeline.controller.js';

@Module({
  imports: [DiscoveryModule, NotificationsModule],
  controllers: [MilestonesController, TimelineController],
  providers: [MilestonesService, MilestoneSources, MilestoneStateService, SweepService],
  exports: [MilestonesService, MilestoneStateService, SweepService],
})
export class MilestonesModule {}
