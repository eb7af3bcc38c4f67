import { documentText } from './document-text.js';
import { findTerms, type TermHit } from './name-matcher.js';
import { unreadableText } from './text-quality.js';

/** What the check finds in one file: the protected terms in it, or why it cannot be read. */
export interface DocumentFinding {
  /** Why the file's text cannot be shown clean (in words), or null when it was read. */
  unreadable: string | null;
  hits: TermHit[];
}

/**
 * One file, examined for the given protected terms: a pure function of its
 * bytes, so the hostile corpus (test/fixtures/anonymisation) runs through
 * exactly what publication runs. Any failure to read is `unreadable`, never
 * clean.
 */
export async function examineDocument(bytes: Buffer, contentType: string, terms: readonly string[]): Promise<DocumentFinding> {
  let text: string;
  try {
    text = await documentText(bytes, contentType);
  } catch (error) {
    return { unreadable: (error as Error).message, hits: [] };
  }
  const hits = findTerms(text, terms);
  return { unreadable: hits.length > 0 ? null : unreadableText(text), hits };
}

/** What the examining worker is given: the stored file's bytes, its type, and the case's protected terms. */
export interface ExamineJob {
  bytes: Uint8Array;
  contentType: string;
  terms: readonly string[];
}

