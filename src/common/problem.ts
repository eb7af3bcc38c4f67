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
