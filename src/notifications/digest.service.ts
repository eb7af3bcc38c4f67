import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../access/roles.js';
import { AuditService } from '../audit/audit.service.js';
import { londonDate } from '../common/calendar.js';
import { Clock } from '../common/clock.js';
import { MailService } from './mail.service.js';
import {
  awaitingDigest,
  claimDigest,
  digestLines,
  settleDigest,
  takeIntoDigest,
  tryDigestLock,
  type DigestLine,
  type DigestRecipient,
} from './notifications.queries.js';
import { NotificationsService, type AdminNotice } from './notifications.service.js';

/** Any fixed number, not the sweep's: every instance takes the same lock, so only one sends the digests at a time. */
const DIGEST_LOCK_KEY = 720_4201_2013;

/** A digest lists at most this many notifications; the rest are counted, and read in the API. */
export const DIGEST_LISTED = 100;

export interface DigestResult {
  day: string;
  skipped: boolean;
  /** How many people were sent a digest. */
  digestsSent: number;
  /** How many notifications those digests listed. */
  notificationsListed: number;
}

/** The summary of a digest: how many, since when, and each one's title (which names a case by reference and pseudonym only). */
export function digestWording(lines: DigestLine[]): AdminNotice {
  const total = lines[0].total;
  const since = londonDate(lines[0].createdAt);
  const listed = lines.map((line) => `- ${londonDate(line.createdAt)} ${line.title}`);
  const more = total > lines.length ? [`… and ${total - lines.length} more.`] : [];
  return {
    kind: 'notification_digest',
    title: `${total} new notification${total === 1 ? '' : 's'} since ${since}`,
    body: ['Your notifications in the DHR case-management service since your last digest:', ...listed, ...more].join('\n'),
  };
}

/**
 * The daily digest (docs/architecture.md, "Notifications"): once a day, each
 * person with notifications waiting for it is e-mailed ONE message listing
 * them, and told by ONE summary notification. At most one digest per person
 * per day (notification_digest_once), and one instance at a time (an
 * advisory lock), so a second run the same day sends nothing.
 */
@Injectable()
export class DigestService {
  private readonly logger = new Logger('NotificationDigest');

  constructor(
    private readonly dataSource: DataSource,
    private readonly notifications: NotificationsService,
    private readonly mail: MailService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Sends today's digests (today: the London date of the clock), to those who have none yet today. */
  async run(): Promise<DigestResult> {
    const day = londonDate(this.clock.now());
    if (!this.mail.enabled) return { day, skipped: true, digestsSent: 0, notificationsListed: 0 };
    const result = await this.dataSource.transaction(async (tx) => {
      if (!(await tryDigestLock(tx, DIGEST_LOCK_KEY))) return { day, skipped: true, digestsSent: 0, notificationsListed: 0 };
      let digestsSent = 0;
      let notificationsListed = 0;
      for (const person of await awaitingDigest(tx, day)) {
        const listed = await this.digestOf(tx, person, day);
        if (listed > 0) digestsSent += 1;
        notificationsListed += listed;
      }
      await this.audit.record(tx, { action: 'notifications.digested', actor: null, details: { day, digestsSent, notificationsListed } });
      return { day, skipped: false, digestsSent, notificationsListed };
    });
    this.logger.log(result, 'notification digest finished');
    return result;
  }

  /**
   * One person's digest: takes every notification waiting for it, and lists
   * those the person may still see (their case still in their scope, as in
   * their list). Answers how many it listed; none listed, nothing is sent.
   */
  private async digestOf(tx: EntityManager, person: DigestRecipient, day: string): Promise<number> {
    const digestId = await claimDigest(tx, person.userId, day, this.clock.now());
    if (!digestId) return 0;
    await takeIntoDigest(tx, person.userId, digestId);
    const reader: Actor = { userId: person.userId, role: person.role, partnershipId: person.partnershipId, agencyId: person.agencyId, sessionId: '' };
    const lines = await digestLines(tx, reader, digestId, DIGEST_LISTED);
    if (lines.length === 0) {
      await settleDigest(tx, digestId, null, 0);
      return 0;
    }
    const summaryId = await this.notifications.tellAtOnce(tx, { userId: person.userId, email: person.email }, digestWording(lines));
    await settleDigest(tx, digestId, summaryId, lines[0].total);
    return lines[0].total;
  }
}
