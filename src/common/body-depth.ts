import type { NextFunction, Request, Response } from 'express';
import { badRequest } from './problem.js';

/** Request bodies of this API are shallow; anything deeper is refused before validation walks it. */
export const MAX_BODY_DEPTH = 16;

function depthExceeds(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth >= limit) return true;
    for (const inner of Object.values(current)) stack.push([inner, depth + 1]);
  }
  return false;
}

/** Without this, a small but deeply nested JSON body exhausts the stack of the validation pipe (a 500). */
export function refuseDeepBodies(req: Request, _res: Response, next: NextFunction): void {
  if (depthExceeds(req.body, MAX_BODY_DEPTH)) {
    next(badRequest(`The request body is nested more than ${MAX_BODY_DEPTH} levels deep.`));
    return;
  }
  next();
}
