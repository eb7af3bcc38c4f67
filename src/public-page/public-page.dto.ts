import { ApiProperty } from '@nestjs/swagger';
import { REVIEW_TYPES, type ReviewType } from '../cases/case.entities.js';
import type { PublishedReviewRow } from '../publication/publication.queries.js';
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
}

export class PublicReviewPage {
  @ApiProperty({ type: [PublicReviewView] }) items: PublicReviewView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

/** Where the public downloads a review's executive summary. */
export function executiveSummaryPath(reference: string): string {
  return `/api/public/reviews/${encodeURIComponent(reference)}/executive-summary`;
}

export function toPublicReviewView(row: PublishedReviewRow, themes: ThemeView[], baseUrl: string): PublicReviewView {
  return {
    reference: row.reference,
    title: reviewTitle(row.reference, row.victims),
    reviewType: row.review_type as ReviewType,
    partnership: { code: row.partnership_code, name: row.partnership_name },
    yearOfDeath: row.year_of_death,
    publishedOn: row.published_on,
    url: row.url,
    themes,
    executiveSummaryUrl: row.executive_summary_document_id ? baseUrl + executiveSummaryPath(row.reference) : null,
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
