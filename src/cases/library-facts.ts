/**
 * The facts the Home Office's DHR library and the Domestic Abuse
 * Commissioner's oversight group reviews by (docs/domain.md, "Facts for the
 * national library"): how the person died, the perpetrator's relationship to
 * the victim and the police force area. Each vocabulary is here once, with
 * the words for each value; the migration's check constraints, the request
 * validation and the OpenAPI document read these lists.
 */

/** How the person died, with its words. */
export const MANNER_OF_DEATH_WORDS = {
  homicide: 'Homicide',
  suicide: 'Suicide after domestic abuse',
  unexplained: 'Unexplained death',
  other: 'Other',
} as const;
export type MannerOfDeath = keyof typeof MANNER_OF_DEATH_WORDS;
export const MANNERS_OF_DEATH = Object.keys(MANNER_OF_DEATH_WORDS) as readonly MannerOfDeath[];

/** The perpetrator's relationship to the victim, with its words. */
export const RELATIONSHIP_WORDS = {
  intimate_partner: 'Intimate partner',
  former_intimate_partner: 'Former intimate partner',
  adult_child: 'Adult child of the victim',
  parent: 'Parent of the victim',
  other_family: 'Other family member',
  household_member: 'Member of the household',
  other: 'Other',
} as const;
export type Relationship = keyof typeof RELATIONSHIP_WORDS;
export const RELATIONSHIPS = Object.keys(RELATIONSHIP_WORDS) as readonly Relationship[];

/** The police force area a case records unless told otherwise: the partnerships of Devon are policed by one force. */
export const DEFAULT_POLICE_FORCE_AREA = 'Devon and Cornwall';

/** The longest police force area a case records: the longest force's name is well under it. */
export const POLICE_FORCE_AREA_MAX_LENGTH = 100;

/** A vocabulary as an OpenAPI description names it: each value with its words. */
export function valuesInWords(words: Readonly<Record<string, string>>): string {
  return Object.entries(words)
    .map(([value, said]) => `${value} (${said})`)
    .join(', ');
}

/** The case's fields that hold these facts, as a request and the case answer name them. */
export const LIBRARY_FACT_FIELDS = ['mannerOfDeath', 'relationship', 'policeForceArea'] as const;
export type LibraryFactField = (typeof LIBRARY_FACT_FIELDS)[number];

export function isLibraryFact(field: string): field is LibraryFactField {
  return (LIBRARY_FACT_FIELDS as readonly string[]).includes(field);
}
