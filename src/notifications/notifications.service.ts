import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AccessService } from '../access/access.service.js';
import type { Actor } from '../access/roles.js';
import { AuditService, changedFields, fieldChanges } from '../audit/audit.service.js';
import { caseName } from '../cases/case-names.js';
import { caseLabels } from '../cases/cases.queries.js';
import { Clock } from '../common/clock.js';
import { decodeCursor, pageSize, toPage, type Page } from '../common/pagination.js';
import { notFound } from '../common/problem.js';
import { asFreeText, asOneLine } from '../common/text-rules.js';
import { MailService } from './mail.service.js';
import { DEFAULT_EMAIL_DELIVERY, type EmailDelivery } from './notification.entity.js';
import { NotificationQuery, NotificationSettingsView, NotificationView, toNotificationView, UpdateNotificationSettings } from './notification.dto.js';
import {
  activeAdmins,
  activeAgencyLeads,
  activePartnershipChairs,
  emailDeliveries,
  findOwnNotification,
  insertNotifications,
  listNotifications,
  markNotificationRead,
  queueEmails,
  saveEmailDelivery,
  type Recipient,
} from './notifications.queries.js';

/**
 * Something to tell a case's people. The notifier names the case itself, by
 * reference and pseudonym only (caseName): `words` is given that name and
 * writes the title and body, which are stored, shown in lists and e-mailed.
 */
export interface Notice {
  caseId: string;
  kind: string;
  words: (caseName: string) => Wording;
  /** The milestone alert that raised it, if any. */
  alertId?: string;
  /**
   * E-mailed at once whatever the person's setting (an overdue milestone);
   * otherwise a person on the daily digest is e-mailed it with the day's
   * digest (docs/architecture.md, "Notifications").
   */
  urgent?: boolean;
}

export interface Wording {
  title: string;
  body: string;
}

/**
 * Something to tell the SDP administrators that concerns no case, such as an
 * account locked for everyone. Its words name no one by their real name.
 */
export interface AdminNotice extends Wording {
  kind: string;
  urgent?: boolean;
}

/** A notice in its final words, the case (if any) named. */
type Worded = Omit<Notice, 'caseId' | 'words'> & Wording & { caseId: string | null };

