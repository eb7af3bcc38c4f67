import { createSecretKey, type KeyObject } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { DataSource } from 'typeorm';
import { CLIENT_SCOPES, type ClientActor, type Principal } from '../access/client-principal.js';
import type { Actor } from '../access/roles.js';
import { findLiveClient, type LiveClient } from '../clients/clients.queries.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { londonDate } from '../common/calendar.js';
import { Clock } from '../common/clock.js';
import { liveSessionActor } from './auth.queries.js';
import { PrincipalChanges, type SessionActor } from './principal-changes.service.js';

export const TOKEN_ISSUER = 'dhr-backend';
export const TOKEN_AUDIENCE = 'dhr-api';
export const TOKEN_ALGORITHM = 'HS256';
/** How far the clocks of the servers that sign and check a token may disagree. */
export const TOKEN_CLOCK_TOLERANCE_SECONDS = 5;

/**
 * The token secret as a key object. Given the plain string, the JWT library
 * first tries to read it as a public or private key on every token, fails and
 * falls back: measurably the largest cost of each signed-in request.
 */
export function tokenKey(secret: string): KeyObject {
  return createSecretKey(Buffer.from(secret, 'utf8'));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface AccessTokenClaims {
  sub: string;
  sid: string;
}

/**
 * The claims of a REST client's token (the client-credentials grant): the
 * client's id, the generation of the secret it was issued under, and the
 * scopes it carries. `typ` tells it from a person's token, which has none.
 */
export interface ClientTokenClaims {
  sub: string;
  typ: typeof CLIENT_TOKEN_TYPE;
  gen: number;
  scope: string;
}

export const CLIENT_TOKEN_TYPE = 'client';

/** The claims of a token whose signature checked out, as the JWT library hands them on. */
export interface VerifiedClaims extends AccessTokenClaims {
  iat?: unknown;
  exp?: unknown;
  typ?: unknown;
  gen?: unknown;
  scope?: unknown;
}

/**
 * A token must say when it was issued and when it expires, must not claim to
 * be issued in the future, and may not live longer than the server's own
 * tokens do. The library checks exp and the age of iat (maxAge); this checks
 * what it does not: that both are there, iat is not ahead, and exp − iat.
 */
export function tokenTimesAcceptable(claims: VerifiedClaims, ttlSeconds: number, nowSeconds: number): boolean {
  const { iat, exp } = claims;
  if (typeof iat !== 'number' || typeof exp !== 'number' || !Number.isFinite(iat) || !Number.isFinite(exp)) return false;
  if (iat > nowSeconds + TOKEN_CLOCK_TOLERANCE_SECONDS) return false;
  return exp - iat <= ttlSeconds;
}

/**
 * Checks the signature, then whether the session is still live and the user
 * still active, so that logout and deactivation take effect at once, not
 * when the token expires. A REST client's token is asked the same of its
 * client: not revoked, not expired, its secret not rotated since.
 *
 * The answer comes from this instance's memory when PrincipalChanges says
 * it is current (every change committed before the request was announced to
 * it), and from the database otherwise; what the database says is then
 * remembered. See principal-changes.service.ts.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy) {
  private readonly ttlSeconds: number;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly changes: PrincipalChanges,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // passport-jwt passes the key through to jsonwebtoken, which takes a KeyObject; its typing predates that.
      secretOrKey: tokenKey(config.jwtSecret) as unknown as string,
      algorithms: [TOKEN_ALGORITHM],
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
      ignoreExpiration: false,
      // no token older than the server's own tokens live, whatever its exp says; iat is required with maxAge
      jsonWebTokenOptions: { maxAge: config.accessTokenTtlSeconds, clockTolerance: TOKEN_CLOCK_TOLERANCE_SECONDS },
    });
    this.ttlSeconds = config.accessTokenTtlSeconds;
  }

  async validate(claims: VerifiedClaims): Promise<Principal | false> {
    // jsonwebtoken checks exp and maxAge against the real time, so this does too
    if (!tokenTimesAcceptable(claims, this.ttlSeconds, Math.floor(Date.now() / 1000))) return false;
    if (claims.typ !== undefined) return claims.typ === CLIENT_TOKEN_TYPE ? this.client(claims) : false;
    return this.person(claims);
  }

  private async person(claims: VerifiedClaims): Promise<Actor | false> {
    if (!UUID.test(String(claims.sub)) || !UUID.test(String(claims.sid))) return false;
    const sessionId = String(claims.sid);
    const userId = String(claims.sub);
    const current = await this.changes.current();
    const now = this.clock.now();
    const sessions = this.changes.sessions;
    const remembered = current ? sessions.recall(sessionId, now) : undefined;
    if (remembered) return remembered.userId === userId ? { ...remembered, sessionId } : false;
    const mark = sessions.mark();
    const row = await liveSessionActor(this.dataSource, sessionId, userId, now);
    if (!row) return false;
    const actor: SessionActor = { userId, role: row.role, partnershipId: row.partnership_id, agencyId: row.agency_id };
    if (current) {
      const expiresAt = row.expires_at.getTime();
      sessions.remember(sessionId, { value: actor, tags: [`session:${sessionId}`, `user:${userId}`], liveAt: (at) => at.getTime() < expiresAt }, mark);
    }
    return { ...actor, sessionId };
  }

  /** The client, if still live; its token's scopes, narrowed to those the client still holds. */
  private async client(claims: VerifiedClaims): Promise<ClientActor | false> {
    if (!UUID.test(String(claims.sub)) || !Number.isSafeInteger(claims.gen) || typeof claims.scope !== 'string') return false;
    const id = String(claims.sub);
    const generation = claims.gen as number;
    const live = await this.liveClient(id, generation);
    if (!live) return false;
    const carried = claims.scope.split(' ');
    const scopes = CLIENT_SCOPES.filter((scope) => carried.includes(scope) && live.scopes.includes(scope));
    return { kind: 'client', clientId: id, name: live.name, scopes, partnershipId: live.partnershipId };
  }

  /**
   * A remembered client is asked of the database again once its entry is a
   * minute old, which also notes its use as often as the query alone did.
   */
  private async liveClient(id: string, generation: number): Promise<LiveClient | null> {
    const current = await this.changes.current();
    const now = this.clock.now();
    const clients = this.changes.clients;
    const key = `${id}:${generation}`;
    const remembered = current ? clients.recall(key, now) : undefined;
    if (remembered) return remembered;
    const mark = clients.mark();
    const live = await findLiveClient(this.dataSource, id, generation, londonDate(now), now);
    if (live && current) {
      const lastDay = live.expiresOn;
      clients.remember(key, { value: live, tags: [`client:${id}`], liveAt: (at) => lastDay === null || londonDate(at) <= lastDay }, mark);
    }
    return live;
  }
}
