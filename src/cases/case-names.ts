/** How a case is named outside its detail: its reference and the victim's pseudonym, never a real name. */
export interface CaseLabel {
  reference: string;
  pseudonym: string | null;
}

/** The words that name a case in a notification and on a picture (the timeline): "DHR-2026-004 (Anna)". The notifier and the pictures call this, never spell it out. */
export function caseName(label: CaseLabel): string {
  return `${label.reference} (${label.pseudonym ?? 'no pseudonym yet'})`;
}
