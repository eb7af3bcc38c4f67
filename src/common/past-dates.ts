import type { CalendarDate } from './calendar.js';
import { badRequest, type FieldError } from './problem.js';

/**
 * Dates of things that have happened (a notification, a death, a decision, a
 * contact, a hold) cannot lie after today.
 */
export function requireNotInFuture(dates: Record<string, CalendarDate | null | undefined>, today: CalendarDate): void {
  const errors: FieldError[] = Object.entries(dates)
    .filter(([, date]) => date && date > today)
    .map(([field]) => ({ field, message: `${field} is a past event and cannot be after today (${today})` }));
  if (errors.length > 0) throw badRequest(errors.map((e) => e.message).join('; '), errors);
}

/** `later` may not come before `earlier` (both optional). */
export function requireOrder(
  earlier: { field: string; date: CalendarDate | null | undefined },
  later: { field: string; date: CalendarDate | null | undefined },
): void {
  if (earlier.date && later.date && later.date < earlier.date) {
    const message = `${later.field} (${later.date}) cannot be before ${earlier.field} (${earlier.date})`;
    throw badRequest(message, [{ field: later.field, message }]);
  }
}
