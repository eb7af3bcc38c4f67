import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { QaController } from './qa.controller.js';
import { QaService } from './qa.service.js';

@Module({
  imports: [NotificationsModule],
  controllers: [QaController],
  providers: [QaService],
})
export class QaModule {}
