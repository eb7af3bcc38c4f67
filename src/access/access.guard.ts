import { ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Request, Response } from 'express';
import { AuditService } from '../audit/audit.service.js';
import { forbidden, unauthorized } from '../common/problem.js';
import { currentRequestContext } from '../common/request-context.js';
import { requestPath } from '../common/stored-path.js';
import { ACCESS_DECLARATION, type AccessDeclaration } from './access.decorators.js';
import { AnonymousDenials } from './anonymous-denials.js';
import { RateLimits, setRateLimitHeaders, tooManyRequests } from './rate-limits.js';
import type { Actor } from './roles.js';

/**
 * The global guard: closed by default. A route opens only through its access
 * declaration; every refusal is written to the audit trail: each refusal of a
 * signed-in user as its own row, refusals of nobody signed in once per
 * address, reason and minute (AnonymousDenials). Requests from nobody signed
 * in (public routes, refused tokens) are rate-limited per client address.
 */
@Injectable()
export class AccessGuard extends AuthGuard('jwt') {
  private readonly logger = new Logger(AccessGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditService,
    private readonly anonymousDenials: AnonymousDenials,
    private readonly rateLimits: RateLimits,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const declaration = this.reflector.getAllAndOverride<AccessDeclaration | undefined>(ACCESS_DECLARATION, [
      context.getHandler(),
      context.getClass(),
    ]);
    const request = context.switchToHttp().getRequest<Request & { user?: Actor }>();
    if (declaration?.kind === 'public') {
      if (declaration.rateLimited !== false) await this.limitAnonymous(context, request);
      return true;
    }

    const actor = await this.authenticate(context, request);
    currentRequestContext().actor = actor;
    const allowed = declaration?.kind === 'roles' ? declaration.roles.includes(actor.role) : declaration?.kind === 'case';
    if (!allowed) {
      await this.recordDenial(request, 'role_not_allowed', actor);
      throw forbidden();
    }
    return true;
  }

  private async authenticate(context: ExecutionContext, request: Request & { user?: Actor }): Promise<Actor> {
    const hadToken = Boolean(request.headers.authorization);
    // A refused token leaves request.user false; passport's reason (expired, bad signature…) is not shown.
    await super.canActivate(context);
    if (!request.user) {
      await this.limitAnonymous(context, request);
      await this.anonymousDenials.record(request, hadToken ? 'token_rejected' : 'token_missing');
      throw unauthorized(hadToken ? 'The access token is invalid or has expired.' : 'Sign in to use this service.');
    }
    return request.user;
  }

  /** A refusal is a falsy user; an error is a fault (the database, say) and must not pass for a bad token. */
  override handleRequest<T>(err: unknown, user: T): T {
    if (err) throw err;
    return user;
  }

  /** Counts a request from nobody signed in against its address's budget; 429 beyond it. */
  private async limitAnonymous(context: ExecutionContext, request: Request): Promise<void> {
    let answer;
    try {
      answer = await this.rateLimits.consume('anonymous', { address: request.ip ?? '', scope: 'any' });
    } catch (error) {
      // With the database unreachable the counters are too; the health check must still say so (503).
      this.logger.warn(`the anonymous rate limit could not be counted: ${(error as Error).message}`);
      return;
    }
    const response = context.switchToHttp().getResponse<Response>();
    if (answer.allowed) return setRateLimitHeaders(response, answer);
    await this.anonymousDenials.record(request, 'rate_limited');
    throw tooManyRequests(response, answer);
  }

  private async recordDenial(request: Request, reason: string, actor: Actor): Promise<void> {
    await this.audit.recordNow({
      action: 'access.denied',
      actor,
      details: { reason, method: request.method, path: requestPath(request) },
    });
  }
}
