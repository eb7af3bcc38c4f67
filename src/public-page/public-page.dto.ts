import { ApiProperty } from '@nestjs/swagger';
import { REVIEW_TYPES, type ReviewType } from '../cases/case.entities.js';
import type { StoredDocument } from '../documents/documents.queries.js';
import type { PublishedReviewRow } from '../publication/publication.queries.js';
import { PUBLIC_DOCUMENT_NAMES, recordedDocuments, type PublicDocumentName } from '../publication/published-documents.js';
import { ThemeCountView } from '../reports/report.dto.js';
import { reviewTitle } from '../publication/publication.rules.js';
import { ThemeView } from '../themes/theme.dto.js';

/** What each kind of review is called where the public reads about it. */
export const REVIEW_TYPE_NAMES: Record<ReviewType, string> = {
  DHR: 'Domestic Homicide Review',
  DARDR: 'Domestic Abuse Related Death Review',
};

export class PublicPartnershipView {
  @ApiProperty({ example: 'exeter' }) code: string;
  @ApiProperty({ example: 'Exeter' }) name: string;
}

/** One document of a published review, to download (docs/domain.md, "The public page"). */
export class PublicDocumentView {
  @ApiProperty({ enum: PUBLIC_DOCUMENT_NAMES, description: 'Which document: the executive summary, the overview report or the QA panel’s letter' })
  name: PublicDocumentName;
  @ApiProperty({ example: '/api/public/reviews/DHR-2026-004/overview-report', description: 'Where to download it: a path on this API' }) url: string;
  @ApiProperty({ example: 'application/pdf', description: 'The type it was uploaded as and is served as: a PDF, a Word document (DOCX) or plain text' })
  contentType: string;
  @ApiProperty({ example: 48213, description: 'Its size in bytes' }) sizeBytes: number;
}

/** A published review as the public page lists it: nothing a published report does not already say. */
export class PublicReviewView {
  @ApiProperty({ example: 'DHR-2026-004' }) reference: string;
  @ApiProperty({ example: 'Adult A', description: 'The victims’ pseudonyms' }) title: string;
  @ApiProperty({ enum: REVIEW_TYPES }) reviewType: ReviewType;
  @ApiProperty({ type: PublicPartnershipView, description: 'The Community Safety Partnership that held the review' }) partnership: PublicPartnershipView;
  @ApiProperty({ nullable: true, type: Number, example: 2025 }) yearOfDeath: number | null;
  @ApiProperty({ example: '2027-02-01' }) publishedOn: string;
  @ApiProperty({ description: 'Where the partnership published the report' }) url: string;
  @ApiProperty({ type: [ThemeView], description: 'The learning themes of the review and of its recommendations' }) themes: ThemeView[];
  @ApiProperty({ nullable: true, type: String, description: 'The executive summary as published, to download' }) executiveSummaryUrl: string | null;
  @ApiProperty({
    type: [PublicDocumentView],
    description: 'The documents published, in this order: executive summary, overview report, QA letter; one not published is left out',
  })
  documents: PublicDocumentView[];
}

export class PublicReviewPage {
  @ApiProperty({ type: [PublicReviewView] }) items: PublicReviewView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

/** Where the public downloads one of a review's published documents. */
export function publicDocumentPath(reference: string, name: PublicDocumentName): string {
  return `/api/public/reviews/${encodeURIComponent(reference)}/${name}`;
}

/**
 * A review on the public page, its published documents described by how
 * they are stored (`stored`, by document id); a document whose row is not
 * in it is left out.
 */
export function toPublicReviewView(row: PublishedReviewRow, themes: ThemeView[], baseUrl: string, stored: ReadonlyMap<string, StoredDocument>): PublicReviewView {
  return {
    reference: row.reference,
    title: reviewTitle(row.reference, row.victims),
    reviewType: row.review_type as ReviewType,
    partnership: { code: row.partnership_code, name: row.partnership_name },
    yearOfDeath: row.year_of_death,
    publishedOn: row.published_on,
    url: row.url,
    themes,
    executiveSummaryUrl: row.executive_summary_document_id ? baseUrl + publicDocumentPath(row.reference, 'executive-summary') : null,
    documents: recordedDocuments(row).flatMap(({ name, documentId }) => {
      const document = stored.get(documentId);
      return document ? [{ name, url: publicDocumentPath(row.reference, name), contentType: document.contentType, sizeBytes: document.sizeBytes }] : [];
    }),
  };
}

export class RecommendationCompletionView {
  @ApiProperty({ description: 'The recommendations of the reviews covered' }) recommendations: number;
  @ApiProperty({ description: 'Of those, the ones whose every action is completed or closed with a reason (a recommendation with no action is not)' })
  completed: number;
  @ApiProperty({ nullable: true, type: Number, description: 'completed / recommendations, between 0 and 1; null when there are none' }) share: number | null;
}

export class PublicLearningGroupView {
  @ApiProperty({ example: 2027, description: 'The year the reviews were published' }) year: number;
  @ApiProperty({ type: PublicPartnershipView }) partnership: PublicPartnershipView;
  @ApiProperty({ description: 'Published reviews of that year and CSP' }) reviews: number;
  @ApiProperty({ type: [ThemeCountView], description: 'Every learning theme, in the list’s order, zeros included' }) themes: ThemeCountView[];
  @ApiProperty({ type: RecommendationCompletionView }) recommendations: RecommendationCompletionView;
}

/** The summary of learning across the published reviews: counts only, never a review's own detail. */
export class PublicLearningView {
  @ApiProperty({ description: 'Published reviews covered (those on the public page)' }) reviews: number;
  @ApiProperty({ type: [ThemeCountView], description: 'Every learning theme across them, in the list’s order, zeros included' }) themes: ThemeCountView[];
  @ApiProperty({ type: RecommendationCompletionView }) recommendations: RecommendationCompletionView;
  @ApiProperty({ type: [PublicLearningGroupView], description: 'The same by year of publication (newest first) and CSP' })
  byYearAndPartnership: PublicLearningGroupView[];
}

export function toRecommendationCompletion({ recommendations, completed }: { recommendations: number; completed: number }): RecommendationCompletionView {
  return { recommendations, completed, share: recommendations === 0 ? null : completed / recommendations };
}
