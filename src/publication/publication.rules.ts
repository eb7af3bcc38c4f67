import { addMonths, type CalendarDate } from '../common/calendar.js';

/**
 * A published report stays online at least this long: it may not be
 * withdrawn before, and its case closes only after it, unless the SDP
 * overrides (docs/domain.md, "Publication"). The closure step's own
 * precondition (cases/stages.ts) counts the same 12 months.
 */
export const MINIMUM_ONLINE_MONTHS = 12;

/** The first day a report published on this date may be withdrawn. */
export function withdrawableFrom(publishedOn: CalendarDate): CalendarDate {
  return addMonths(publishedOn, MINIMUM_ONLINE_MONTHS);
}
