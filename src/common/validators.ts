import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, IsUUID, MaxLength, MinLength, registerDecorator, ValidateIf, type ValidationOptions } from 'class-validator';
import { isCalendarDate } from './calendar.js';
import { MULTI_LINE, SINGLE_LINE } from './text-rules.js';
import { trimmed } from './transforms.js';

/** A real calendar date written YYYY-MM-DD: 2025-02-30 is refused. */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: `${String(propertyName)} must be a date such as 2026-03-01, between 1900 and 2999`, ...options },
      validator: { validate: (value: unknown) => isCalendarDate(value) },
    });
}

/**
 * The field may be left out, but not sent as null: unlike @IsOptional, a
 * null still goes through the other checks (and fails them), so it never
 * reaches a NOT NULL column.
 */
export const IsOmittable = () => ValidateIf((_object, value) => value !== undefined);

/**
 * A name as a body gives it (a person's, an agency's, a REST client's): one
 * line of 1 to 200 characters once trimmed.
 */
export function NameText(): PropertyDecorator {
  return applyDecorators(Transform(trimmed), IsString(), SingleLineText(), MinLength(1), MaxLength(200));
}

/**
 * The id of something a body or query may leave out, documented as a UUID:
 * when given, a UUID. `nullable` documents null as a value too (clearing a
 * membership, say).
 */
export function OptionalUuid(doc: { description?: string; nullable?: boolean } = {}): PropertyDecorator {
  const nullable = doc.nullable ? { nullable: true, type: String } : {};
  const description = doc.description ? { description: doc.description } : {};
  return applyDecorators(
    ApiPropertyOptional({ format: 'uuid', ...nullable, ...description }),
    ...(doc.nullable ? [ValidateIf((_object, value) => value !== null)] : []),
    IsOptional(),
    IsUUID(),
  );
}

function textMatching(name: string, allowed: RegExp, describe: string, options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyName),
      constraints: [allowed],
      options: { message: `${String(propertyName)} ${describe}`, ...options },
      // Anything but a string is IsString's to refuse.
      validator: { validate: (value: unknown) => typeof value !== 'string' || allowed.test(value) },
    });
}

/**
 * One line of text: a name, pseudonym, address, title, source or e-mail. No
 * control character at all (no CR, LF or tab either), so that it cannot
 * break out of a header, a line of an e-mail or a notification's title, and
 * no format or invisible character, so that what is shown is what is stored.
 */
export function SingleLineText(options?: ValidationOptions): PropertyDecorator {
  return textMatching('singleLineText', SINGLE_LINE, 'must be a single line of text, without control, format or invisible characters', options);
}

/**
 * Free text over several lines: notes, summaries, rationales, comments,
 * reasons. Line breaks (LF, CR LF) and tabs are kept; every other control,
 * format or invisible character is refused.
 */
export function MultiLineText(options?: ValidationOptions): PropertyDecorator {
  return textMatching('multiLineText', MULTI_LINE, 'must be text without control (other than line breaks and tabs), format or invisible characters', options);
}

/**
 * A reason given for an act (a withdrawal, an override, a waiver): trimmed,
 * free text over several lines, 1 to 2,000 characters.
 */
export function ReasonText(): PropertyDecorator {
  // In the order the same decorators take effect when written out above a field: the lowest first.
  return applyDecorators(MaxLength(2000), MinLength(1, { message: 'reason must not be empty' }), MultiLineText(), IsString(), Transform(trimmed));
}
