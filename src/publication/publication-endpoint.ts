/** The endpoint the `published` step is taken at, with what it records (cases/stages.ts, `via`). */
export const PUBLICATION_ENDPOINT = 'POST /api/cases/:id/publication';
