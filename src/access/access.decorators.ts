import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiSecurity } from '@nestjs/swagger';
import type { CaseAction } from './case-permissions.js';
import type { ClientScope } from './client-principal.js';
import { ROLES, type Role } from './roles.js';

export const ACCESS_DECLARATION = 'dhr:access';
export const CLIENT_SCOPES_DECLARATION = 'dhr:client-scopes';
/** The OpenAPI security scheme of REST clients (the client-credentials grant at POST /api/auth/token). */
export const CLIENT_CREDENTIALS_SCHEME = 'client-credentials';

/**
 * Every route declares who may call it. The access guard refuses a route
 * that declares nothing, and a test lists every route's declaration.
 */
export type AccessDeclaration =
  | { kind: 'public'; rateLimited?: false }
  | { kind: 'roles'; roles: readonly Role[] }
  | { kind: 'case'; action: CaseAction };

/** Reachable without signing in: login, refresh, health and the API docs. */
export const Public = () => SetMetadata(ACCESS_DECLARATION, { kind: 'public' } satisfies AccessDeclaration);

/**
 * Public and outside the anonymous rate limit: the health check, which load
 * balancers and monitors poll from one address, and which costs one trivial
 * query. Counting it would cost a write per poll and could report a healthy
 * server as refusing.
 */
export const PublicProbe = () => SetMetadata(ACCESS_DECLARATION, { kind: 'public', rateLimited: false } satisfies AccessDeclaration);

/** Signed in with one of these roles; the service then scopes by case. */
export const Roles = (...roles: Role[]) =>
  SetMetadata(ACCESS_DECLARATION, { kind: 'roles', roles } satisfies AccessDeclaration);

/** Any signed-in role. */
export const AnyRole = () => Roles(...ROLES);

/**
 * A route inside one case. Any signed-in role passes the guard; the service
 * then asks AccessService for the case (404 when out of scope) and the act
 * (403 when CASE_PERMISSIONS does not give it to the role). Scope comes
 * first, so a case out of scope never answers 403.
 */
export const CaseRoute = (action: CaseAction) =>
  SetMetadata(ACCESS_DECLARATION, { kind: 'case', action } satisfies AccessDeclaration);

/**
 * Opens a route to REST clients holding any of these scopes, besides the
 * people its access declaration names. A route without it is closed to
 * every client (403), whatever its declaration says; the access guard and
 * the route inventory test read it together with the declaration.
 */
export const ClientScopes = (...scopes: ClientScope[]) =>
  applyDecorators(SetMetadata(CLIENT_SCOPES_DECLARATION, scopes), ApiSecurity(CLIENT_CREDENTIALS_SCHEME, scopes));

/** Who may call a route: its declaration, and the client scopes that open it (none unless declared). */
export interface RouteAccess {
  declaration: AccessDeclaration | undefined;
  clientScopes: readonly ClientScope[];
}

/** Reads a route's access the one way: the handler's declaration before its controller's. */
export function routeAccess(read: <T>(key: string) => T | undefined): RouteAccess {
  return {
    declaration: read<AccessDeclaration>(ACCESS_DECLARATION),
    clientScopes: read<readonly ClientScope[]>(CLIENT_SCOPES_DECLARATION) ?? [],
  };
}
