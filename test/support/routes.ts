import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { ACCESS_DECLARATION, type AccessDeclaration } from '../../src/access/access.decorators.js';
import { CASE_PERMISSIONS } from '../../src/access/case-permissions.js';

export interface RouteDeclaration {
  method: string;
  path: string;
  access: AccessDeclaration | undefined;
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
      const classAccess = Reflect.getMetadata(ACCESS_DECLARATION, controller) as AccessDeclaration | undefined;
      for (const name of scanner.getAllMethodNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name] as object;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        if (path === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        const access = (Reflect.getMetadata(ACCESS_DECLARATION, handler) as AccessDeclaration | undefined) ?? classAccess;
        routes.push({ method, path: joinPath('api', base, path), access });
      }
    }
  }
  return routes.sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
}

export function describeAccess(access: AccessDeclaration | undefined): string {
  if (!access) return 'UNDECLARED';
  if (access.kind === 'public') return 'public';
  if (access.kind === 'case') return `case ${access.action}: ${[...CASE_PERMISSIONS[access.action]].sort().join(', ')}`;
  return `roles: ${[...access.roles].sort().join(', ')}`;
}
