import type { ValidationError } from '@nestjs/common';
import { shownField, type FieldError } from './problem.js';

/**
 * The words a refused request's fields are named in (docs/architecture.md,
 * "A request's path", step 7 and "Messages a caseworker reads"): one message
 * per field, the most relevant one, each starting with the field's path
 * (`decision.decidedOn`), in plain words rather than class-validator's.
 */

/** class-validator's default wording of a check, and the plain words said instead. A custom message passes as written. */
export const PLAIN_WORDS: readonly (readonly [RegExp, string])[] = [
  [/^must be a string$/, 'must be text'],
  [/^must be an integer number$/, 'must be a whole number'],
  [/^must be a number conforming to the specified constraints$/, 'must be a number'],
  [/^must be a boolean value$/, 'must be true or false'],
  [/^must be a Date instance$/, 'must be a date such as 2026-03-01'],
  [/^must be a valid ISO 8601 date string$/, 'must be a date such as 2026-03-01'],
  [/^must be one of the following values: (.*)$/, 'must be one of: $1'],
  [/^must be a valid enum value$/, 'must be one of the values listed for it'],
  [/^must be a UUID$/, 'must be a UUID'],
  [/^must be an email$/, 'must be an e-mail address'],
  [/^must be a URL address$/, 'must be a web address (URL)'],
  [/^must be an array$/, 'must be a list'],
  [/^must be an object$/, 'must be an object of fields'],
  [/^must be a non-empty object$/, 'must be an object with at least one field'],
  [/^must be longer than or equal to 1 characters$/, 'must not be empty'],
  [/^must be longer than or equal to (\d+) characters$/, 'must be at least $1 characters long'],
  [/^must be shorter than or equal to (\d+) characters$/, 'must be at most $1 characters long'],
  [/^must be longer than or equal to (\d+) and shorter than or equal to (\d+) characters$/, 'must be $1 to $2 characters long'],
  [/^must not be less than (\S+)$/, 'must be at least $1'],
  [/^must not be greater than (\S+)$/, 'must be at most $1'],
  [/^must be a positive number$/, 'must be more than 0'],
  [/^must contain at least 1 elements$/, 'must have at least 1 item'],
  [/^must contain at least (\d+) elements$/, 'must have at least $1 items'],
  [/^must contain no more than 1 elements$/, 'must have at most 1 item'],
  [/^must contain no more than (\d+) elements$/, 'must have at most $1 items'],
  [/^must match .* regular expression$/, 'is not in the expected form'],
  [/^should not be empty$/, 'must not be empty'],
  [/^should not be null or undefined$/, 'is required'],
  [/^'s elements must be unique$/, 'must not list the same value twice'],
];

/**
 * The checks that say what a field is (its type, its form, its set of
 * values): when one fails, it is the message, and the field's length or
 * text complaints are left out as following from it.
 */
const KIND_CHECKS = [
  'isArray',
  'isObject',
  'isString',
  'isInt',
  'isNumber',
  'isBoolean',
  'isDate',
  'isDateString',
  'isISO8601',
  'isCalendarDate',
  'isIn',
  'isEnum',
  'isUUID',
  'isEmail',
  'isUrl',
  'nestedValidation',
];

/** A field's path within the request: `decision.decidedOn`, `subjects.0.fullName`. */
function pathOf(prefix: string, property: string): string {
  return prefix ? `${prefix}.${property}` : property;
}

/** class-validator's message without the property's name it starts with: the part the words apply to. */
function plainTail(message: string): string {
  const rule = PLAIN_WORDS.find(([pattern]) => pattern.test(message));
  return rule ? message.replace(rule[0], rule[1]) : message;
}

/**
 * One check's refusal in plain words, starting with the field's path. A
 * message for every item of a list (`each: true`) says so.
 */
export function plainMessage(path: string, property: string, message: string): string {
  const each = `each value in ${property} `;
  if (message.startsWith(each)) return `every item of ${path} ${plainTail(message.slice(each.length))}`;
  if (message.startsWith(`All ${property}'s elements must be unique`)) return `${path} ${plainTail(message.slice(`All ${property}`.length))}`;
  if (message === property || message.startsWith(`${property} `)) return `${path} ${plainTail(message.slice(property.length + 1))}`;
  return `${path} ${plainTail(message)}`;
}

/** The check whose message stands for the field: what the field is before how long or how written. */
function mostRelevant(constraints: Record<string, string>): [string, string] {
  const kind = KIND_CHECKS.find((name) => name in constraints);
  return kind ? [kind, constraints[kind]] : Object.entries(constraints)[0];
}

function fieldError(error: ValidationError, fullPath: string): FieldError | undefined {
  const path = shownField(fullPath);
  const constraints = error.constraints ?? {};
  if (Object.keys(constraints).length === 0) return undefined;
  if ('whitelistValidation' in constraints) return { field: path, message: `${path} is not a field of this request` };
  if ('unknownValue' in constraints) return { field: path || 'request', message: `${path || 'the request'} must be an object of fields` };
  if (error.value === undefined) return { field: path, message: `${path} is required` };
  const [check, message] = mostRelevant(constraints);
  if (check === 'nestedValidation') return { field: path, message: `${path} must be an object of fields` };
  return { field: path, message: plainMessage(path, error.property, message) };
}

function onlyNested(error: ValidationError): boolean {
  const checks = Object.keys(error.constraints ?? {});
  return checks.length === 1 && checks[0] === 'nestedValidation' && (error.children ?? []).length === 0;
}

/**
 * class-validator's refusals as the API's `errors[]`: one entry per field,
 * nested fields by their path. A field left out gets only "is required",
 * and what is inside it is not looked at.
 */
export function fieldErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const path = pathOf(prefix, error.property);
    const own = fieldError(error, path);
    if (own && error.value === undefined) return [own];
    // An item that is no object at all is already said of its list ("every item of subjects must be an object of fields").
    const children = own ? (error.children ?? []).filter((child) => !onlyNested(child)) : (error.children ?? []);
    return [...(own ? [own] : []), ...fieldErrors(children, path)];
  });
}

/** How long a `detail` built from field messages grows before the rest are only counted (the problem schema allows 2,000). */
const SENTENCE_LENGTH = 1500;

/**
 * The `detail` of a refused request: its field messages as one sentence
 * ("notificationSource is required; and notifiedOn must be …."). Past
 * SENTENCE_LENGTH the rest are counted, and left to `errors`.
 */
export function refusalSentence(errors: readonly FieldError[]): string {
  const messages = [...new Set(errors.map((e) => e.message))];
  if (messages.length === 0) return 'The request is not valid.';
  const said: string[] = [];
  for (const message of messages) {
    if (said.length > 0 && [...said, message].join('; ').length > SENTENCE_LENGTH) break;
    said.push(message);
  }
  const left = messages.length - said.length;
  if (left > 0) return `${said.join('; ')}; and ${left} more, listed in errors.`;
  if (said.length === 1) return `${said[0]}.`;
  return `${said.slice(0, -1).join('; ')}; and ${said[said.length - 1]}.`;
}
