import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import { AuditService } from '../audit/audit.service.js';
import { forbidden, unauthorized } from '../common/problem.js';
import { currentRequestContext } from '../common/request-context.js';
import { ACCESS_DECLARATION, type AccessDeclaration } from './access.decorators.js';
import type { Actor } from './roles.js';

/**
 * The global guard: closed by default. A route opens only through its access
 * declaration; every refusal is written to the audit trail.
 */
@Injectable()
export class AccessGuard extends AuthGuard('jwt') {
  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditService,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const declaration = this.reflector.getAllAndOverride<AccessDeclaration | undefined>(ACCESS_DECLARATION, [
      context.getHandler(),
      context.getClass(),
    ]);
    const request = context.switchToHttp().getRequest<Request & { user?: Actor }>();
    if (declaration?.kind === 'public') return true;

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
      await this.recordDenial(request, hadToken ? 'token_rejected' : 'token_missing', null);
      throw unauthorized(hadToken ? 'The access token is invalid or has expired.' : 'Sign in to use this service.');
    }
    return request.user;
  }

  /** A refusal is a falsy user; an error is a fault (the database, say) and must not pass for a bad token. */
  override handleRequest<T>(err: unknown, user: T): T {
    if (err) throw err;
    return user;
  }

  private async recordDenial(request: Request, reason: string, actor: Actor | null): Promise<void> {
    await this.audit.recordNow({
      action: 'access.denied',
      actor,
      details: { reason, method: request.method, path: request.originalUrl.split('?')[0] },
    });
  }
}
