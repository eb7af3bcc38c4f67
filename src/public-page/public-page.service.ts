import { Inject, Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { DataSource, type EntityManager } from 'typeorm';
import { recommendationThemeCodes } from '../actions/actions.queries.js';
import { decodeCursor, pageSize, toPage, type Page, type PageQuery } from '../common/pagination.js';
import { notFound } from '../common/problem.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { storedDocument, storedDocuments, type StoredDocument } from '../documents/documents.queries.js';
import { StoredFiles, type FileWantedBy } from '../documents/stored-files.js';
import {
  publicPageUpdatedAt,
  publicReview,
  publicReviews,
  publicReviewsByYearAndPartnership,
  type PublicationCursor,
  type PublicReviewGroupRow,
  type PublishedReviewRow,
} from '../publication/publication.queries.js';
import { PUBLISHED_DOCUMENTS, recordedDocuments, type PublicDocumentName, type PublishedKind } from '../publication/published-documents.js';
import { toThemeCountView } from '../reports/report.dto.js';
import { loadRecommendationCompletion, loadThemeCounts, type CoveredCases } from '../reports/reports.queries.js';
import type { ThemeView } from '../themes/theme.dto.js';
import { caseThemeCodes } from '../themes/themes.queries.js';
import { ThemesService } from '../themes/themes.service.js';
import { renderAtomFeed, type AtomEntry, type AtomLink } from './atom-feed.js';
import { readOnlyTransaction } from './public-page.queries.js';
import {
  PublicLearningGroupView,
  PublicLearningView,
  PublicReviewView,
  REVIEW_TYPE_NAMES,
  toPublicReviewView,
  toRecommendationCompletion,
  type RecommendationCompletionView,
} from './public-page.dto.js';
import type { ThemeCountView } from '../reports/report.dto.js';
import { renderWebPage } from './web-page.js';

/** The feed holds the newest publications, this many. */
const FEED_ENTRIES = 50;
/** The feed's date when nothing was ever published: fixed, so its ETag is too. */
const NOTHING_PUBLISHED = new Date(0);
const REFERENCE = /^[A-Za-z0-9-]{1,40}$/;

/** A published document of a review, ready to send. */
export interface PublishedFile {
  reference: string;
  caseId: string;
  name: PublicDocumentName;
  kind: PublishedKind;
  document: StoredDocument;
}

/** What the public page tells the store it wants a published document's file for (docs/domain.md, "A document whose file is missing"). */
const WANTED_BY = {
  executive_summary: 'public_executive_summary',
  overview_report: 'public_overview_report',
  qa_letter: 'public_qa_letter',
} as const satisfies Record<PublishedKind, FileWantedBy>;

/**
 * The partnership's public page (docs/domain.md, "The public page"): the
 * reviews published and not withdrawn, their published documents exactly as
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
    const shown = rows.slice(0, limit);
    const [themes, stored] = await Promise.all([this.themesOf(shown), this.storedDocumentsOf(shown)]);
    return toPage(
      rows,
      limit,
      (row) => toPublicReviewView(row, themes.get(row.case_id) ?? [], this.config.publicBaseUrl, stored),
      (row) => [row.published_on, row.publication_id],
    );
  }

  /**
   * The public page as a web page (web-page.ts): one page of the same
   * reviews `reviews` lists, each with its documents, and the summary of
   * learning `learning` gives; nothing read here that those do not.
   */
  async webPage(query: PageQuery): Promise<string> {
    const [page, learning] = await Promise.all([this.reviews(query), this.learning()]);
    const reviews = page.items.map((review) => ({ review, documents: review.documents }));
    return renderWebPage({ reviews, olderCursor: page.nextCursor, isLaterPage: query.cursor !== undefined, limit: query.limit, learning });
  }

  /**
   * The document of this name (published-documents.ts) that the review's
   * publication recorded, the final version that passed the anonymisation
   * check then; 404 when the review is not on the public page or published
   * no such document.
   */
  async publishedDocument(reference: string, name: PublicDocumentName): Promise<PublishedFile> {
    const review = REFERENCE.test(reference) ? await publicReview(this.dataSource, reference) : null;
    if (!review) throw notFound('published review');
    const recorded = recordedDocuments(review).find((d) => d.name === name);
    const document = recorded ? await storedDocument(this.dataSource.manager, recorded.documentId) : null;
    if (!recorded || !document) throw notFound('published document');
    return { reference: review.reference, caseId: review.case_id, name, kind: recorded.kind, document };
  }

  /** The file's bytes; 410 when the store has lost them (the review is public, so saying so reveals nothing). */
  open(file: PublishedFile): Promise<Readable> {
    return this.files.open({ ...file.document, caseId: file.caseId, kind: file.kind }, WANTED_BY[file.kind]);
  }

  /** The Atom feed of the newest publications on the public page. */
  async feed(): Promise<string> {
    const manager = this.dataSource.manager;
    const [rows, updated] = await Promise.all([publicReviews(manager, undefined, FEED_ENTRIES), publicPageUpdatedAt(manager)]);
    const [themes, stored] = await Promise.all([this.themesOf(rows), this.storedDocumentsOf(rows)]);
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
      entries: rows.map((row) => this.feedEntry(toPublicReviewView(row, themes.get(row.case_id) ?? [], base, stored), row)),
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

  /**
   * One review's entry; every link carries its media type: each published
   * document its own (PDF, DOCX or text) and size, the executive summary as
   * the entry's alternate, the others related, each titled; the CSP's page HTML.
   */
  private feedEntry(review: PublicReviewView, row: PublishedReviewRow): AtomEntry {
    const kind = REVIEW_TYPE_NAMES[review.reviewType];
    const themes = review.themes.map((t) => t.label.toLowerCase());
    const documents = review.documents.map(
      (d): AtomLink => ({
        rel: d.name === 'executive-summary' ? 'alternate' : 'related',
        href: this.config.publicBaseUrl + d.url,
        type: d.contentType,
        title: PUBLISHED_DOCUMENTS.find((p) => p.name === d.name)!.title,
        length: d.sizeBytes,
      }),
    );
    const hasAlternate = documents.some((link) => link.rel === 'alternate');
    return {
      id: `urn:uuid:${row.publication_id}`,
      title: `${review.reference}: ${review.title}`,
      updated: row.recorded_at,
      published: new Date(`${review.publishedOn}T00:00:00Z`),
      author: `${review.partnership.name} Community Safety Partnership`,
      summary:
        `${kind} ${review.reference} (${review.title}), held by the ${review.partnership.name} Community Safety Partnership, published on ${review.publishedOn}.` +
        (themes.length > 0 ? ` Learning themes: ${themes.join(', ')}.` : ''),
      links: [...documents, { rel: hasAlternate ? 'related' : 'alternate', href: review.url, type: 'text/html' }],
      categories: review.themes.map((t) => ({ term: t.code, label: t.label })),
    };
  }

  /** How each published document of these reviews is stored, by document id: one statement for them all. */
  private storedDocumentsOf(rows: PublishedReviewRow[]): Promise<Map<string, StoredDocument>> {
    return storedDocuments(
      this.dataSource.manager,
      rows.flatMap((row) => recordedDocuments(row).map((d) => d.documentId)),
    );
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
