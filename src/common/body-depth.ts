import type { NextFunction, Request, Response } from 'express';
import { refusalSentence } from './field-messages.js';
import { badRequest, type FieldError } from './problem.js';

/** Request bodies of this API are shallow; anything deeper is refused before validation walks it. */
export const MAX_BODY_DEPTH = 16;

/**
 * Keys that name an object's prototype or a member every object inherits
 * from it (`valueOf`, `toString`, `hasOwnProperty`, …). JSON.parse keeps
 * `__proto__` as an ordinary own key; class-transformer drops the prototype
 * keys without a word; and the validator's unknown-field check passes over
 * the inherited names, since the object it checks already "has" them. So the
 * validation pipe never refuses any of them: this list does (docs/domain.md,
 * "Input rules").
 */
export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

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

/** Every prototype key anywhere in the body, by its path in the validation pipe's form (`subjects.0.__proto__`). */
function prototypeKeys(value: unknown): FieldError[] {
  const found: FieldError[] = [];
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0) {
    const [current, path] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    for (const key of Object.keys(current)) {
      const field = path ? `${path}.${key}` : key;
      if (PROTOTYPE_KEYS.has(key)) found.push({ field, message: `${field} is not a field of this request` });
      else stack.push([(current as Record<string, unknown>)[key], field]);
    }
  }
  return found.sort((a, b) => a.field.localeCompare(b.field));
}

/** Without this, a small but deeply nested JSON body exhausts the stack of the validation pipe (a 500). */
export function refuseDeepBodies(req: Request, _res: Response, next: NextFunction): void {
  if (depthExceeds(req.body, MAX_BODY_DEPTH)) {
    next(badRequest(`The request body is nested more than ${MAX_BODY_DEPTH} levels deep.`));
    return;
  }
  next();
}

/**
 * A key that names a prototype or an inherited member, anywhere in the body
 * or as a query parameter, is refused like any unknown property, naming its
 * field. Runs after refuseDeepBodies.
 */
export function refusePrototypeKeys(req: Request, _res: Response, next: NextFunction): void {
  const errors = [...prototypeKeys(req.body), ...prototypeKeys(req.query)];
  if (errors.length > 0) {
    next(badRequest(refusalSentence(errors), errors));
    return;
  }
  next();
}
