import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { isClient, type Principal } from './client-principal.js';
import type { Actor } from './roles.js';

/**
 * The signed-in person the access guard attached to the request. A route
 * that reads it serves people only: should a REST client ever reach it (a
 * route given `@ClientScopes` without reading `CurrentPrincipal`), the
 * request fails rather than let the client pass for a person.
 */
export const CurrentActor = createParamDecorator((_data: unknown, ctx: ExecutionContext): Actor => {
  const principal = ctx.switchToHttp().getRequest<Request & { user: Principal }>().user;
  if (principal && isClient(principal)) throw new Error('a REST client reached a route that serves people only');
  return principal;
});

/** Whoever the access guard let through: a signed-in person or a REST client (routes with `@ClientScopes`). */
export const CurrentPrincipal = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal => {
  return ctx.switchToHttp().getRequest<Request & { user: Principal }>().user;
});
