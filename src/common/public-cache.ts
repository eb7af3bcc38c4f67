import { createHash } from 'node:crypto';
import type { Response } from 'express';

/** How long a browser or proxy may keep a public answer before asking again (with If-None-Match). */
export const PUBLIC_MAX_AGE_SECONDS = 300;

/** A strong ETag for these exact bytes. */
export function strongETag(content: string | Buffer): string {
  return `"${createHash('sha256').update(content).digest('base64url')}"`;
}

/**
 * Marks a successful answer of the public page as cacheable by anyone, for
 * PUBLIC_MAX_AGE_SECONDS, under its ETag: it replaces the `no-store` every
 * answer starts with (common/no-store.ts), so a refusal or an error on a
 * public route stays uncached. Readable from any site: it holds nothing
 * that is not public, and no credential goes with it.
 */
export function cachePublicly(res: Response, etag: string): void {
  res.setHeader('Cache-Control', `public, max-age=${PUBLIC_MAX_AGE_SECONDS}`);
  res.setHeader('ETag', etag);
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
}

/**
 * A JSON or text answer of the public page, cacheable under the ETag of its
 * body. Express answers 304 itself when If-None-Match names that ETag
 * (res.send checks the request's freshness against it).
 */
export function publicAnswer<T extends object | string>(res: Response, body: T): T {
  cachePublicly(res, strongETag(typeof body === 'string' ? body : JSON.stringify(body)));
  return body;
}
