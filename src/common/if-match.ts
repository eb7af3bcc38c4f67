import { HttpStatus } from '@nestjs/common';
import { ProblemException } from './problem.js';

/**
 * Optimistic concurrency with If-Match and a version number as the ETag
 * (`"3"`). The comparison is strong: a weak `W/"3"` or `*` matches nothing.
 */

/** The version an If-Match header names: undefined when none was sent, NaN when it names no version. */
export function ifMatchVersion(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const match = /^"?(\d{1,14})"?$/.exec(header.trim());
  return match ? Number(match[1]) : NaN;
}

/** The version If-Match names, where it is required: 428 when it is missing. `readFrom` says where the ETag comes from. */
export function requireIfMatch(header: string | undefined, readFrom: string): number {
  const version = ifMatchVersion(header);
  if (version === undefined) {
    throw new ProblemException(
      HttpStatus.PRECONDITION_REQUIRED,
      'if-match-required',
      'Precondition required',
      `Send If-Match with the ETag from ${readFrom}, so that no one else’s change is overwritten.`,
    );
  }
  return version;
}

/** 412: the object changed since the client read it. */
export function versionMismatch(what: string, current: number): ProblemException {
  return new ProblemException(
    HttpStatus.PRECONDITION_FAILED,
    'version-mismatch',
    'Precondition failed',
    `The ${what} has changed since you read it (it is now version ${current}). Read it again and reapply your change.`,
  );
}
