import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { DataSource, type EntityManager } from 'typeorm';
import { recommendationThemeCodes } from '../actions/actions.queries.js';
import { decodeCursor, pageSize, toPage, type Page, type PageQuery } from '../common/pagination.js';
import { notFound } from '../common/problem.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { documentContentTypes, storedDocument, type StoredDocument } from '../documents/documents.queries.js';
import { StoredFiles } from '../documents/stored-files.js';
import {
  publicPageUpdatedAt,
  publicReview,
  publicReviews,
  publicReviewsByYearAndPartnership,
  type PublicationCursor,
  type PublicReviewGroupRow,
  type PublishedReviewRow,
} from '../publication/publication.queries.js';
import { toThemeCountView } from '../reports/report.dto.js';
import { loadRecommendationCompletion, loadThemeCounts, type CoveredCases } from '../reports/reports.queries.js';
import type { ThemeView } from '../themes/theme.dto.js';
import { caseThemeCodes } from '../themes/themes.queries.js';
import { ThemesService } from '../themes/themes.service.js';
import { renderAtomFeed, type AtomEntry } from './atom-feed.js';
import { readOnlyTransaction } from './public-page.queries.js';
import {
  PublicLearningGroupView,
  PublicLearningView,
  PublicReviewView,
  executiveSummaryPath,
  REVIEW_TYPE_NAMES,
  toPublicReviewView,
  toRecommendationCompletion,
  type RecommendationCompletionView,
} from './public-page.dto.js';
import type { ThemeCountView } from '../reports/report.dto.js';
import { renderWebPage, type PublicDocumentLink } from './web-page.js';

/** The feed holds the newest publications, this many. */
const FEED_ENTRIES = 50;
/** The feed's date when nothing was ever published: fixed, so its ETag is too. */
const NOTHING_PUBLISHED = new Date(0);
const REFERENCE = /^[A-Za-z0-9-]{1,40}$/;

/** A published executive summary, ready to send. */
export interface PublishedFile {
  reference: string;
  caseId: string;
  document: StoredDocument;
}

/**
 * The partnership's public page (docs/domain.md, "The public page"): the
 * reviews published and not withdrawn, their executive summaries exactly as
 * they passed the anonymisation check, and a feed of them. Nothing else of a
 * case is reachable here: a review not published, or withdrawn, is not found.
 */
