import { Injectable, type PipeTransform } from '@nestjs/common';
import { AccessService } from './access.service.js';

/**
 * A case id in a path (`@Param('id', CaseIdPipe)`): the case's id, or its
 * reference (DHR-2026-001, in any letter case) read to that id, so that every
 * case route, its scope check and its audit events see the id alone; text
 * that is neither is a 400 (AccessService.caseIdOf; docs/domain.md, "A case by
 * its reference"). Every path parameter that names a case reads it through
 * this pipe, and no other (test/openapi.e2e-spec.ts holds the controllers to it).
 */
@Injectable()
export class CaseIdPipe implements PipeTransform<string, Promise<string>> {
  constructor(private readonly access: AccessService) {}

  transform(value: string): Promise<string> {
    return this.access.caseIdOf(value);
  }
}
