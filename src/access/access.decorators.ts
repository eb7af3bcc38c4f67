import { SetMetadata } from '@nestjs/common';
import { ROLES, type Role } from './roles.js';

export const ACCESS_DECLARATION = 'dhr:access';

/**
 * Every route declares who may call it. The access guard refuses a route
 * that declares nothing, and a test lists every route's declaration.
 */
export type AccessDeclaration = { kind: 'public' } | { kind: 'roles'; roles: readonly Role[] };

/** Reachable without signing in: login, refresh, health and the API docs. */
export const Public = () => SetMetadata(ACCESS_DECLARATION, { kind: 'public' } satisfies AccessDeclaration);

/** Signed in with one of these roles; the service then scopes by case. */
export const Roles = (...roles: Role[]) =>
  SetMetadata(ACCESS_DECLARATION, { kind: 'roles', roles } satisfies AccessDeclaration);

/** Any signed-in role. */
export const AnyRole = () => Roles(...ROLES);
