/**
 * Jest runs in ESM mode (NestJS 12 ships as ESM only). Start it through
 * `npm test`, which provides the PostgreSQL the medium and end-to-end tests
 * use. Three tiers: `*.spec.ts` pure rules, `*.medium-spec.ts` services on a
 * real database (test/medium), `*.e2e-spec.ts` the API over HTTP.
 */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.medium-spec.ts', '**/*.e2e-spec.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  maxWorkers: 2,
  testTimeout: 60000,
};
