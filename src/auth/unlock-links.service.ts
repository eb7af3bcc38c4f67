import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { badRequest } from '../common/problem.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { MailService } from '../notifications/mail.service.js';
import type { User } from '../users/user.entity.js';
import { lockUserByEmail, unlockUser } from '../users/users.queries.js';
import { clearSignInLocks, issueUnlockLink, spendUnlockLink, unlockLinkMadeAt } from './auth.queries.js';

/** An unlock e-mail to send once its link is committed; the token exists nowhere else. */
export interface UnlockMail {
  userId: string;
  to: string;
  token: string;
  expiresAt: Date;
}

/** Asking again within this long sends nothing: the link already sent still works. */
const RESEND_AFTER_MINUTES = 5;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

const unlockRefused = () =>
  badRequest('The unlock link is unknown, spent or expired. Ask for a new one.', [{ field: 'token', message: 'token is unknown, spent or expired' }]);

/**
 * The links that lift a sign-in lock (docs/security.md, "Sign-in limits and
 * trusted proxies"). An account locked after many wrong passwords in a row
 * has one live link: a 256-bit token, stored only as its SHA-256, valid
 * UNLOCK_LINK_MINUTES, spent by its first use, e-mailed to the account's own
 * address and nowhere else (not the outbox, not a notification, not a log).
 * A second factor, once people have one, is meant to lift the lock the same
 * way: through `liftLock`.
 */
@Injectable()
export class UnlockLinks implements BeforeApplicationShutdown {
  private readonly logger = new Logger('UnlockLinks');
  private readonly sending = new Set<Promise<void>>();

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly mail: MailService,
    private readonly clock: Clock,
  ) {}

  /** A new link for a locked account, in the caller's transaction, the old one stopping; deliver() sends it after the commit. */
  async issue(tx: EntityManager, user: User, trigger: 'locked' | 'requested'): Promise<UnlockMail> {
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.config.unlockLinkMinutes * 60_000);
    await issueUnlockLink(tx, user.id, hashToken(token), now, expiresAt);
    await this.audit.record(tx, {
      action: 'auth.unlock_link.issued',
      actor: null,
      entityType: 'user',
      entityId: user.id,
      details: { trigger, expiresAt: expiresAt.toISOString() },
    });
    return { userId: user.id, to: user.email, token, expiresAt };
  }

  /**
   * Sends the e-mail without keeping the request waiting: how long a refusal
   * takes must not tell a stranger that an account exists or has just locked.
   */
  deliver(mail: UnlockMail): void {
    const sending: Promise<void> = this.send(mail).finally(() => this.sending.delete(sending));
    this.sending.add(sending);
  }

  /** Resolves once every unlock e-mail under way has gone or failed (at shutdown; tests wait on it too). */
  async idle(): Promise<void> {
    await Promise.all([...this.sending]);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.idle();
  }

  /**
   * A new link for whoever owns `email`, if that account is active and
   * locked and was not sent one in the last few minutes; nothing otherwise.
   * The caller answers the same either way.
   */
  async request(email: string): Promise<void> {
    const mail = await this.dataSource.transaction(async (tx) => {
      const user = await lockUserByEmail(tx, email.trim());
      if (!user?.active || !user.lockedAt) return undefined;
      const madeAt = await unlockLinkMadeAt(tx, user.id);
      if (madeAt && madeAt.getTime() > this.clock.now().getTime() - RESEND_AFTER_MINUTES * 60_000) return undefined;
      return this.issue(tx, user, 'requested');
    });
    if (mail) this.deliver(mail);
  }

  /** Spends the link and lifts its account's lock; an unknown, spent or expired link is refused alike (400). */
  async unlock(token: string): Promise<void> {
    const unlocked = await this.dataSource.transaction(async (tx) => {
      const link = await spendUnlockLink(tx, hashToken(token));
      if (!link || link.expires_at <= this.clock.now()) {
        await this.audit.record(tx, {
          action: 'auth.unlock.refused',
          actor: null,
          entityType: 'user',
          entityId: link?.user_id,
          details: { reason: link ? 'expired' : 'unknown_or_spent' },
        });
        return false;
      }
      await this.liftLock(tx, link.user_id, 'unlock_link');
      return true;
    });
    if (!unlocked) throw unlockRefused();
  }

  /** Lifts the account's lock, its counts and its slowdown, and audits by what. */
  async liftLock(tx: EntityManager, userId: string, by: 'unlock_link'): Promise<void> {
    await unlockUser(tx, userId);
    await clearSignInLocks(tx, userId);
    await this.audit.record(tx, { action: 'auth.account.unlocked', actor: null, entityType: 'user', entityId: userId, details: { by } });
  }

  private async send(mail: UnlockMail): Promise<void> {
    let outcome: 'sent' | 'mail_off' | 'send_failed';
    try {
      outcome = (await this.mail.sendNow(this.message(mail))) ? 'sent' : 'mail_off';
    } catch (error) {
      // the error's code only: nothing of the message, which holds the link, goes to the log
      this.logger.warn({ userId: mail.userId, code: (error as { code?: string }).code }, 'an unlock e-mail could not be sent');
      outcome = 'send_failed';
    }
    if (outcome === 'mail_off') this.logger.warn({ userId: mail.userId }, 'SMTP_URL is not set: an unlock e-mail could not be sent');
    await this.audit
      .recordNow({
        action: outcome === 'sent' ? 'auth.unlock_link.sent' : 'auth.unlock_link.not_sent',
        actor: null,
        entityType: 'user',
        entityId: mail.userId,
        details: outcome === 'sent' ? {} : { reason: outcome },
      })
      .catch((error: unknown) => this.logger.error({ userId: mail.userId, error: String(error) }, 'an unlock e-mail went unaudited'));
  }

  /** Names no one: the address it goes to is the account's own. */
  private message(mail: UnlockMail): { to: string; subject: string; text: string } {
    const link = `${this.config.publicBaseUrl}/unlock?token=${mail.token}`;
    return {
      to: mail.to,
      subject: '[DHR] Sign-in to your account is locked: unlock it with this link',
      text:
        'Sign-in to your DHR case-management account has been locked after many wrong passwords in a row, ' +
        'which may be someone else guessing. Until it is unlocked, not even the right password signs in.\n\n' +
        `To unlock it, open this link before ${mail.expiresAt.toISOString()} (UTC); it works once:\n\n${link}\n\n` +
        'Then sign in with your password as usual. If the link has expired, ask for a new one where you sign in. ' +
        'If you did not expect this e-mail, tell an SDP administrator, who can also unlock the account.',
    };
  }
}
