import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { fieldErrors, refusalSentence } from './field-messages.js';
import { badRequest, type FieldError } from './problem.js';
import { MULTI_LINE } from './text-rules.js';

/** Secrets are compared, never shown or sent on: any character a person typed into one is theirs. */
const CREDENTIALS = new Set(['password', 'refreshToken', 'client_secret']);

/** The name a fault of the whole body or query goes by; its fields go by their own names. */
const WHOLE_REQUEST = 'request';

const FLOOR_MESSAGE = 'must be text without control (other than line breaks and tabs), format or invisible characters';

/**
 * Every string a request carries (a body, a query string, the form fields of
 * an upload), at any depth, credentials apart, that breaks the free-text rule
 * (MULTI_LINE): so that no field, declared or not, lets a bidirectional,
 * zero-width or control character through. One-line fields are held to the
 * stricter rule by their own `SingleLineText`.
 */
export function textFaults(value: unknown, field: string): FieldError[] {
  if (typeof value === 'string') return MULTI_LINE.test(value) ? [] : [{ field, message: `${field} ${FLOOR_MESSAGE}` }];
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return [];
  return Object.entries(value).flatMap(([key, inner]) => {
    // A refused name is not echoed back: the fault is its object's.
    if (!MULTI_LINE.test(key)) return [{ field, message: `the name of a field in ${field} ${FLOOR_MESSAGE}` }];
    return CREDENTIALS.has(key) ? [] : textFaults(inner, field === WHOLE_REQUEST ? key : `${field}.${key}`);
  });
}

/** A refused request: its fields' messages as `errors[]`, and as one sentence in `detail` (common/field-messages.ts). */
function refusal(errors: FieldError[]) {
  return badRequest(refusalSentence(errors), errors);
}

/**
 * The global validation pipe: unknown properties are refused (not silently
 * dropped), each field refused is named once, in plain words
 * (fieldErrors), and every string of a body or a
 * query is first held to the text rule (textFaults).
 */
class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query') {
      const faults = textFaults(value, metadata.data ?? WHOLE_REQUEST);
      if (faults.length > 0) throw refusal(faults);
    }
    return super.transform(value, metadata);
  }
}

export function validationPipe(): ValidationPipe {
  return new RequestValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    stopAtFirstError: false,
    // The value is kept only to tell a field left out ("is required") from one sent wrong; it is never echoed.
    validationError: { target: false, value: true },
    exceptionFactory: (errors) => refusal(fieldErrors(errors)),
  });
}
