import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor } from '../access/roles.js';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { pageBySeq, type Page } from '../common/pagination.js';
import { notFound } from '../common/problem.js';
import { NotificationQuery, NotificationView, toNotificationView } from './notification.dto.js';
import { Notification } from './notification.entity.js';

/** Each person's own notifications; anyone else's answer 404. */
@Injectable()
export class NotificationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  list(actor: Actor, query: NotificationQuery): Promise<Page<NotificationView>> {
    const q = this.dataSource.getRepository(Notification).createQueryBuilder('n').where('n.user_id = :me', { me: actor.userId });
    if (query.unread === true) q.andWhere('n.read_at IS NULL');
    if (query.unread === false) q.andWhere('n.read_at IS NOT NULL');
    return pageBySeq(q, query, toNotificationView, 'DESC');
  }

  async markRead(actor: Actor, id: string): Promise<NotificationView> {
    return this.dataSource.transaction(async (tx) => {
      const found = await tx.findOneBy(Notification, { id, userId: actor.userId });
      if (!found) throw notFound('notification');
      if (found.readAt) return toNotificationView(found);
      const readAt = this.clock.now();
      await tx.update(Notification, { id }, { readAt });
      await this.audit.record(tx, {
        action: 'notification.read',
        entityType: 'notification',
        entityId: id,
        caseId: found.caseId ?? undefined,
        changes: { readAt: { from: null, to: readAt.toISOString() } },
      });
      return toNotificationView({ ...found, readAt });
    });
  }
}
