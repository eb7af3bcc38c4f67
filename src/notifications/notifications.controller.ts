import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AnyRole } from '../access/access.decorators.js';
import { CurrentActor } from '../access/current-actor.decorator.js';
import type { Actor } from '../access/roles.js';
import type { Page } from '../common/pagination.js';
import { NotificationPage, NotificationQuery, NotificationSettingsView, NotificationView, UpdateNotificationSettings } from './notification.dto.js';
import { NotificationsService } from './notifications.service.js';
import { UuidParam } from '../common/uuid-param.js';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @AnyRole()
  @ApiOperation({ summary: 'The caller’s own notifications about cases in their current scope, and those about no case' })
  @ApiOkResponse({ type: NotificationPage })
  list(@CurrentActor() actor: Actor, @Query() query: NotificationQuery): Promise<Page<NotificationView>> {
    return this.notifications.list(actor, query);
  }

  @Get('settings')
  @AnyRole()
  @ApiOperation({ summary: 'How the caller is e-mailed their notifications: each at once, or a daily digest (the default)' })
  @ApiOkResponse({ type: NotificationSettingsView })
  settings(@CurrentActor() actor: Actor): Promise<NotificationSettingsView> {
    return this.notifications.settings(actor);
  }

  @Patch('settings')
  @AnyRole()
  @ApiOperation({ summary: 'Sets how the caller is e-mailed their notifications; only their own, audited' })
  @ApiOkResponse({ type: NotificationSettingsView })
  updateSettings(@CurrentActor() actor: Actor, @Body() body: UpdateNotificationSettings): Promise<NotificationSettingsView> {
    return this.notifications.updateSettings(actor, body);
  }

  @Post(':id/read')
  @AnyRole()
  @HttpCode(200)
  @ApiOperation({ summary: 'Marks one of the caller’s notifications read; one about a case out of their current scope answers 404' })
  @ApiOkResponse({ type: NotificationView })
  markRead(@CurrentActor() actor: Actor, @Param('id', UuidParam) id: string): Promise<NotificationView> {
    return this.notifications.markRead(actor, id);
  }
}
