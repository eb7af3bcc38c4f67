import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { PageQuery } from '../common/pagination.js';
import { EMAIL_DELIVERIES, type EmailDelivery, type Notification } from './notification.entity.js';

export class NotificationQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'true: only those not yet read' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  unread?: boolean;
}

export class NotificationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'milestone_overdue' }) kind: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) caseId: string | null;
  @ApiProperty() title: string;
  @ApiProperty() body: string;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String }) readAt: string | null;
}

export function toNotificationView(n: Notification): NotificationView {
  return {
    id: n.id,
    kind: n.kind,
    caseId: n.caseId,
    title: n.title,
    body: n.body,
    createdAt: n.createdAt.toISOString(),
    readAt: n.readAt?.toISOString() ?? null,
  };
}

export class NotificationPage {
  @ApiProperty({ type: [NotificationView] }) items: NotificationView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

const EMAIL_DELIVERY_DESCRIPTION =
  'immediate: each notification e-mailed as it is made; daily_digest (the default): one e-mail a day listing them, with one summary notification. ' +
  'An overdue milestone is e-mailed at once either way. Notifications in the API are the same either way.';

export class NotificationSettingsView {
  @ApiProperty({ enum: EMAIL_DELIVERIES, description: EMAIL_DELIVERY_DESCRIPTION }) emailDelivery: EmailDelivery;
}

export class UpdateNotificationSettings {
  @ApiProperty({ enum: EMAIL_DELIVERIES, description: EMAIL_DELIVERY_DESCRIPTION })
  @IsIn(EMAIL_DELIVERIES)
  emailDelivery: EmailDelivery;
}
