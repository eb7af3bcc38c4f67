/** The ZIP and OOXML fixtures (real and hostile packages), shared with the benchmarks: scripts/zip-fixtures.ts. */
export * from '../../scripts/zip-fixtures.js';
