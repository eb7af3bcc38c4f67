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

/** Every C0 and C1 control character, DEL, and the Unicode line and paragraph separators. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const ANY_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/** The same, less tab, line feed and a carriage return that starts a CR LF. */
// eslint-disable-next-line no-control-regex -- as above
const CONTROL_BUT_LINE_BREAK = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029]|\r(?!\n)/;

function textWithout(name: string, forbidden: RegExp, describe: string, options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: `${String(propertyName)} ${describe}`, ...options },
      // Anything but a string is IsString's to refuse.
      validator: { validate: (value: unknown) => typeof value !== 'string' || !forbidden.test(value) },
    });
}

/**
 * One line of text: a name, pseudonym, address, title, source or e-mail. No
 * control character at all (no CR, LF or tab either), so that it cannot
 * break out of a header, a line of an e-mail or a notification's title.
 */
export function SingleLineText(options?: ValidationOptions): PropertyDecorator {
  return textWithout('singleLineText', ANY_CONTROL, 'must be a single line of text, without control characters', options);
}

/**
 * Free text over several lines: notes, summaries, rationales, comments,
 * reasons. Line breaks (LF, CR LF) and tabs are kept; every other control
 * character is refused.
 */
export function MultiLineText(options?: ValidationOptions): PropertyDecorator {
  return textWithout('multiLineText', CONTROL_BUT_LINE_BREAK, 'must be text without control characters other than line breaks and tabs', options);
}
