import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import nodemailer, { type Transporter } from 'nodemailer';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';

const BATCH = 20;
const MAX_BACKOFF_MINUTES = 6 * 60;

/**
 * Sends queued e-mails from the outbox. A failed send is retried with
 * growing back-off; the notification itself is never lost, because it was
 * stored before the e-mail was queued. Several instances may run: each takes
 * the rows it sends with SKIP LOCKED.
 */
@Injectable()
export class MailService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Mail');
  private transport: Transporter | undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
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
    this.transport = nodemailer.createTransport(mail.smtpUrl);
    const timer = setInterval(() => void this.deliverDue().catch((e: unknown) => this.logger.error(String(e))), mail.intervalSeconds * 1000);
    this.scheduler.addInterval('mail-outbox', timer);
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }

  /** Sends what is due now; returns how many were sent and how many failed. */
  async deliverDue(): Promise<{ sent: number; failed: number }> {
    const mail = this.config.mail;
    if (!mail || !this.transport) return { sent: 0, failed: 0 };
    const transport = this.transport;
    return this.dataSource.transaction(async (tx) => {
      const now = this.clock.now();
      const due: { id: string; to_address: string; subject: string; body: string; attempts: number }[] = await tx.query(
        `SELECT id, to_address, subject, body, attempts FROM email_outbox
          WHERE status = 'pending' AND next_attempt_at <= $1
          ORDER BY next_attempt_at LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
        [now],
      );
      let sent = 0;
      for (const message of due) {
        try {
          await transport.sendMail({ from: mail.from, to: message.to_address, subject: message.subject, text: message.body });
          await tx.query(`UPDATE email_outbox SET status = 'sent', sent_at = $2, attempts = attempts + 1 WHERE id = $1`, [message.id, now]);
          sent += 1;
        } catch (error) {
          await this.recordFailure(tx, message.id, message.attempts + 1, error, now);
        }
      }
      return { sent, failed: due.length - sent };
    });
  }

  private async recordFailure(
    tx: { query: DataSource['query'] },
    id: string,
    attempts: number,
    error: unknown,
    now: Date,
  ): Promise<void> {
    const giveUp = attempts >= (this.config.mail?.maxAttempts ?? 1);
    const backoffMinutes = Math.min(2 ** attempts, MAX_BACKOFF_MINUTES);
    const reason = error instanceof Error ? error.message.slice(0, 500) : 'send failed';
    await tx.query(
      `UPDATE email_outbox SET attempts = $2, last_error = $3, status = $4, next_attempt_at = $5 WHERE id = $1`,
      [id, attempts, reason, giveUp ? 'failed' : 'pending', new Date(now.getTime() + backoffMinutes * 60_000)],
    );
    this.logger.warn({ outboxId: id, attempts, gaveUp: giveUp }, 'an e-mail could not be sent');
  }
}
