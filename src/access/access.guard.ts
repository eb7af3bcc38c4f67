import { ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Request, Response } from 'express';
import { AuditService } from '../audit/audit.service.js';
import { forbidden, unauthorized } from '../common/problem.js';
import { currentRequestContext } from '../common/request-context.js';
import { requestPath } from '../common/stored-path.js';
import { routeAccess, type RouteAccess } from './access.decorators.js';
import { AnonymousDenials } from './anonymous-denials.js';
import { isClient, type ClientActor, type Principal } from './client-principal.js';
import { RateLimits, setRateLimitHeaders, tooManyRequests } from './rate-limits.js';
import { Refusals } from './refusals.js';
import { mayNot, routeWords } from './refusal-words.js';

/** The act a refused request tried, in words (refusal-words.ts): by its route as the router matched it. */
function routeAct(request: Request): string {
  const route = (request.route as { path?: unknown } | undefined)?.path;
  return routeWords(request.method, typeof route === 'string' ? route : requestPath(request));
}

/**
 * The global guard: closed by default. A route opens only through its access
 * declaration; every refusal is written to the audit trail: refusals of a
 * signed-in person or REST client once per ten-minute window, with a summary
 * once it ends (Refusals), refusals of nobody signed in once per address,
 * reason and minute (AnonymousDenials). Requests from nobody signed in
 * (public routes, refused tokens) are rate-limited per client address; a
 * person or client refused too often is held back until their window ends.
 *
 * A REST client's token passes only a route that declares one of its scopes
 * (`@ClientScopes`), never on a people's declaration alone; its calls are
 * rate-limited per client, and each is audited with the client as the actor.
 */
@Injectable()
export class AccessGuard extends AuthGuard('jwt') {
  private readonly logger = new Logger(AccessGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditService,
    private readonly anonymousDenials: AnonymousDenials,
    private readonly rateLimits: RateLimits,
    private readonly refusals: Refusals,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const access = routeAccess(<T>(key: string) => this.reflector.getAllAndOverride<T | undefined>(key, targets));
    const { declaration } = access;
    const request = context.switchToHttp().getRequest<Request & { user?: Principal }>();
    if (declaration?.kind === 'public') {
      if (declaration.rateLimited !== false) await this.limitAnonymous(context, request);
      return true;
    }

    const principal = await this.authenticate(context, request);
    if (isClient(principal)) return this.admitClient(context, request, access, principal);
    currentRequestContext().actor = principal;
    await this.holdBackTheOftenRefused(context, request);
    const allowed = declaration?.kind === 'roles' ? declaration.roles.includes(principal.role) : declaration?.kind === 'case';
    if (!allowed) {
      await this.recordDenial(request, 'role_not_allowed');
      throw forbidden(mayNot(principal.role, routeAct(request)));
    }
    return true;
  }

  private async authenticate(context: ExecutionContext, request: Request & { user?: Principal }): Promise<Principal> {
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

  /**
   * A REST client: counted against its own budget, then let through only
   * where the route declares one of its scopes. Every call it makes is
   * audited with the client as the actor (its last use is noted as its
   * token is checked, in JwtStrategy).
   */
  private async admitClient(context: ExecutionContext, request: Request, access: RouteAccess, client: ClientActor): Promise<boolean> {
    currentRequestContext().client = client;
    const answer = await this.rateLimits.consume('client', { address: client.clientId, scope: 'any' });
    const response = context.switchToHttp().getResponse<Response>();
    if (!answer.allowed) {
      // One event per client and window: a runaway client must not flood the trail as well.
      if (answer.firstRefusal) {
        await this.audit.recordNow({ action: 'access.denied', details: { reason: 'rate_limited', method: request.method, path: requestPath(request) } });
      }
      throw tooManyRequests(response, answer, 'this client');
    }
    setRateLimitHeaders(response, answer);
    await this.holdBackTheOftenRefused(context, request);
    if (!access.clientScopes.some((scope) => client.scopes.includes(scope))) {
      await this.recordDenial(request, 'scope_not_granted');
      throw forbidden(mayNot('client', routeAct(request), 'its scopes do not open this route'));
    }
    await this.audit.recordNow({ action: 'client.request', details: { method: request.method, path: requestPath(request) } });
    return true;
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

  /**
   * A person or REST client refused too often in the current window is
   * refused at once (429) until it ends; each of these refusals is counted too.
   */
  private async holdBackTheOftenRefused(context: ExecutionContext, request: Request): Promise<void> {
    const retryAfterSeconds = this.refusals.heldBackFor();
    if (retryAfterSeconds === 0) return;
    // counted, never audited one by one: the window's summary tells them
    await this.refusals.record({ reason: 'refused_too_often', attempted: `${request.method} ${requestPath(request)}` });
    const limit = this.refusals.limit;
    const answer = { allowed: false, retryAfterSeconds, firstRefusal: false, limit, remaining: 0, resetSeconds: retryAfterSeconds };
    throw tooManyRequests(context.switchToHttp().getResponse<Response>(), answer, 'you after too many refused requests');
  }

  /**
   * A refusal of the request's person or REST client (whichever the request
   * context holds): counted, and audited once a window, by Refusals; the path
   * is what was tried, never the query string.
   */
  private async recordDenial(request: Request, reason: string): Promise<void> {
    const details = { reason, method: request.method, path: requestPath(request) };
    await this.refusals.record({ reason, attempted: `${details.method} ${details.path}`, event: { action: 'access.denied', details } });
  }
}
