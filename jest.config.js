/**
 * Jest runs in ESM mode (NestJS 12 ships as ESM only). Start it through
 * `npm test`, or `npm run test:<tier>` for one tier (scripts/run-tests.ts):
 * it provides the PostgreSQL a tier that needs one uses. The tiers are
 * defined here and nowhere else, by file name (docs/architecture.md,
 * "Tests"); each is a Jest project of that name.
 */

/** The suites that take minutes each: the fuzzing, the sweep killed mid-run, two instances side by side, the command-line tools beside a running server, the walkthrough script run twice. */
const SLOW = /\/test\/(fuzz-[^/]+|sweep-killed|scale-out|tools-beside-server|walkthrough)\.e2e-spec\.ts$/;

/**
 * `files` names a tier's test files (matched against their full path),
 * `except` the files of another tier that `files` also matches, and
 * `database` whether its tests need the run's PostgreSQL.
 */
export const tiers = [
  { name: 'unit', files: /\.spec\.ts$/, database: false },
  { name: 'medium', files: /\/test\/medium\/[^/]+\.medium-spec\.ts$/, database: true },
  { name: 'e2e', files: /\/test\/[^/]+\.e2e-spec\.ts$/, except: SLOW, database: true },
  { name: 'slow', files: SLOW, database: true },
];

/** The tier a test file belongs to, by its path; undefined for a file that is no test. */
export function tierOf(path) {
  return tiers.find((tier) => tier.files.test(path) && !tier.except?.test(path));
}

const shared = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  // No upload worker thread outlives its test file.
  setupFilesAfterEnv: ['<rootDir>/test/support/end-upload-workers.ts'],
};

/** Jest takes the worker count, the time limit and the order from here, never from a project. */
export default {
  maxWorkers: 2,
  // An idle worker, told to end, exits with nothing left open, but Node's
  // teardown of a worker that ran the app's test files takes 0.3 to 0.8 s
  // here (measured from the worker's 'exit' event to the parent seeing it
  // go), longer than Jest's default half second: Jest then killed it and
  // reported a leak that was not one (docs/architecture.md, "Tests").
  workerGracefulExitTimeout: 5000,
  testTimeout: 60000,
  testSequencer: '<rootDir>/test/support/slow-first.js',
  projects: tiers.map((tier) => ({
    ...shared,
    displayName: tier.name,
    testRegex: tier.files.source,
    testPathIgnorePatterns: ['/node_modules/', ...(tier.except ? [tier.except.source] : [])],
  })),
};
