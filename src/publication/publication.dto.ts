import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, IsUrl, IsUUID, Matches, MaxLength } from 'class-validator';
import { REVIEW_TYPES, type ReviewType } from '../cases/case.entities.js';
import { PageQuery } from '../common/pagination.js';
import { trimmed } from '../common/transforms.js';
import { IsCalendarDate, MultiLineText, ReasonText, SingleLineText } from '../common/validators.js';
import type { DocumentKind } from '../documents/case-document.entity.js';
import { PUBLISHED_KINDS, type NameHit } from './anonymisation-check.js';
import { HIT_PLACES, type HitPlace } from './examine-document.js';
import type { ProtectedTerm, Publication } from './publication.entities.js';
import type { PublishedReviewRow } from './publication.queries.js';
import { reviewTitle, withdrawableFrom } from './publication.rules.js';

export class AddProtectedTermRequest {
  @ApiProperty({ example: 'Harbour Works', description: 'A real name, address or other word the published report must not contain' })
  @Transform(trimmed)
  @IsString()
  @SingleLineText()
  @MaxLength(200)
  @Matches(/[\p{L}\p{N}][^\p{L}\p{N}]*[\p{L}\p{N}]/u, { message: 'term must contain at least two letters or digits' })
  term: string;
}

export class ProtectedTermView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() term: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) addedBy: string | null;
  @ApiProperty() addedAt: string;
}

export function toProtectedTermView(t: ProtectedTerm): ProtectedTermView {
  return { id: t.id, term: t.term, addedBy: t.addedBy, addedAt: t.addedAt.toISOString() };
}

export class ProtectedTermPage {
  @ApiProperty({ type: [ProtectedTermView] }) items: ProtectedTermView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class NameHitView implements NameHit {
  @ApiProperty({ format: 'uuid', description: 'The final executive summary, overview report or QA letter' }) documentId: string;
  @ApiProperty({ enum: PUBLISHED_KINDS, description: 'Which document it is' }) documentKind: DocumentKind;
  @ApiProperty({ description: 'The uploaded file’s name, every protected term of the case in it masked as […]' }) fileName: string;
  @ApiProperty({
    enum: HIT_PLACES,
    description: 'Where in the file: a Word file’s body, header, footer, footnote (or endnote), comment, properties (document properties, custom XML) or other part; a plain-text file’s body; unplaced in a PDF',
  })
  where: HitPlace;
  @ApiProperty({ description: 'The protected term found' }) term: string;
  @ApiProperty({ description: 'About 40 characters either side of it, whitespace collapsed, cut at word boundaries, with … where the text goes on' })
  context: string;
}

export class PublicationCheckView {
  @ApiProperty({ description: 'Whether the report may be published now, as far as its content and holds go' }) ready: boolean;
  @ApiProperty({
    type: [String],
    example: ['anonymisation_hits'],
    description:
      'qa_approval_missing, criminal_proceedings_hold_active, inquest_hold_active, pseudonym_missing, final_documents_missing, final_documents_unreadable, final_document_file_missing, anonymisation_hits',
  })
  unmet: string[];
  @ApiProperty({ type: [NameHitView] }) nameHits: NameHitView[];
}

const URL_OPTIONS = { protocols: ['http', 'https'], require_protocol: true, require_tld: false, allow_underscores: true };

export class PublishRequest {
  @ApiProperty({ example: '2027-02-01', description: 'The day it was published: not after today, not before the completion date' })
  @IsCalendarDate()
  publishedOn: string;
  @ApiProperty({ example: 'https://www.example.gov.uk/dhr/dhr-2026-004', description: 'Where it was published: an absolute http(s) address' })
  @IsString()
  @SingleLineText()
  @MaxLength(2000)
  @IsUrl(URL_OPTIONS, { message: 'url must be an absolute http or https address' })
  url: string;
  @ApiPropertyOptional({ description: 'Kept with the step in the stage history' })
  @IsOptional()
  @IsString()
  @MultiLineText()
  @MaxLength(2000)
  comment?: string;
}

/**
 * The decision not to publish (POST /api/cases/:id/withholding). A reason
 * left out or sent blank is the stage table's `withholding_reason_missing`
 * (409), as the step needs one: docs/domain.md, "Publication".
 */
export class WithholdingRequest {
  @ApiProperty({ example: '2027-02-01', description: 'When the decision not to publish was taken: not after today, not before the Home Office’s approval' })
  @IsCalendarDate()
  decidedOn: string;
  @ApiProperty({
    example: 'The Home Office agreed that publication would identify the children.',
    description: 'Why the review is not published (left out or blank: 409 withholding_reason_missing)',
    required: false,
  })
  @Transform(trimmed)
  @IsOptional()
  @IsString()
  @MultiLineText()
  @MaxLength(2000)
  reason?: string;
}

export class ReasonRequest {
  @ApiProperty() @ReasonText() reason: string;
}

export class WithdrawalView {
  @ApiProperty() withdrawnOn: string;
  @ApiProperty() reason: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) withdrawnBy: string | null;
}

