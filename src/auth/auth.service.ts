import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import type { Actor } from '../access/roles.js';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { badRequest, unauthorized } from '../common/problem.js';
import { currentRequestContext } from '../common/request-context.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { toUserView } from '../users/user.dto.js';
import { User } from '../users/user.entity.js';
import { TokenPair } from './auth.dto.js';
import { AuthSession } from './auth-session.entity.js';
import { TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER, type AccessTokenClaims } from './jwt.strategy.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { formatRefreshToken, hashRefreshSecret, newRefreshSecret, parseRefreshToken } from './refresh-token.js';

/** The same answer for an unknown e-mail, a wrong password, a locked or a deactivated account. */
const signInRefused = () => unauthorized('The e-mail or password is wrong, or the account is locked or inactive.');
const refreshRefused = () => unauthorized('The refresh token is invalid, spent or expired. Sign in again.');

@Injectable()
export class AuthService implements OnModuleInit {
  /** Verified against when the e-mail is unknown, so both failures take as long. */
  private decoyHash = '';

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jwt: JwtService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async onModuleInit(): Promise<void> {
    this.decoyHash = await hashPassword(randomBytes(16).toString('hex'));
  }

  async login(email: string, password: string): Promise<TokenPair> {
    const user = await this.dataSource
      .getRepository(User)
      .createQueryBuilder('u')
      .where('lower(u.email) = lower(:email)', { email: email.trim() })
      .getOne();
    if (!user) {
      await verifyPassword(this.decoyHash, password);
      await this.recordLoginFailure(null, 'unknown_email', email);
      throw signInRefused();
    }
    const now = this.clock.now();
    if (user.lockedUntil && user.lockedUntil > now) {
      await verifyPassword(this.decoyHash, password);
      await this.recordLoginFailure(user, 'account_locked', email);
      throw signInRefused();
    }
    if (!(await verifyPassword(user.passwordHash, password))) {
      await this.registerWrongPassword(user, email);
      throw signInRefused();
    }
    if (!user.active) {
      await this.recordLoginFailure(user, 'account_inactive', email);
      throw signInRefused();
    }
    return this.dataSource.transaction(async (tx) => {
      await tx.update(User, { id: user.id }, { failedLoginCount: 0, lockedUntil: null });
      const pair = await this.openSession(tx, user);
      await this.audit.record(tx, {
        action: 'auth.login.succeeded',
        actor: { userId: user.id, role: user.role },
        entityType: 'user',
        entityId: user.id,
      });
      return pair;
    });
  }

  /**
   * Rotates the refresh token by compare-and-swap on its stored hash. A token
   * that names a live session but no longer matches it has been spent before:
   * someone is replaying it, so the whole session is revoked.
   */
  async refresh(rawToken: string): Promise<TokenPair> {
    const token = parseRefreshToken(rawToken);
    if (!token) throw refreshRefused();
    const now = this.clock.now();
    const secret = newRefreshSecret();
    const rotated: { user_id: string }[] = (
      await this.dataSource
        .createQueryBuilder()
        .update(AuthSession)
        .set({ refreshTokenHash: hashRefreshSecret(secret), refreshedAt: now, expiresAt: this.sessionExpiry(now) })
        .where('id = :id AND refresh_token_hash = :spent AND revoked_at IS NULL AND expires_at > :now', {
          id: token.sessionId,
          spent: hashRefreshSecret(token.secret),
          now,
        })
        .returning('user_id')
        .execute()
    ).raw;
    if (rotated.length === 0) {
      await this.refuseRefresh(token.sessionId, now);
      throw refreshRefused();
    }
    const user = await this.dataSource.getRepository(User).findOneByOrFail({ id: rotated[0].user_id });
    if (!user.active) {
      await this.revokeSession(this.dataSource.manager, token.sessionId, 'user_inactive', now);
      throw refreshRefused();
    }
    await this.audit.recordNow({
      action: 'auth.refresh.succeeded',
      actor: { userId: user.id, role: user.role },
      entityType: 'session',
      entityId: token.sessionId,
    });
    return this.tokenPair(user, token.sessionId, secret);
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
      expiresAt: this.sessionExpiry(now),
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

  private sessionExpiry(now: Date): Date {
    return new Date(now.getTime() + this.config.refreshTokenTtlHours * 3600_000);
  }

  private async refuseRefresh(sessionId: string, now: Date): Promise<void> {
    const session = await this.dataSource.getRepository(AuthSession).findOneBy({ id: sessionId });
    const user = session ? await this.dataSource.getRepository(User).findOneBy({ id: session.userId }) : null;
    const actor = user ? { userId: user.id, role: user.role } : null;
    const reuse = session !== null && session.revokedAt === null && session.expiresAt > now;
    await this.dataSource.transaction(async (tx) => {
      if (reuse) await this.revokeSession(tx, sessionId, 'refresh_token_reuse', now);
      await this.audit.record(tx, {
        action: reuse ? 'auth.refresh.reuse_detected' : 'auth.refresh.refused',
        actor,
        entityType: 'session',
        entityId: session ? sessionId : undefined,
        details: reuse ? { sessionRevoked: true } : { reason: session ? 'session_ended' : 'unknown_session' },
      });
    });
  }

  private async revokeSession(tx: EntityManager, sessionId: string, reason: string, now: Date): Promise<void> {
    await tx.update(AuthSession, { id: sessionId, revokedAt: IsNull() }, { revokedAt: now, revokedReason: reason });
  }

  /** Counts the failure under a row lock and locks the account at the limit. */
  private async registerWrongPassword(user: User, email: string): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      const now = this.clock.now();
      const current = await tx
        .getRepository(User)
        .createQueryBuilder('u')
        .setLock('pessimistic_write')
        .where('u.id = :id', { id: user.id })
        .getOneOrFail();
      const lockExpired = current.lockedUntil !== null && current.lockedUntil <= now;
      const failures = (lockExpired ? 0 : current.failedLoginCount) + 1;
      const locks = failures >= this.config.loginMaxAttempts;
      const lockedUntil = locks ? new Date(now.getTime() + this.config.loginLockMinutes * 60_000) : lockExpired ? null : current.lockedUntil;
      await tx.update(User, { id: user.id }, { failedLoginCount: failures, lockedUntil });
      await this.audit.record(tx, {
        action: 'auth.login.failed',
        actor: { userId: user.id, role: user.role },
        entityType: 'user',
        entityId: user.id,
        details: { reason: 'wrong_password', email, failures },
      });
      if (locks) {
        await this.audit.record(tx, {
          action: 'auth.account.locked',
          actor: { userId: user.id, role: user.role },
          entityType: 'user',
          entityId: user.id,
          details: { lockedUntil: lockedUntil?.toISOString() },
        });
      }
    });
  }

  private async recordLoginFailure(user: User | null, reason: string, email: string): Promise<void> {
    await this.audit.recordNow({
      action: 'auth.login.failed',
      actor: user ? { userId: user.id, role: user.role } : null,
      entityType: 'user',
      entityId: user?.id,
      details: { reason, email },
    });
  }
}
