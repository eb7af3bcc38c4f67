/** The endpoint the `published` step is taken at, with what it records (cases/stages.ts, `via`). */
export const PUBLICATION_ENDPOINT = 'POST /api/cases/:id/publication';
/** The endpoint the approved_for_publication → closed step is taken at: the review withheld, with the decision's date and reason. */
export const WITHHOLDING_ENDPOINT = 'POST /api/cases/:id/withholding';
