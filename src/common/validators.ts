import { registerDecorator, ValidateIf, type ValidationOptions } from 'class-validator';
import { isCalendarDate } from './calendar.js';

/** A real calendar date written YYYY-MM-DD: 2025-02-30 is refused. */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: `${String(propertyName)} must be a real date written YYYY-MM-DD, between 1900 and 2999`, ...options },
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
 * What a line of text may hold: anything but the C0 and C1 control
 * characters, DEL, and the Unicode line and paragraph separators. The
 * OpenAPI document gives this as the field's `pattern` (src/common/openapi.ts).
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
export const SINGLE_LINE = /^[^\u0000-\u001f\u007f-\u009f\u2028\u2029]*$/;
/** The same, plus tabs, line feeds, and carriage returns that start a CR LF. */
// eslint-disable-next-line no-control-regex -- as above
export const MULTI_LINE = /^(?:[^\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]|\r\n)*$/;

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
 * break out of a header, a line of an e-mail or a notification's title.
 */
export function SingleLineText(options?: ValidationOptions): PropertyDecorator {
  return textMatching('singleLineText', SINGLE_LINE, 'must be a single line of text, without control characters', options);
}

/**
 * Free text over several lines: notes, summaries, rationales, comments,
 * reasons. Line breaks (LF, CR LF) and tabs are kept; every other control
 * character is refused.
 */
export function MultiLineText(options?: ValidationOptions): PropertyDecorator {
  return textMatching('multiLineText', MULTI_LINE, 'must be text without control characters other than line breaks and tabs', options);
}
