import { extname } from 'node:path';
import { HttpStatus } from '@nestjs/common';
import { ProblemException } from '../common/problem.js';
import type { PackageLimits } from '../common/ooxml-package.js';
import { runUploadTask, WorkerFailed, WorkerOutOfMemory } from '../common/upload-worker.js';
import { ACCEPTED, NOT_ACCEPTED, type ContentRefusal, type ContentVerdict, type DocumentType } from './content-recognition.js';

/**
 * The API's side of the content check (docs/security.md, "Uploads: bombs,
 * limits and content checks"): the file is recognised in a worker thread
 * (content-recognition.ts), and its verdict answered here as a problem.
 */

export function unsupported(detail: string): ProblemException {
  return new ProblemException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'unsupported-media-type', 'Unsupported media type', detail);
}

function refusal({ status, detail }: ContentRefusal): ProblemException {
  return status === 413 ? new ProblemException(HttpStatus.PAYLOAD_TOO_LARGE, 'payload-too-large', 'Payload too large', detail) : unsupported(detail);
}

/**
 * Checks the staged file in a worker thread (common/upload-worker.ts) and
 * answers its type; 415 when it is no accepted type or its name's
 * extension says otherwise, 413 when it would inflate beyond the limit or
 * needs more memory to check than an upload may use.
 */
export async function checkContent(path: string, originalName: string, limits: PackageLimits): Promise<DocumentType> {
  let verdict: ContentVerdict;
  try {
    verdict = await runUploadTask<ContentVerdict>(new URL('./content-check.worker.js', import.meta.url), { path, limits });
  } catch (error) {
    if (error instanceof WorkerOutOfMemory) throw refusal({ status: 413, detail: 'The document needs more memory to check than an upload may use.' });
    if (error instanceof WorkerFailed) throw unsupported(NOT_ACCEPTED);
    throw error;
  }
  if ('refused' in verdict) throw refusal(verdict.refused);
  const ext = extname(originalName).toLowerCase();
  if (!(ACCEPTED[verdict.type] as readonly string[]).includes(ext)) {
    throw unsupported(`The file's name does not match its content (${ACCEPTED[verdict.type].join(' or ')} expected).`);
  }
  return verdict.type;
}
