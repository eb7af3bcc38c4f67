import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from './database-unavailable.js';
import { problemType, shownField, type ProblemBody } from './problem.js';
import { currentRequestContext } from './request-context.js';

const TITLES: Record<number, string> = {
  400: 'Invalid request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  412: 'Precondition failed',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  428: 'Precondition required',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

const CODES: Record<number, string> = {
  400: 'invalid-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'conflict',
  412: 'precondition-failed',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  422: 'unprocessable',
  428: 'precondition-required',
  429: 'rate-limited',
  500: 'internal-error',
  503: 'unavailable',
};

/** Errors thrown by Express' body parser carry a status and a type. */
interface BodyParserError {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
}

function fromBodyParser(error: BodyParserError): ProblemBody | undefined {
  const status = error.status ?? error.statusCode;
  if (!status || !error.type) return undefined;
  const details: Record<string, string> = {
    'entity.parse.failed': 'The request body is not valid JSON.',
    'entity.too.large': 'The request body is too large.',
    'encoding.unsupported': 'The request body has an unsupported encoding.',
    'charset.unsupported': 'The request body has an unsupported charset.',
  };
  return base(status, details[error.type] ?? 'The request body could not be read.');
}

/**
 * Database refusals that a request can cause, by SQLSTATE. The constraint's
 * text stays in the log; the caller gets a plain sentence.
 */
const DATABASE_REFUSALS: Record<string, [number, string]> = {
  '23505': [409, 'This would duplicate a record that already exists.'],
  '23503': [409, 'This refers to a record that does not exist, or is still referred to.'],
  '23514': [400, 'A value is outside what is allowed.'],
  '23502': [400, 'A required value is missing.'],
  '22003': [400, 'A number is out of range.'],
  '22009': [400, 'A time-zone offset is out of range.'],
  '22P02': [400, 'A value has the wrong form.'],
  '22007': [400, 'A date or time has the wrong form.'],
  '22008': [400, 'A date or time is out of range.'],
  '22001': [400, 'A value is too long.'],
  '22021': [400, 'A value contains a character that cannot be stored (such as a NUL byte).'],
  '22P05': [400, 'A value contains a character that cannot be stored.'],
  '40001': [409, 'Another change happened at the same moment. Try again.'],
  '40P01': [409, 'Another change happened at the same moment. Try again.'],
  '57014': [503, 'The database took too long to answer. Try again.'],
};

function fromDatabase(error: QueryFailedError): ProblemBody | undefined {
  const code = (error.driverError as { code?: string } | undefined)?.code;
  const refusal = code ? DATABASE_REFUSALS[code] : undefined;
  return refusal ? base(refusal[0], refusal[1]) : undefined;
}

function base(status: number, detail: string): ProblemBody {
  return {
    type: problemType(CODES[status] ?? 'error'),
    title: TITLES[status] ?? 'Error',
    status,
    detail,
  };
}

function fromHttpException(exception: HttpException): ProblemBody {
  const status = exception.getStatus();
  const response = exception.getResponse();
  if (typeof response === 'object' && response !== null && 'type' in response && 'title' in response) {
    return response as ProblemBody;
  }
  const message =
    typeof response === 'string'
      ? response
      : typeof (response as { message?: unknown }).message === 'string'
        ? (response as { message: string }).message
        : exception.message;
  const body = base(status, message);
  if (status === HttpStatus.SERVICE_UNAVAILABLE && typeof response === 'object') {
    body.checks = (response as { details?: unknown }).details;
  }
  return body;
}

/** The request's id, as the X-Request-Id header already gives it (common/logging.ts). */
function requestIdOf(response: Response): string | null {
  const header = response.getHeader('X-Request-Id');
  return typeof header === 'string' ? header : currentRequestContext().requestId;
}

/**
 * A fault on our side names the request's id in its body as well
 * (`requestId`), and a 500's detail asks the caller to quote it: it is how
 * the log's entry for the fault is found.
 */
function quoteRequestId(body: ProblemBody, requestId: string | null): void {
  if (!requestId) return;
  body.requestId = requestId;
  if (body.status === 500) body.detail = `Something went wrong on our side. Quote request id ${requestId} when you report it.`;
}

/** The problem schema's limit on `detail` and on an `errors[]` message. */
const TEXT_LENGTH = 2000;

const clampText = (text: string) => (text.length > TEXT_LENGTH ? `${text.slice(0, TEXT_LENGTH - 1)}…` : text);

/**
 * Every problem leaves within the problem schema, whatever a client sent: a
 * field named from a key it sent is shown as `shownField` says, in its
 * message and the detail too, and the detail (and an OAuth refusal's
 * `error_description`, which repeats it) and each message are cut at the
 * schema's length.
 */
function keepWithinSchema(body: ProblemBody): void {
  const detailAsSent = body.detail;
  const errors = Array.isArray(body.errors) ? (body.errors as Array<{ field?: unknown; message?: unknown }>) : [];
  for (const error of errors) {
    if (typeof error.field === 'string') {
      const shown = shownField(error.field);
      if (shown !== error.field && error.field !== '') {
        if (typeof error.message === 'string') error.message = error.message.split(error.field).join(shown);
        body.detail = body.detail.split(error.field).join(shown);
        error.field = shown;
      }
    }
    if (typeof error.message === 'string') error.message = clampText(error.message.replace(/[\r\n]+/g, ' '));
  }
  body.detail = clampText(body.detail);
  // The token endpoint's OAuth refusals repeat the detail as `error_description` (clients/client-tokens.service.ts).
  if (typeof body.error_description === 'string') {
    body.error_description = body.error_description === detailAsSent ? body.detail : clampText(body.error_description);
    body.error_description = (body.error_description as string).replace(/[\r\n]+/g, ' ');
  }
}

/** The problem schema's limit on `instance`. */
const INSTANCE_LENGTH = 16_384;

/**
 * A request's path as the problem's `instance`, a URI reference whatever the
 * client sent: a `%` that starts no escape, and every character a URI may not
 * hold, escaped; cut (never inside an escape) where the schema's limit is.
 */
export function uriReference(path: string): string {
  const escaped = path
    .replace(/%(?![0-9A-Fa-f]{2})/g, '%25')
    .replace(/[^A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]/gu, (c) => {
      try {
        return encodeURIComponent(c);
      } catch {
        return '%EF%BF%BD';
      }
    });
  return escaped.length > INSTANCE_LENGTH ? escaped.slice(0, INSTANCE_LENGTH).replace(/%[0-9A-Fa-f]?$/, '') : escaped;
}

/**
 * Turns every error into application/problem+json. Unknown errors become a
 * bare 500: no stack trace, no SQL, nothing from the exception's message.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const body = this.toProblem(exception);
    if (body.status === 503 && !response.headersSent) response.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
    if (body.status >= 500 && body.status !== 503) {
      const error = exception instanceof Error ? exception : new Error(String(exception));
      this.logger.error({ err: { type: error.name, message: error.message, stack: error.stack } }, 'unhandled error');
    }
    if (body.status >= 500) quoteRequestId(body, requestIdOf(response));
    body.instance = uriReference(request.originalUrl?.split('?')[0] ?? '/');
    keepWithinSchema(body);
    if (response.headersSent) return;
    response.status(body.status).type('application/problem+json').json(body);
  }

  private toProblem(exception: unknown): ProblemBody {
    // Nest wraps the body parser's errors; their own type says more than the wrapper.
    const cause = exception instanceof HttpException ? exception.cause : exception;
    const parserProblem = typeof cause === 'object' && cause ? fromBodyParser(cause as BodyParserError) : undefined;
    if (parserProblem) return parserProblem;
    if (exception instanceof HttpException) return fromHttpException(exception);
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn({ err: { type: (exception as Error).name, message: (exception as Error).message } }, 'database unavailable');
      return base(503, 'The database cannot be reached just now. Try again shortly.');
    }
    if (exception instanceof QueryFailedError) {
      const refusal = fromDatabase(exception);
      const { code, constraint } = exception.driverError as { code?: string; constraint?: string };
      if (refusal) this.logger.warn({ code, constraint }, 'database refused a change');
      if (refusal) return refusal;
    }
    return base(500, 'Something went wrong on our side.');
  }
}
