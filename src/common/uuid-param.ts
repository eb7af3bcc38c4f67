import { ParseUUIDPipe, type ArgumentMetadata } from '@nestjs/common';
import { refusalSentence } from './field-messages.js';
import { badRequest } from './problem.js';

/**
 * A path parameter that is the id of something other than a case (an
 * agency, a user, a hold…): a UUID, or 400 naming the parameter ("agencyId
 * must be a UUID") in the words of the other refusals of a request
 * (common/field-messages.ts).
 */
export class UuidParam extends ParseUUIDPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<string> {
    if (typeof value === 'string' && this.isUUID(value)) return value;
    const field = metadata.data ?? 'id';
    const errors = [{ field, message: `${field} must be a UUID` }];
    throw badRequest(refusalSentence(errors), errors);
  }
}