/**
 * Notifications: the one writer of the notification table and the e-mail
 * outbox, and each person's own list, within their current scope (anyone
 * else's, or one about a case out of scope, answers 404).
 */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly mail: MailService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * Tells each notice's case people (AccessService.casePeople), inside the
   * caller's transaction, and e-mails each when mail is on: at once, or in
   * their daily digest, as they chose (docs/architecture.md, "Notifications").
   * Returns how many notifications were written.
   */
  async raise(tx: EntityManager, notices: Notice[]): Promise<number> {
    if (notices.length === 0) return 0;
    const caseIds = [...new Set(notices.map((n) => n.caseId))];
    const people = await this.access.casePeople(tx, caseIds);
    const worded = await this.named(tx, notices);
    const messages = worded.flatMap((notice) => (people.get(notice.caseId!) ?? []).map((to) => ({ notice, to })));
    return (await this.write(tx, messages)).length;
  }

  /**
   * Tells every active SDP administrator of something that concerns no case,
   * inside the caller's transaction, with an e-mail each when mail is on.
   */
  async raiseToAdmins(tx: EntityManager, notice: AdminNotice): Promise<number> {
    const admins = await activeAdmins(tx);
    const ids = await this.write(
      tx,
      admins.map((to) => ({ notice: { ...notice, caseId: null }, to })),
    );
    return ids.length;
  }

  /**
   * Tells the active leads of one agency of something their agency is asked
   * to do in a case (an action it owns), inside the caller's transaction,
   * with an e-mail each when mail is on. The case must be in their scope by
   * then, or they would not see the notification (list hides it).
   */
  async raiseToAgency(tx: EntityManager, agencyId: string, notice: Notice): Promise<number> {
    const leads = await activeAgencyLeads(tx, agencyId);
    if (leads.length === 0) return 0;
    const [worded] = await this.named(tx, [notice]);
    const ids = await this.write(
      tx,
      leads.map((to) => ({ notice: worded, to })),
    );
    return ids.length;
  }

  /**
   * Tells the active CSP chairs of one partnership of something that
   * concerns no case they may still see (a case moved out of their
   * partnership), inside the caller's transaction, with an e-mail each when
   * mail is on. The notice is about no case, so that it stays in their list
   * though the case has left their scope: its words name the case by its
   * reference alone (docs/domain.md, "Transfer between partnerships").
   */
  async raiseToPartnershipChairs(tx: EntityManager, partnershipId: string, notice: AdminNotice): Promise<number> {
    const chairs = await activePartnershipChairs(tx, partnershipId);
    const ids = await this.write(
      tx,
      chairs.map((to) => ({ notice: { ...notice, caseId: null }, to })),
    );
    return ids.length;
  }

  /** The notices in their words, each case named the one way cases are named outside their detail. */
  private async named(tx: EntityManager, notices: Notice[]): Promise<Worded[]> {
    const labels = await caseLabels(tx, [...new Set(notices.map((n) => n.caseId))]);
    return notices.map(({ words, ...notice }) => {
      const label = labels.get(notice.caseId);
      if (!label) throw new Error(`no case ${notice.caseId} to name in a notification`);
      return { ...notice, ...words(caseName(label)) };
    });
  }

  /**
   * Tells one person of something that concerns no case, e-mailed at once
   * whatever their setting: their daily digest's summary.
   */
  async tellAtOnce(tx: EntityManager, to: Recipient, notice: AdminNotice): Promise<string> {
    const [id] = await this.write(tx, [{ notice: { ...notice, caseId: null, urgent: true }, to }]);
    return id;
  }

  /** Writes the notifications, queues the e-mails due now, and answers the notifications' ids in the messages' order. */
  private async write(tx: EntityManager, messages: { notice: Worded; to: Recipient }[]): Promise<string[]> {
    if (messages.length === 0) return [];
    // A pseudonym or reference stored before text was held to today's rule may still hide a
    // bidirectional or zero-width character: none reaches a title, a body or an e-mail
    // (docs/security.md, "Format characters and repeated refusals").
    messages = messages.map(({ notice, to }) => ({ notice: { ...notice, title: asOneLine(notice.title), body: asFreeText(notice.body) }, to }));
    // Ids made here, so that each e-mail is tied to its notification without relying on insertion order.
    const ids = messages.map(() => randomUUID());
    const atOnce = await this.emailedAtOnce(tx, messages);
    await insertNotifications(
      tx,
      messages.map(({ notice, to }, i) => ({
        id: ids[i],
        userId: to.userId,
        caseId: notice.caseId,
        alertId: notice.alertId ?? null,
        kind: notice.kind,
        title: notice.title,
        body: notice.body,
        awaitsDigest: this.mail.enabled && !atOnce[i],
      })),
      this.clock.now(),
    );
    const now = messages.flatMap((message, i) => (atOnce[i] ? [{ ...message, id: ids[i] }] : []));
    if (now.length > 0) {
      await queueEmails(
        tx,
        now.map(({ notice, to, id }) => ({
          notificationId: id,
          to: to.email,
          subject: `[DHR] ${notice.title}`,
          body: `${notice.body}\n\nSign in to the DHR case-management service to see ${notice.caseId ? 'the case' : 'more'}.`,
        })),
        this.clock.now(),
      );
    }
    return ids;
  }

  /** For each message, whether it is e-mailed now: it is urgent, or its person chose to be e-mailed each notice at once. */
  private async emailedAtOnce(tx: EntityManager, messages: { notice: Worded; to: Recipient }[]): Promise<boolean[]> {
    if (!this.mail.enabled) return messages.map(() => false);
    const chosen = await emailDeliveries(
      tx,
      messages.filter(({ notice }) => !notice.urgent).map(({ to }) => to.userId),
    );
    return messages.map(({ notice, to }) => notice.urgent === true || (chosen.get(to.userId) ?? DEFAULT_EMAIL_DELIVERY) === 'immediate');
  }

  /** The caller's own e-mail setting (the default until they choose). */
  async settings(actor: Actor): Promise<NotificationSettingsView> {
    const chosen = await emailDeliveries(this.dataSource, [actor.userId]);
    return { emailDelivery: chosen.get(actor.userId) ?? DEFAULT_EMAIL_DELIVERY };
  }

  /** Sets the caller's own e-mail setting; a change is audited. */
  async updateSettings(actor: Actor, body: UpdateNotificationSettings): Promise<NotificationSettingsView> {
    return this.dataSource.transaction(async (tx) => {
      const before: EmailDelivery = (await emailDeliveries(tx, [actor.userId])).get(actor.userId) ?? DEFAULT_EMAIL_DELIVERY;
      if (body.emailDelivery === before) return { emailDelivery: before };
      await saveEmailDelivery(tx, actor.userId, body.emailDelivery, this.clock.now());
      await this.audit.record(tx, {
        action: 'notification_settings.updated',
        entityType: 'user',
        entityId: actor.userId,
        changes: changedFields({ emailDelivery: before }, { emailDelivery: body.emailDelivery }),
      });
      return { emailDelivery: body.emailDelivery };
    });
  }

  /**
   * The caller's own notifications whose case is in their current scope (a
   * person moved to another CSP, or taken off a case, no longer sees what
   * they were told about it), and those about no case.
   */
  async list(actor: Actor, query: NotificationQuery): Promise<Page<NotificationView>> {
    const limit = pageSize(query);
    const after = decodeCursor(query.cursor, 1);
    const rows = await listNotifications(this.dataSource, actor, { unread: query.unread, beforeSeq: after && String(after[0]) }, limit + 1);
    return toPage(rows, limit, toNotificationView, (row) => [Number(row.seq)]);
  }

  async markRead(actor: Actor, id: string): Promise<NotificationView> {
    return this.dataSource.transaction(async (tx) => {
      const found = await findOwnNotification(tx, id, actor.userId);
      if (!found) throw notFound('notification');
      // A notification about a case no longer in the caller's scope answers exactly as a missing one (and the attempt is audited).
      if (found.caseId) await this.access.requireCase(actor, found.caseId, 'case.read', { manager: tx, notFoundAs: 'notification' });
      if (found.readAt) return toNotificationView(found);
      const readAt = this.clock.now();
      // Not marked: a request at the same moment marked it first, and audited it.
      if (!(await markNotificationRead(tx, id, readAt))) return toNotificationView((await findOwnNotification(tx, id, actor.userId))!);
      await this.audit.record(tx, {
        action: 'notification.read',
        entityType: 'notification',
        entityId: id,
        caseId: found.caseId ?? undefined,
        changes: fieldChanges(null, { readAt: readAt.toISOString() }),
      });
      return toNotificationView({ ...found, readAt });
    });
  }
}