@Injectable()
export class PublicPageService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly files: StoredFiles,
    private readonly themes: ThemesService,
  ) {}

  async reviews(query: PageQuery): Promise<Page<PublicReviewView>> {
    const limit = pageSize(query);
    const after = decodeCursor(query.cursor, 2) as PublicationCursor | undefined;
    const rows = await publicReviews(this.dataSource, after, limit + 1);
    const themes = await this.themesOf(rows.slice(0, limit));
    return toPage(rows, limit, (row) => toPublicReviewView(row, themes.get(row.case_id) ?? [], this.config.publicBaseUrl), (row) => [row.published_on, row.publication_id]);
  }

  /**
   * The public page as a web page (web-page.ts): one page of the same
   * reviews `reviews` lists, each with its documents, and the summary of
   * learning `learning` gives; nothing read here that those do not.
   */
  async webPage(query: PageQuery): Promise<string> {
    const [page, learning] = await Promise.all([this.reviews(query), this.learning()]);
    const reviews = await Promise.all(page.items.map(async (review) => ({ review, documents: await this.documentsOf(review) })));
    return renderWebPage({ reviews, olderCursor: page.nextCursor, isLaterPage: query.cursor !== undefined, limit: query.limit, learning });
  }

  /**
   * A review's documents the public may download, in the shape the public
   * review item gives them (`documents`: name, url, contentType, sizeBytes).
   * Until the item carries them, the executive summary alone, with the type
   * and size of the file published; then this is the item's `documents`.
   */
  private async documentsOf(review: PublicReviewView): Promise<PublicDocumentLink[]> {
    if (!review.executiveSummaryUrl) return [];
    const file = await this.executiveSummary(review.reference).catch((error: unknown) => {
      // withdrawn since the list was read: nothing to download
      if (error instanceof HttpException && error.getStatus() === HttpStatus.NOT_FOUND) return null;
      throw error;
    });
    if (!file) return [];
    const { contentType, sizeBytes } = file.document;
    return [{ name: 'executive-summary', url: executiveSummaryPath(review.reference), contentType, sizeBytes: Number(sizeBytes) }];
  }

  /** The final executive summary that passed the anonymisation check at publication; 404 when there is none to show. */
  async executiveSummary(reference: string): Promise<PublishedFile> {
    const review = REFERENCE.test(reference) ? await publicReview(this.dataSource, reference) : null;
    const document = review?.executive_summary_document_id ? await storedDocument(this.dataSource.manager, review.executive_summary_document_id) : null;
    if (!review || !document) throw notFound('published review');
    return { reference: review.reference, caseId: review.case_id, document };
  }

  /** The file's bytes; 410 when the store has lost them (the review is public, so saying so reveals nothing). */
  open(file: PublishedFile): Promise<Readable> {
    return this.files.open({ ...file.document, caseId: file.caseId, kind: 'executive_summary' }, 'public_executive_summary');
  }

  /** The Atom feed of the newest publications on the public page. */
  async feed(): Promise<string> {
    const manager = this.dataSource.manager;
    const [rows, updated] = await Promise.all([publicReviews(manager, undefined, FEED_ENTRIES), publicPageUpdatedAt(manager)]);
    const themes = await this.themesOf(rows);
    const types = await documentContentTypes(manager, rows.flatMap((row) => row.executive_summary_document_id ?? []));
    const base = this.config.publicBaseUrl;
    const self = `${base}/api/public/reviews.atom`;
    return renderAtomFeed({
      id: self,
      title: 'Published Domestic Homicide Reviews',
      subtitle: 'The executive summaries of the reviews the Community Safety Partnerships have published, newest first.',
      updated: updated ?? NOTHING_PUBLISHED,
      links: [
        { rel: 'self', href: self, type: 'application/atom+xml' },
        { rel: 'alternate', href: `${base}/api/public/reviews`, type: 'application/json' },
      ],
      entries: rows.map((row) => this.feedEntry(toPublicReviewView(row, themes.get(row.case_id) ?? [], base), row, types)),
    });
  }

  /**
   * The summary of learning across the reviews on the public page: the
   * learning report's own theme counts (reports.queries.ts), over published
   * reviews alone, in all and by year of publication and CSP, and the share
   * of their recommendations completed. Read from one snapshot, so the parts
   * add up.
   */
  async learning(): Promise<PublicLearningView> {
    return this.dataSource.transaction('REPEATABLE READ', async (tx) => {
      await readOnlyTransaction(tx);
      const reviews = await publicReviewsByYearAndPartnership(tx);
      const all = await this.summarise(tx, reviews);
      const byYearAndPartnership: PublicLearningGroupView[] = [];
      for (const group of groupByYearAndPartnership(reviews)) {
        const [first] = group;
        byYearAndPartnership.push({
          year: first.published_year,
          partnership: { code: first.partnership_code, name: first.partnership_name },
          reviews: group.length,
          ...(await this.summarise(tx, group)),
        });
      }
      return { reviews: reviews.length, ...all, byYearAndPartnership };
    });
  }

  /** Theme counts and recommendations completed over these reviews. */
  private async summarise(tx: EntityManager, reviews: PublicReviewGroupRow[]): Promise<{ themes: ThemeCountView[]; recommendations: RecommendationCompletionView }> {
    const covered: CoveredCases = {
      partnershipIds: [...new Set(reviews.map((r) => r.partnership_id))],
      fromYear: null,
      toYear: null,
      caseIds: reviews.map((r) => r.case_id),
    };
    const themes = await loadThemeCounts(tx, covered);
    const recommendations = await loadRecommendationCompletion(tx, covered);
    return { themes: themes.map(toThemeCountView), recommendations: toRecommendationCompletion(recommendations) };
  }

  /** One review's entry; every link carries its media type: the executive summary's own (PDF, DOCX or text), the CSP's page HTML. */
  private feedEntry(review: PublicReviewView, row: PublishedReviewRow, types: Map<string, string>): AtomEntry {
    const summaryType = (row.executive_summary_document_id && types.get(row.executive_summary_document_id)) || 'application/octet-stream';
    const kind = REVIEW_TYPE_NAMES[review.reviewType];
    const themes = review.themes.map((t) => t.label.toLowerCase());
    return {
      id: `urn:uuid:${row.publication_id}`,
      title: `${review.reference}: ${review.title}`,
      updated: row.recorded_at,
      published: new Date(`${review.publishedOn}T00:00:00Z`),
      author: `${review.partnership.name} Community Safety Partnership`,
      summary:
        `${kind} ${review.reference} (${review.title}), held by the ${review.partnership.name} Community Safety Partnership, published on ${review.publishedOn}.` +
        (themes.length > 0 ? ` Learning themes: ${themes.join(', ')}.` : ''),
      links: [
        ...(review.executiveSummaryUrl ? [{ rel: 'alternate' as const, href: review.executiveSummaryUrl, type: summaryType }] : []),
        { rel: review.executiveSummaryUrl ? ('related' as const) : ('alternate' as const), href: review.url, type: 'text/html' },
      ],
      categories: review.themes.map((t) => ({ term: t.code, label: t.label })),
    };
  }

  /** Each review's learning themes: its own and its recommendations', each once, in the list's order. */
  private async themesOf(rows: PublishedReviewRow[]): Promise<Map<string, ThemeView[]>> {
    const caseIds = rows.map((row) => row.case_id);
    const manager = this.dataSource.manager;
    const [own, recommended, list] = await Promise.all([caseThemeCodes(manager, caseIds), recommendationThemeCodes(manager, caseIds), this.themes.list()]);
    return new Map(
      caseIds.map((id) => {
        const codes = new Set([...(own.get(id) ?? []), ...(recommended.get(id) ?? [])]);
        return [id, list.items.filter((theme) => codes.has(theme.code))];
      }),
    );
  }
}

/** The reviews of each year of publication and CSP together, in the order they come (newest year first). */
function groupByYearAndPartnership(reviews: PublicReviewGroupRow[]): PublicReviewGroupRow[][] {
  const groups = new Map<string, PublicReviewGroupRow[]>();
  for (const review of reviews) {
    const key = `${review.published_year}|${review.partnership_id}`;
    groups.set(key, [...(groups.get(key) ?? []), review]);
  }
  return [...groups.values()];
}
