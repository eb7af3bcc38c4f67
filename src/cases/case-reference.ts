/**
 * A case's reference, as people say it: "DHR-2026-001", the year and a number
 * of three digits or more (cases.service.ts allocates them). Accepted in a
 * path wherever a case id is (docs/domain.md, "A case by its reference").
 */
export function caseReference(year: number, number: number): string {
  return `DHR-${year}-${String(number).padStart(3, '0')}`;
}

/** A reference in any letter case, ASCII digits only; a number of at most nine digits, far beyond any year's count. */
const REFERENCE = /^DHR-[0-9]{4}-[0-9]{3,9}$/i;

/** What the OpenAPI document says a reference in a path looks like (JSON Schema patterns have no flag for letter case). */
export const REFERENCE_PATTERN = '[Dd][Hh][Rr]-[0-9]{4}-[0-9]{3,9}';

/** The reference as stored (upper case), or null when the text is not one. */
export function asCaseReference(text: string): string | null {
  return REFERENCE.test(text) ? text.toUpperCase() : null;
}
