import type { NextFunction, Request, Response } from 'express';

/** The public API documentation: the one part of the API a cache may keep. */
const PUBLIC_DOCS = /^\/api\/(docs|docs-json|docs-yaml)(\/|$)/;

/**
 * Answers about cases and people must never be kept by a browser or a proxy:
 * every answer, errors included, says `Cache-Control: no-store`, except the
 * public API documentation. Set before anything else runs, so that an answer
 * refused early (a malformed body, a missing token) carries it too. The
 * public page's successful answers replace it with their own caching
 * (common/public-cache.ts); its refusals and errors keep it.
 */
export function noStore(req: Request, res: Response, next: NextFunction): void {
  if (!PUBLIC_DOCS.test(req.path)) res.setHeader('Cache-Control', 'no-store');
  next();
}
