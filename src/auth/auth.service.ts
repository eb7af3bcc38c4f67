import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import type { Actor } from '../access/roles.js';
import { AuditService, type AuditEntry } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { badRequest, unauthorized } from '../common/problem.js';
import { currentRequestContext } from '../common/request-context.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { toUserView } from '../users/user.dto.js';
import { User } from '../users/user.entity.js';
import { TokenPair } from './auth.dto.js';
import { AuthSession } from './auth-session.entity.js';
import {
  ADDRESS_LOCK,
  CLEAR_ADDRESS_LOCK,
  CLEAR_SLOWDOWN,
  COUNT_ADDRESS_FAILURE,
  COUNT_SLOWDOWN_FAILURE,
  FIND_SPENT_REFRESH_TOKEN,
  FORGET_QUIET_ADDRESSES,
  KNOWN_ADDRESS,
  RECORD_SPENT_REFRESH_TOKEN,
  SERIALISE_EMAIL_ATTEMPTS,
  SLOWDOWN,
  type AddressLockRow,
  type SlowdownRow,
} from './auth.queries.js';
import { TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER, type AccessTokenClaims } from './jwt.strategy.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { formatRefreshToken, hashRefreshSecret, newRefreshSecret, parseRefreshToken } from './refresh-token.js';
import { slowdownWaitSeconds } from './sign-in-slowdown.js';
import { UnlockLinks, type UnlockMail } from './unlock-links.service.js';

/**
 * The same answer for an unknown e-mail, a wrong password, a locked or a
 * deactivated account, the right password on a locked one included: it tells
 * the owner of a locked account what to do, and a stranger nothing.
 */
const signInRefused = () =>
  unauthorized(
    'The e-mail or password is wrong, or the account is locked or inactive. ' +
      'A locked account’s owner is e-mailed a link that unlocks it; POST /api/auth/unlock/request sends a new one.',
  );
const refreshRefused = () => unauthorized('The refresh token is invalid, spent or expired. Sign in again.');

/** The client address a sign-in is counted under (the request context's, as the audit trail records it). */
const clientAddress = (): string => currentRequestContext().ip ?? 'unknown';

/** A sign-in not heard yet: the client may try again in so many seconds. */
export interface SlowedDown {
  waitSeconds: number;
}

/**
 * What a sign-in or refresh attempt came to; refusals are thrown only after
 * their audit event is committed, and an unlock e-mail sent only after its link is.
 */
type Outcome = { pair: TokenPair } | { refused: true; unlockMail?: UnlockMail } | SlowedDown;
type RefreshOutcome = { pair: TokenPair } | { refused: true };

/** Refusals with an e-mail address are forgotten after a day without one: those before this instant. */
const slowdownForgottenBefore = (now: Date) => new Date(now.getTime() - 24 * 3600_000);
/** An address the account signed in from within this many days is never slowed down. */
const KNOWN_ADDRESS_DAYS = 30;

