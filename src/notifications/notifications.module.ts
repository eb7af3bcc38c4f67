import { Module } from '@nestjs/common';
import { DigestService } from './digest.service.js';
import { MailService } from './mail.service.js';
import { NotificationsController } from './notifications.controller.js';
import { NotificationsService } from './notifications.service.js';

@Module({
  controllers: [NotificationsController],
  providers: [NotificationsService, MailService, DigestService],
  exports: [NotificationsService, MailService, DigestService],
})
export class NotificationsModule {}
