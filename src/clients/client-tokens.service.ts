import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { CLIENT_TOKEN_TYPE, TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER, type ClientTokenClaims } from '../auth/jwt.strategy.js';
import { londonDate } from '../common/calendar.js';
import { Clock } from '../common/clock.js';
import { ProblemException } from '../common/problem.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { AccessTokenView } from './client.dto.js';
import { DECOY_SECRET_HASH, secretMatches } from './client-credentials.js';
import { clientByClientId, noteClientUsed, type ClientCredentialRow } from './clients.queries.js';
import { isRefusal, readTokenRequest, type OAuthError, type TokenRequest } from './token-request.js';

const OAUTH_STATUS: Record<OAuthError, number> = {
  invalid_request: HttpStatus.BAD_REQUEST,
  invalid_client: HttpStatus.UNAUTHORIZED,
  unsupported_grant_type: HttpStatus.BAD_REQUEST,
  invalid_scope: HttpStatus.BAD_REQUEST,
};

/**
 * An OAuth error (RFC 6749 §5.2) that is also an RFC 9457 problem: `error`
 * and `error_description` for OAuth libraries, `type`, `title`, `status`
 * and `detail` for everyone else, in one body.
 */
export class OAuthProblem extends ProblemException {
  constructor(
    readonly error: OAuthError,
    description: string,
  ) {
    const status = OAUTH_STATUS[error];
    super(status, error.replace(/_/g, '-'), status === HttpStatus.UNAUTHORIZED ? 'Unauthorized' : 'Bad request', description, {
      error,
      error_description: description,
    });
  }
}

/** Why a token was refused, for the audit trail; the client is told only invalid_client. */
type RefusalReason = 'unknown_client' | 'wrong_secret' | 'revoked' | 'expired';

/**
 * The client-credentials grant (RFC 6749 §4.4): a client that proves its
 * secret gets a short-lived access token carrying its scopes. Every refusal
 * is audited with its reason (never the secret); every client is told the
 * same `invalid_client`, whatever was wrong.
 */
@Injectable()
export class ClientTokensService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jwt: JwtService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async issue(body: unknown, authorization: string | undefined): Promise<AccessTokenView> {
    const read = readTokenRequest(body, authorization);
    if (isRefusal(read)) {
      await this.audit.recordNow({ action: 'auth.token.refused', actor: null, details: { reason: read.error } });
      throw new OAuthProblem(read.error, read.description);
    }
    const client = await this.authenticate(read);
    const scopes = read.scopes ?? client.scopes;
    const unknown = scopes.filter((scope) => !(client.scopes as string[]).includes(scope));
    if (unknown.length > 0) {
      await this.refuse(client, 'invalid_scope', { unknownScopes: unknown.slice(0, 10).map((s) => s.slice(0, 50)) });
      throw new OAuthProblem('invalid_scope', `The client may not use: ${unknown.join(' ').slice(0, 200)}.`);
    }
    const claims: ClientTokenClaims = { sub: client.id, typ: CLIENT_TOKEN_TYPE, gen: client.secret_generation, scope: scopes.join(' ') };
    const token = await this.jwt.signAsync(claims, {
      algorithm: TOKEN_ALGORITHM,
      expiresIn: this.config.accessTokenTtlSeconds,
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
    });
    await this.dataSource.transaction(async (tx) => {
      await noteClientUsed(tx, client.id, this.clock.now());
      await this.audit.record(tx, {
        action: 'auth.token.issued',
        actor: null,
        client: { clientId: client.id },
        entityType: 'api_client',
        entityId: client.id,
        partnershipId: client.partnership_id,
        details: { scope: claims.scope },
      });
    });
    return { access_token: token, token_type: 'Bearer', expires_in: this.config.accessTokenTtlSeconds, scope: claims.scope };
  }

  /** The client whose secret this is, if it may have a token; every other case is the same invalid_client. */
  private async authenticate(request: TokenRequest): Promise<ClientCredentialRow> {
    const client = await clientByClientId(this.dataSource, request.clientId);
    const matches = secretMatches(request.clientSecret, client?.secret_hash ?? DECOY_SECRET_HASH);
    const reason: RefusalReason | null = !client
      ? 'unknown_client'
      : !matches
        ? 'wrong_secret'
        : client.revoked_at
          ? 'revoked'
          : client.expires_on !== null && client.expires_on < londonDate(this.clock.now())
            ? 'expired'
            : null;
    if (reason === null) return client!;
    if (client) await this.refuse(client, reason);
    else await this.audit.recordNow({ action: 'auth.token.refused', actor: null, details: { reason, clientId: request.clientId.slice(0, 100) } });
    throw new OAuthProblem('invalid_client', 'The client credentials are not valid, or the client is revoked or expired.');
  }

  /**
   * A refusal about a known client: done by that client when its secret was
   * right (it is revoked or expired, or asked for a scope it may not use); a
   * wrong secret is anybody's.
   */
  private async refuse(client: ClientCredentialRow, reason: RefusalReason | 'invalid_scope', details: Record<string, unknown> = {}): Promise<void> {
    await this.audit.recordNow({
      action: 'auth.token.refused',
      actor: null,
      client: reason === 'wrong_secret' ? null : { clientId: client.id },
      entityType: 'api_client',
      entityId: client.id,
      partnershipId: client.partnership_id,
      details: { reason, ...details },
    });
  }
}
