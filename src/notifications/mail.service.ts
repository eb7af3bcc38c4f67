import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import nodemailer, { type Transporter } from 'nodemailer';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { claimDueEmails, settleEmail, type EmailOutcome } from './notifications.queries.js';

/** Where an e-mail in the outbox stands (email_outbox.status). */
export const OUTBOX_STATUSES = ['pending', 'sent', 'failed'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

const BATCH = 20;
const MAX_BACKOFF_MINUTES = 6 * 60;
/** A claimed e-mail is not offered to another instance for this long. */
const LEASE_MINUTES = 30;

/** SMTP_URL as transport options, with bounded waits so a batch always finishes well inside its lease. */
function smtpOptions(smtpUrl: string) {
  const url = new URL(smtpUrl);
  const secure = url.protocol === 'smtps:';
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  };
}

/**
 * Sends queued e-mails from the outbox. A failed send is retried with
 * growing back-off; the notification itself is never lost, because it was
 * stored before the e-mail was queued. E-mail to someone deactivated since
 * is not sent.
 */
@Injectable()
export class MailService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Mail');
  private transport: Transporter | undefined;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly scheduler: SchedulerRegistry,
    private readonly clock: Clock,
  ) {}

  get enabled(): boolean {
    return this.config.mail !== undefined;
  }

  onApplicationBootstrap(): void {
    const mail = this.config.mail;
    if (!mail) {
      this.logger.warn('SMTP_URL is not set: notifications are kept in the API but not e-mailed');
      return;
    }
    // Bounded waits, so that a batch always finishes well inside its lease.
    this.transport = nodemailer.createTransport(smtpOptions(mail.smtpUrl));
    const timer = setInterval(() => void this.deliverDue().catch((e: unknown) => this.logger.error(String(e))), mail.intervalSeconds * 1000);
    this.scheduler.addInterval('mail-outbox', timer);
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }

  /**
   * Sends one e-mail at once, bypassing the outbox, for a message that must
   * not be stored anywhere: an unlock link (docs/security.md, "Sign-in limits
   * and trusted proxies"). Answers false when mail is off; a failed send throws.
   */
  async sendNow(message: { to: string; subject: string; text: string }): Promise<boolean> {
    const mail = this.config.mail;
    if (!mail || !this.transport) return false;
    await this.transport.sendMail({ from: mail.from, ...message });
    return true;
  }

  /**
   * Sends what is due now; returns how many were sent and how many failed.
   * Rows are claimed with a lease in a short transaction, then sent one by
   * one outside it, each result written on its own: a failure later in the
   * batch cannot undo the record of an e-mail already sent.
   */
  async deliverDue(): Promise<{ sent: number; failed: number }> {
    const mail = this.config.mail;
    if (!mail || !this.transport) return { sent: 0, failed: 0 };
    const now = this.clock.now();
    const lease = new Date(now.getTime() + LEASE_MINUTES * 60_000);
    const claimed = await this.claimDue(now, lease);
    let sent = 0;
    for (const message of claimed) {
      if (!message.recipient_active) {
        await this.settle(message.id, lease, { status: 'failed', lastError: 'recipient deactivated' });
        continue;
      }
      try {
        await this.transport.sendMail({ from: mail.from, to: message.to_address, subject: message.subject, text: message.body });
        await this.settle(message.id, lease, { status: 'sent', attempts: message.attempts + 1, sentAt: this.clock.now() });
        sent += 1;
      } catch (error) {
        await this.recordFailure(message.id, lease, message.attempts + 1, error, now);
      }
    }
    return { sent, failed: claimed.length - sent };
  }

  /** Writes the outcome only while this run still holds the row's lease (its next_attempt_at). */
  private async settle(id: string, lease: Date, outcome: EmailOutcome & { status: OutboxStatus }): Promise<void> {
    await settleEmail(this.dataSource, id, lease, outcome);
  }

  /** Several instances may work the outbox: each claims different rows (SKIP LOCKED) for a lease. */
  private claimDue(now: Date, lease: Date) {
    return claimDueEmails(this.dataSource, now, lease, BATCH);
  }

  private async recordFailure(id: string, lease: Date, attempts: number, error: unknown, now: Date): Promise<void> {
    const giveUp = attempts >= (this.config.mail?.maxAttempts ?? 1);
    const backoffMinutes = Math.min(2 ** attempts, MAX_BACKOFF_MINUTES);
    const reason = error instanceof Error ? error.message.slice(0, 500) : 'send failed';
    await this.settle(id, lease, {
      status: giveUp ? 'failed' : 'pending',
      attempts,
      lastError: reason,
      nextAttemptAt: new Date(now.getTime() + backoffMinutes * 60_000),
    });
    this.logger.warn({ outboxId: id, attempts, gaveUp: giveUp }, 'an e-mail could not be sent');
  }
}
