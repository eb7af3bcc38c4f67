import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { MilestonesController } from './milestones.controller.js';
import { MilestonesService } from './milestones.service.js';
import { SweepService } from './sweep.service.js';
import { TimelineController } from './timeline.controller.js';

@Module({
  imports: [NotificationsModule],
  controllers: [MilestonesController, TimelineController],
  providers: [MilestonesService, SweepService],
  exports: [MilestonesService, SweepService],
})
export class MilestonesModule {}
