import type { CsvColumn } from '../common/csv.js';
import type { Rag } from '../actions/rag.js';
import type { ActionExportRow, CaseExportRow } from './reports.queries.js';

/**
 * The columns of the exports for board papers: references, pseudonyms,
 * dates and figures, never a real name and never a free-text summary
 * (docs/domain.md, "Reports and REST clients").
 */

export const CASE_COLUMNS: CsvColumn<CaseExportRow>[] = [
  ['Reference', (c) => c.reference],
  ['Partnership', (c) => c.partnership],
  ['Review type', (c) => c.review_type],
  ['Regime', (c) => c.regime],
  ['Stage', (c) => c.stage],
  ['Notified', (c) => c.notified_on],
  ['Decided', (c) => c.decided_on],
  ['Commissioned', (c) => c.commissioned_on],
  ['Completed', (c) => c.completed_on],
  ['On hold', (c) => c.on_hold],
  ['Victim pseudonyms', (c) => c.victim_pseudonyms],
  ['Overdue milestones', (c) => c.overdue_milestones],
];

/** An action with what is derived from it as of the day of the export. */
export interface ActionExportLine extends ActionExportRow {
  rag: Rag | null;
  overdue: boolean;
}

export const ACTION_COLUMNS: CsvColumn<ActionExportLine>[] = [
  ['Reference', (a) => a.reference],
  ['Recommendation scope', (a) => a.recommendation_scope],
  ['Owner agency', (a) => a.owner_agency],
  ['Description', (a) => a.description],
  ['Target date', (a) => a.target_on],
  ['Status', (a) => a.status],
  ['RAG', (a) => a.rag],
  ['Overdue', (a) => a.overdue],
  ['Completed on', (a) => a.completed_on],
];

/**
 * The actions export as a REST client reads it: without the description,
 * free text that may name someone, which only the people who read the case
 * see (docs/domain.md, "Reports and REST clients").
 */
export const CLIENT_ACTION_COLUMNS: CsvColumn<ActionExportLine>[] = ACTION_COLUMNS.filter(([header]) => header !== 'Description');
