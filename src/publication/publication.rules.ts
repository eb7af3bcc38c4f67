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

/**
 * How a published review is titled where everyone can read it: by its
 * victims' pseudonyms ("Adult A", "Anna and Beth"), never a real name; by
 * its reference alone when no victim has one.
 */
export function reviewTitle(reference: string, victimPseudonyms: readonly string[]): string {
  if (victimPseudonyms.length === 0) return reference;
  if (victimPseudonyms.length === 1) return victimPseudonyms[0];
  return `${victimPseudonyms.slice(0, -1).join(', ')} and ${victimPseudonyms[victimPseudonyms.length - 1]}`;
}
