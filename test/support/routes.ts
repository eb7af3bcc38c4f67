import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { routeAccess, type AccessDeclaration } from '../../src/access/access.decorators.js';
import { CASE_PERMISSIONS } from '../../src/access/case-permissions.js';
import type { ClientScope } from '../../src/access/client-principal.js';
import { WEB_PAGE_PATHS } from '../../src/public-page/web-page.js';

export interface RouteDeclaration {
  method: string;
  path: string;
  access: AccessDeclaration | undefined;
  /** The REST client scopes that open the route; none closes it to clients. */
  clientScopes: readonly ClientScope[];
}

function joinPath(...parts: (string | undefined)[]): string {
  return '/' + parts.flatMap((p) => (p ?? '').split('/')).filter(Boolean).join('/');
}

/** Every route the application registered, with the access declaration it carries. */
export function collectRoutes(app: INestApplication): RouteDeclaration[] {
  const scanner = new MetadataScanner();
  const routes: RouteDeclaration[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: unknown[]) => unknown) | null;
      if (!controller) continue;
      const base = Reflect.getMetadata(PATH_METADATA, controller) as string | undefined;
      for (const name of scanner.getAllMethodNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name] as object;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        if (path === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        // read as the access guard reads it: the handler's declaration before its controller's
        const { declaration, clientScopes } = routeAccess(<T>(key: string) => (Reflect.getMetadata(key, handler) ?? Reflect.getMetadata(key, controller)) as T | undefined);
        // the public page's web page alone is outside the /api prefix (app.setup.ts)
        const own = joinPath(base, path);
        routes.push({ method, path: WEB_PAGE_PATHS.test(own) ? own : joinPath('api', base, path), access: declaration, clientScopes });
      }
    }
  }
  return routes.sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
}

export function describeAccess(access: AccessDeclaration | undefined, clientScopes: readonly ClientScope[] = []): string {
  const clients = clientScopes.length > 0 ? `; clients: ${[...clientScopes].sort().join(', ')}` : '';
  if (!access) return `UNDECLARED${clients}`;
  if (access.kind === 'public') return `public${clients}`;
  if (access.kind === 'case') return `case ${access.action}: ${[...CASE_PERMISSIONS[access.action]].sort().join(', ')}${clients}`;
  return `roles: ${[...access.roles].sort().join(', ')}${clients}`;
}
