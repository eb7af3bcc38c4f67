import { DOCX_TYPE } from '../documents/content-recognition.js';
import { documentText, withinTextBudget } from './document-text.js';
import { docxTextParts, joinedParts, REST_OF_PACKAGE, type WordTextPart } from './docx-text.js';
import { findTerms, type TermHit } from './name-matcher.js';
import { unreadableText } from './text-quality.js';

/**
 * Where in a file a hit is (docs/domain.md, "The anonymisation check"): a
 * Word file's body, header, footer, footnote (or endnote), comment,
 * properties (its document properties and custom XML), or another part
 * (text boxes' drawings, embedded files, entry names); a plain-text file's
 * body; a PDF's text is not yet told apart by place (`unplaced`).
 */
export const HIT_PLACES = ['body', 'header', 'footer', 'footnote', 'comment', 'properties', 'other', 'unplaced'] as const;
export type HitPlace = (typeof HIT_PLACES)[number];

/** A hit and where it is. */
export interface PlacedHit extends TermHit {
  where: HitPlace;
}

/** What the check finds in one file: the protected terms in it, or why it cannot be read. */
export interface DocumentFinding {
  /** Why the file's text cannot be shown clean (in words), or null when it was read. */
  unreadable: string | null;
  hits: PlacedHit[];
}

/** The place of a Word package's part, by its name. */
const PART_PLACES: readonly [RegExp, HitPlace][] = [
  [/^word\/(?:document|glossary\/document)\d*\.xml$/i, 'body'],
  [/(?:^|\/)header\d*\.xml$/i, 'header'],
  [/(?:^|\/)footer\d*\.xml$/i, 'footer'],
  [/(?:^|\/)(?:footnotes|endnotes)\.xml$/i, 'footnote'],
  [/(?:^|\/)comments[a-z]*\.xml$/i, 'comment'],
  [/^(?:docProps|customXml)\//i, 'properties'],
];

export function placeOfPart(part: string): HitPlace {
  if (part === REST_OF_PACKAGE) return 'other';
  return PART_PLACES.find(([pattern]) => pattern.test(part))?.[1] ?? 'other';
}

/** Each hit placed in the part of the joined text it starts in. */
function placeInParts(hits: TermHit[], parts: readonly WordTextPart[]): PlacedHit[] {
  const starts: number[] = [];
  let offset = 0;
  for (const part of parts) {
    starts.push(offset);
    offset += part.text.length + 2;
  }
  return hits.map((hit) => {
    let index = starts.length - 1;
    while (index > 0 && starts[index] > hit.start) index -= 1;
    return { ...hit, where: parts.length > 0 ? placeOfPart(parts[index].part) : 'other' };
  });
}

/** The text of a file and where each stretch of it comes from. */
async function placedText(bytes: Buffer, contentType: string): Promise<{ text: string; place: (hits: TermHit[]) => PlacedHit[] }> {
  if (contentType === DOCX_TYPE) {
    const parts = await docxTextParts(bytes);
    return { text: withinTextBudget(joinedParts(parts)), place: (hits) => placeInParts(hits, parts) };
  }
  const where: HitPlace = contentType === 'text/plain' ? 'body' : 'unplaced';
  return { text: await documentText(bytes, contentType), place: (hits) => hits.map((hit) => ({ ...hit, where })) };
}

/**
 * One file, examined for the given protected terms: a pure function of its
 * bytes, so the hostile corpus (test/fixtures/anonymisation) runs through
 * exactly what publication runs. Any failure to read is `unreadable`, never
 * clean.
 */
export async function examineDocument(bytes: Buffer, contentType: string, terms: readonly string[]): Promise<DocumentFinding> {
  let read: Awaited<ReturnType<typeof placedText>>;
  try {
    read = await placedText(bytes, contentType);
  } catch (error) {
    return { unreadable: (error as Error).message, hits: [] };
  }
  const hits = read.place(findTerms(read.text, terms));
  return { unreadable: hits.length > 0 ? null : unreadableText(read.text), hits };
}

/** What the examining worker is given: the stored file's bytes, its type, and the case's protected terms. */
export interface ExamineJob {
  bytes: Uint8Array;
  contentType: string;
  terms: readonly string[];
}