export class ClosureOverrideView {
  @ApiProperty() reason: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) overriddenBy: string | null;
  @ApiProperty() overriddenAt: string;
}

export class PublicationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty() publishedOn: string;
  @ApiProperty() url: string;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'uuid',
    description: 'The final executive summary that passed the anonymisation check: the file the public page serves',
  })
  executiveSummaryDocumentId: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'The final overview report that passed the anonymisation check: served by the public page' })
  overviewReportDocumentId: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'uuid',
    description: 'The final QA letter that passed the anonymisation check, served by the public page; null when the case had none',
  })
  qaLetterDocumentId: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) publishedBy: string | null;
  @ApiProperty() recordedAt: string;
  @ApiProperty({ description: 'Not before 12 months after publication' }) withdrawableFrom: string;
  @ApiProperty({ type: WithdrawalView, nullable: true }) withdrawal: WithdrawalView | null;
  @ApiProperty({ type: ClosureOverrideView, nullable: true, description: 'The SDP let the case close before 12 months' })
  closureOverride: ClosureOverrideView | null;
}

export function toPublicationView(p: Publication): PublicationView {
  return {
    id: p.id,
    caseId: p.caseId,
    publishedOn: p.publishedOn,
    url: p.url,
    executiveSummaryDocumentId: p.executiveSummaryDocumentId,
    overviewReportDocumentId: p.overviewReportDocumentId,
    qaLetterDocumentId: p.qaLetterDocumentId,
    publishedBy: p.publishedBy,
    recordedAt: p.recordedAt.toISOString(),
    withdrawableFrom: withdrawableFrom(p.publishedOn),
    withdrawal: p.withdrawnOn ? { withdrawnOn: p.withdrawnOn, reason: p.withdrawalReason!, withdrawnBy: p.withdrawnBy } : null,
    closureOverride: p.closureOverriddenAt
      ? { reason: p.closureOverrideReason!, overriddenBy: p.closureOverriddenBy, overriddenAt: p.closureOverriddenAt.toISOString() }
      : null,
  };
}

export class PublicationListQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() partnershipId?: string;
}

/** A publication in a list: the case by reference and its victims' pseudonyms, never a real name. */
export class PublicationSummaryView {
  @ApiProperty({ format: 'uuid' }) caseId: string;
  @ApiProperty({ example: 'DHR-2026-004' }) reference: string;
  @ApiProperty({ enum: REVIEW_TYPES }) reviewType: ReviewType;
  @ApiProperty({ format: 'uuid' }) partnershipId: string;
  @ApiProperty({ example: 'Adult A', description: 'The victims’ pseudonyms' }) title: string;
  @ApiProperty() publishedOn: string;
  @ApiProperty({ description: 'Where the report was published' }) url: string;
  @ApiProperty({ nullable: true, type: String, description: 'Set once the report is withdrawn; the public page no longer lists it' })
  withdrawnOn: string | null;
}

export function toPublicationSummaryView(row: PublishedReviewRow): PublicationSummaryView {
  return {
    caseId: row.case_id,
    reference: row.reference,
    reviewType: row.review_type as ReviewType,
    partnershipId: row.partnership_id,
    title: reviewTitle(row.reference, row.victims),
    publishedOn: row.published_on,
    url: row.url,
    withdrawnOn: row.withdrawn_on,
  };
}

export class PublicationSummaryPage {
  @ApiProperty({ type: [PublicationSummaryView] }) items: PublicationSummaryView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
