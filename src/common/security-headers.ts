import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet, { type HelmetOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** One header change helmet makes to every answer. */
type HeaderChange = { set: string; value: string | number | readonly string[] } | { remove: string };

/** Runs helmet once, on a stand-in response, and records what it does to the headers; null if it did not finish at once. */
function recordHelmet(options: HelmetOptions): HeaderChange[] | null {
  const changes: HeaderChange[] = [];
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => changes.push({ set: name, value }),
    removeHeader: (name: string) => changes.push({ remove: name }),
    getHeader: () => undefined,
  };
  let finished = false;
  helmet(options)({ headers: {} } as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    finished = error === undefined;
  });
  return finished ? changes : null;
}

/**
 * The security headers helmet sets with these options, on every answer
 * (the web pages' own, `pages`, on theirs):
 * exactly helmet's, but computed once at start-up and replayed, since they
 * are the same for every request. Falls back to helmet itself if its answer
 * could vary by request.
 */
export function securityHeaders(options: HelmetOptions, pages?: WebPages): RequestHandler {
  const api = replayedHelmet(options);
  if (!pages) return api;
  const page = replayedHelmet(pages.options);
  return (req: Request, res: Response, next: NextFunction) => (pages.paths.test(req.path) ? page : api)(req, res, next);
}

/** The web pages the server renders for people to read, and their own security headers. */
export interface WebPages {
  paths: RegExp;
  options: HelmetOptions;
}

/**
 * The security headers of the web pages the server renders (the public page
 * as HTML, docs/domain.md, "The public page"): helmet's, with a
 * Content-Security-Policy that allows nothing but the page's own stylesheet
 * (and images of its own, should it have any): no script at all, no
 * connection, no form, no framing, no `<base>`.
 */
export function webPageSecurity(upgradeInsecureRequests: boolean): HelmetOptions {
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'"],
        scriptSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'none'"],
        frameAncestors: ["'none'"],
        ...(upgradeInsecureRequests ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    xFrameOptions: { action: 'deny' },
  };
}

/** helmet's headers with these options, recorded once and replayed (or helmet itself when they vary by request). */
function replayedHelmet(options: HelmetOptions): RequestHandler {
  const changes = recordHelmet(options);
  // A directive computed per request (a nonce) makes two runs differ: then helmet runs on every request.
  if (!changes || JSON.stringify(changes) !== JSON.stringify(recordHelmet(options))) return helmet(options) as RequestHandler;
  return (_req: Request, res: Response, next: NextFunction) => {
    for (const change of changes) {
      if ('set' in change) res.setHeader(change.set, change.value);
      else res.removeHeader(change.remove);
    }
    next();
  };
}
