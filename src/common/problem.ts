import { HttpException, HttpStatus } from '@nestjs/common';

/**
 * An RFC 9457 problem. Every error the API answers is one of these, so that
 * REST clients can branch on `type` and people can read `detail`.
 */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  [extension: string]: unknown;
}

/** The problem schema's limit on an `errors[]` field. */
const FIELD_LENGTH = 200;

/**
 * A field as an answer shows it, whichever check named it: on one line (a
 * control character of a key the client sent is shown escaped) and at most
 * FIELD_LENGTH characters (a longer key is cut, with an ellipsis).
 */
export function shownField(field: string): string {
  // eslint-disable-next-line no-control-regex -- the control characters are what is escaped
  const oneLine = field.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return oneLine.length > FIELD_LENGTH ? `${oneLine.slice(0, FIELD_LENGTH - 1)}…` : oneLine;
}

export function problemType(code: string): string {
  return `urn:dhr:problem:${code}`;
}

export class ProblemException extends HttpException {
  constructor(status: number, code: string, title: string, detail: string, extensions: Record<string, unknown> = {}) {
    super({ type: problemType(code), title, status, detail, ...extensions } satisfies ProblemBody, status);
    this.message = detail;
  }
}

export interface FieldError {
  field: string;
  message: string;
}

export function badRequest(detail: string, errors: FieldError[] = []): ProblemException {
  return new ProblemException(HttpStatus.BAD_REQUEST, 'invalid-request', 'Invalid request', detail, { errors });
}

/** Missing and out-of-scope objects share this answer exactly, so scope leaks nothing. */
export function notFound(what = 'resource'): ProblemException {
  return new ProblemException(HttpStatus.NOT_FOUND, 'not-found', 'Not found', `No such ${what}.`);
}

export function forbidden(detail = 'Your role may not do this.'): ProblemException {
  return new ProblemException(HttpStatus.FORBIDDEN, 'forbidden', 'Forbidden', detail);
}

export function unauthorized(detail = 'Sign in to use this service.'): ProblemException {
  return new ProblemException(HttpStatus.UNAUTHORIZED, 'unauthorized', 'Unauthorized', detail);
}

export function conflict(code: string, detail: string, extensions: Record<string, unknown> = {}): ProblemException {
  return new ProblemException(HttpStatus.CONFLICT, code, 'Conflict', detail, extensions);
}