@Injectable()
export class AuthService implements OnModuleInit {
  /** Verified against when the e-mail is unknown or the account locked, so every refusal takes as long. */
  private decoyHash = '';

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jwt: JwtService,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly unlockLinks: UnlockLinks,
    private readonly clock: Clock,
  ) {}

  async onModuleInit(): Promise<void> {
    this.decoyHash = await hashPassword(randomBytes(16).toString('hex'));
  }

  /**
   * One attempt at a time per e-mail address typed (an advisory lock, whether
   * or not an account has it, and the account's row lock), from the slowdown
   * check to the bookkeeping, so parallel guesses are counted one after
   * another. The rules are in docs/security.md, "Sign-in limits and trusted
   * proxies":
   *
   * - LOGIN_MAX_ATTEMPTS wrong passwords in a row from one client address
   *   lock the account for that address, for LOGIN_LOCK_MINUTES;
   * - LOGIN_SLOWDOWN_AFTER refusals in a row with one e-mail address, from
   *   anywhere, make each further attempt wait (429, Retry-After), except
   *   from an address the account signed in from lately: a stranger's
   *   guessing never keeps the owner out of their usual address, and from a
   *   new one the owner waits at most LOGIN_SLOWDOWN_MAX_SECONDS;
   * - LOGIN_ACCOUNT_LOCK_AFTER wrong passwords in a row lock the account for
   *   everyone until its owner uses the unlock link e-mailed to them (or an
   *   SDP administrator reactivates it).
   */
  async login(email: string, password: string): Promise<TokenPair | SlowedDown> {
    const typed = email.trim();
    const outcome = await this.dataSource.transaction(async (tx): Promise<Outcome> => {
      await tx.query(SERIALISE_EMAIL_ATTEMPTS, [typed]);
      const user = await tx
        .getRepository(User)
        .createQueryBuilder('u')
        .setLock('pessimistic_write')
        .where('lower(u.email) = lower(:email)', { email: typed })
        .getOne();
      const now = this.clock.now();
      const ip = clientAddress();
      const waitSeconds = await this.slowdownWait(tx, typed, user, ip, now);
      if (waitSeconds > 0) return { waitSeconds };
      const attempt = await this.attempt(tx, typed, user, password, ip, now);
      if ('refused' in attempt) await tx.query(COUNT_SLOWDOWN_FAILURE, [typed, now, slowdownForgottenBefore(now)]);
      else await tx.query(CLEAR_SLOWDOWN, [typed]);
      return attempt;
    });
    if ('waitSeconds' in outcome) return outcome;
    if ('refused' in outcome) {
      if (outcome.unlockMail) this.unlockLinks.deliver(outcome.unlockMail);
      throw signInRefused();
    }
    return outcome.pair;
  }

  /** Seconds this attempt must wait, 0 if none; from an address the account signed in from lately, never. */
  private async slowdownWait(tx: EntityManager, typed: string, user: User | null, ip: string, now: Date): Promise<number> {
    if (user) {
      const since = new Date(now.getTime() - KNOWN_ADDRESS_DAYS * 24 * 3600_000);
      const [known] = await tx.query(KNOWN_ADDRESS, [user.id, ip, since]);
      if (known) return 0;
    }
    const [slowdown]: SlowdownRow[] = await tx.query(SLOWDOWN, [typed, slowdownForgottenBefore(now)]);
    if (!slowdown) return 0;
    return slowdownWaitSeconds(slowdown.failures, slowdown.last_failed_at, now, {
      after: this.config.loginSlowdownAfter,
      maxSeconds: this.config.loginSlowdownMaxSeconds,
    });
  }

  /** The attempt heard: a session, or a refusal (audited) that looks the same whatever its reason. */
  private async attempt(tx: EntityManager, typed: string, user: User | null, password: string, ip: string, now: Date): Promise<Outcome> {
    if (!user) return this.refuseUnheard(tx, null, 'unknown_email', typed, password);
    // A deactivated account is refused like any other, and counts nothing: no lock, no unlock e-mail, no notice.
    if (!user.active) return this.refuseUnheard(tx, user, 'account_inactive', typed, password);
    if (user.lockedAt) return this.refuseUnheard(tx, user, 'account_locked', typed, password);
    const [addressLock]: AddressLockRow[] = await tx.query(ADDRESS_LOCK, [user.id, ip]);
    if (addressLock?.locked_until && addressLock.locked_until > now) return this.refuseUnheard(tx, user, 'address_locked', typed, password);
    if (!(await verifyPassword(user.passwordHash, password))) return this.countWrongPassword(tx, user, typed, ip, now);
    if (addressLock) await tx.query(CLEAR_ADDRESS_LOCK, [user.id, ip]);
    if (user.failedLoginCount) await tx.update(User, { id: user.id }, { failedLoginCount: 0 });
    const pair = await this.openSession(tx, user);
    await this.audit.record(tx, {
      action: 'auth.login.succeeded',
      actor: { userId: user.id, role: user.role },
      entityType: 'user',
      entityId: user.id,
    });
    return { pair };
  }

  /** A refusal that never checks the password: the decoy is verified instead, so it takes as long as any other. */
  private async refuseUnheard(tx: EntityManager, user: User | null, reason: string, typed: string, password: string): Promise<Outcome> {
    await verifyPassword(this.decoyHash, password);
    await this.audit.record(tx, this.loginFailure(user, reason, typed));
    return { refused: true };
  }

  /**
   * Rotates the refresh token by compare-and-swap on its stored hash, and
   * remembers the spent hash. Presenting a spent token again is a replay:
   * the whole session is revoked. A token that was never issued is refused
   * and changes nothing, so knowing a session id is not enough to end it.
   */
  async refresh(rawToken: string): Promise<TokenPair> {
    const token = parseRefreshToken(rawToken);
    if (!token) {
      await this.audit.recordNow({ action: 'auth.refresh.refused', actor: null, details: { reason: 'malformed' } });
      throw refreshRefused();
    }
    const presented = hashRefreshSecret(token.secret);
    const outcome = await this.dataSource.transaction(async (tx): Promise<RefreshOutcome> => {
      const now = this.clock.now();
      const secret = newRefreshSecret();
      const rotated: { user_id: string }[] = (
        await tx
          .createQueryBuilder()
          .update(AuthSession)
          // the refresh lifetime slides forward from now, but never past the session's absolute limit
          .set({
            refreshTokenHash: hashRefreshSecret(secret),
            refreshedAt: now,
            expiresAt: () => `LEAST(:slid::timestamptz, created_at + make_interval(hours => :maxHours))`,
          })
          .where(
            'id = :id AND refresh_token_hash = :presented AND revoked_at IS NULL AND expires_at > :now ' +
              'AND created_at + make_interval(hours => :maxHours) > :now',
            { id: token.sessionId, presented, now },
          )
          .setParameters({ slid: this.sessionExpiry(now), maxHours: this.config.sessionMaxHours })
          .returning('user_id')
          .execute()
      ).raw;
      if (rotated.length === 0) {
        await this.refuseRefresh(tx, token.sessionId, presented, now);
        return { refused: true };
      }
      await tx.query(RECORD_SPENT_REFRESH_TOKEN, [presented, token.sessionId, now]);
      const user = await tx.getRepository(User).findOneByOrFail({ id: rotated[0].user_id });
      const actor = { userId: user.id, role: user.role };
      if (!user.active) {
        await this.revokeSession(tx, token.sessionId, 'user_inactive', now);
        await this.audit.record(tx, { action: 'auth.refresh.refused', actor, entityType: 'session', entityId: token.sessionId, details: { reason: 'user_inactive' } });
        return { refused: true };
      }
      await this.audit.record(tx, { action: 'auth.refresh.succeeded', actor, entityType: 'session', entityId: token.sessionId });
      return { pair: await this.tokenPair(user, token.sessionId, secret) };
    });
    if ('refused' in outcome) throw refreshRefused();
    return outcome.pair;
  }

  async logout(actor: Actor, rawToken: string): Promise<void> {
    const token = parseRefreshToken(rawToken);
    if (!token || token.sessionId !== actor.sessionId) {
      throw badRequest('refreshToken does not belong to the session you are signed in with.', [
        { field: 'refreshToken', message: 'refreshToken does not belong to this session' },
      ]);
    }
    await this.dataSource.transaction(async (tx) => {
      await this.revokeSession(tx, actor.sessionId, 'logout', this.clock.now());
      await this.audit.record(tx, { action: 'auth.logout', entityType: 'session', entityId: actor.sessionId });
    });
  }

  private async openSession(tx: EntityManager, user: User): Promise<TokenPair> {
    const now = this.clock.now();
    const sessionId = randomUUID();
    const secret = newRefreshSecret();
    await tx.insert(AuthSession, {
      id: sessionId,
      userId: user.id,
      refreshTokenHash: hashRefreshSecret(secret),
      createdAt: now,
      expiresAt: this.sessionExpiry(now, now),
      ip: currentRequestContext().ip,
    });
    return this.tokenPair(user, sessionId, secret);
  }

  private async tokenPair(user: User, sessionId: string, secret: string): Promise<TokenPair> {
    const claims: AccessTokenClaims = { sub: user.id, sid: sessionId };
    const accessToken = await this.jwt.signAsync(claims, {
      algorithm: TOKEN_ALGORITHM,
      expiresIn: this.config.accessTokenTtlSeconds,
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
    });
    return {
      accessToken,
      refreshToken: formatRefreshToken({ sessionId, secret }),
      expiresIn: this.config.accessTokenTtlSeconds,
      user: toUserView(user),
    };
  }

  /**
   * When a session ends if not refreshed: the refresh lifetime from now, and
   * never later than the absolute limit from sign-in (when given).
   */
  private sessionExpiry(now: Date, signedInAt?: Date): Date {
    const slid = now.getTime() + this.config.refreshTokenTtlHours * 3600_000;
    if (!signedInAt) return new Date(slid);
    return new Date(Math.min(slid, signedInAt.getTime() + this.config.sessionMaxHours * 3600_000));
  }

  private async refuseRefresh(tx: EntityManager, sessionId: string, presented: string, now: Date): Promise<void> {
    const session = await tx.getRepository(AuthSession).findOneBy({ id: sessionId });
    const user = session ? await tx.getRepository(User).findOneBy({ id: session.userId }) : null;
    const actor = user ? { userId: user.id, role: user.role } : null;
    const [spent] = await tx.query(FIND_SPENT_REFRESH_TOKEN, [presented, sessionId]);
    const replay = Boolean(spent) && session !== null && session.revokedAt === null && session.expiresAt > now;
    if (replay) await this.revokeSession(tx, sessionId, 'refresh_token_reuse', now);
    const limitReached =
      session !== null && session.revokedAt === null && session.createdAt.getTime() + this.config.sessionMaxHours * 3600_000 <= now.getTime();
    const reason = spent
      ? replay
        ? 'replayed'
        : 'session_ended'
      : !session
        ? 'unknown_session'
        : session.refreshTokenHash === presented && limitReached
          ? 'session_limit_reached'
          : 'not_issued';
    await this.audit.record(tx, {
      action: replay ? 'auth.refresh.reuse_detected' : 'auth.refresh.refused',
      actor,
      entityType: 'session',
      entityId: session ? sessionId : undefined,
      details: replay ? { sessionRevoked: true } : { reason },
    });
  }

  private async revokeSession(tx: EntityManager, sessionId: string, reason: string, now: Date): Promise<void> {
    await tx.update(AuthSession, { id: sessionId, revokedAt: IsNull() }, { revokedAt: now, revokedReason: reason });
  }

  /**
   * Counts the wrong password (the account's row is already locked): against
   * this address, which locks for this address at LOGIN_MAX_ATTEMPTS, and
   * against the account's wrong passwords in a row, which lock it for
   * everyone at LOGIN_ACCOUNT_LOCK_AFTER: then the SDP admins are told and the
   * owner is sent an unlock link.
   */
  private async countWrongPassword(tx: EntityManager, user: User, email: string, ip: string, now: Date): Promise<Outcome> {
    const actor = { userId: user.id, role: user.role };
    const lockUntil = new Date(now.getTime() + this.config.loginLockMinutes * 60_000);
    const [address]: AddressLockRow[] = await tx.query(COUNT_ADDRESS_FAILURE, [user.id, ip, now, this.config.loginMaxAttempts, lockUntil]);
    await tx.query(FORGET_QUIET_ADDRESSES, [user.id, new Date(now.getTime() - 3600_000), now]);
    const inARow = user.failedLoginCount + 1;
    const locks = inARow >= this.config.loginAccountLockAfter;
    await tx.update(User, { id: user.id }, { failedLoginCount: inARow, ...(locks ? { lockedAt: now } : {}) });
    await this.audit.record(tx, {
      ...this.loginFailure(user, 'wrong_password', email),
      details: { reason: 'wrong_password', email, failures: address.failed_count, failuresInARow: inARow },
    });
    if (locks) {
      await this.audit.record(tx, {
        action: 'auth.account.locked',
        actor,
        entityType: 'user',
        entityId: user.id,
        details: { scope: 'account', failuresInARow: inARow },
      });
      await this.notifications.raiseToAdmins(tx, {
        kind: 'account_locked',
        title: 'An account is locked after repeated wrong passwords',
        body:
          `The account ${user.email} had ${inARow} wrong passwords in a row, from one or more addresses. ` +
          `No one can sign in to it until its owner uses the unlock link e-mailed to them, ` +
          `or an SDP administrator sets the account active again.`,
      });
      return { refused: true, unlockMail: await this.unlockLinks.issue(tx, user, 'locked') };
    }
    if (address.locked_until && address.failed_count === this.config.loginMaxAttempts) {
      await this.audit.record(tx, {
        action: 'auth.account.locked',
        actor,
        entityType: 'user',
        entityId: user.id,
        details: { scope: 'address', lockedUntil: address.locked_until.toISOString() },
      });
    }
    return { refused: true };
  }

  private loginFailure(user: User | null, reason: string, email: string): AuditEntry {
    return {
      action: 'auth.login.failed',
      actor: user ? { userId: user.id, role: user.role } : null,
      entityType: 'user',
      entityId: user?.id,
      details: { reason, email },
    };
  }
}
