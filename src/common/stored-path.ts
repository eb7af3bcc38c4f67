import type { Request } from 'express';

/** The longest path the audit trail and the logs keep; a longer one is cut, with a marker. */
export const MAX_STORED_PATH = 512;

/** A request's path, without its query string, cut to MAX_STORED_PATH characters. */
export function storedPath(url: string | undefined): string {
  const path = (url ?? '').split('?')[0];
  return path.length <= MAX_STORED_PATH ? path : `${path.slice(0, MAX_STORED_PATH - 1)}…`;
}

export const requestPath = (request: Pick<Request, 'originalUrl'>): string => storedPath(request.originalUrl);
