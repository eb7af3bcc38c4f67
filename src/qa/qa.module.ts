import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { QaController } from './qa.controller.js';
import { QaService } from './qa.service.js';
import { qaFeature } from './qa.manifest.js';

@Module({
  imports: [NotificationsModule],
  controllers: [QaController],
  providers: [QaService, ...(qaFeature.plugins ?? [])],
})
export class QaModule {}
