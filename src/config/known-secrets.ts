/**
 * JWT secrets that are, or were, committed to this repository: the tests',
 * the benchmark's, and the default docker-compose.yml once carried. Anyone can
 * read them, so anyone could sign tokens with them: production refuses to
 * start with one (see loadConfig). app-config.spec.ts searches the tracked
 * files for secret-looking values and fails on one missing from this list.
 * Never remove an entry: a deployment may still run with an old example.
 */
export const KNOWN_SECRETS: readonly string[] = [
  // docker-compose.yml's former default for JWT_SECRET
  'local-only-secret-change-me-0123456789abcdef',
  // test/support/test-app.ts
  'test-secret-that-is-long-enough-for-hs256-0123456789',
  // test/bad-input.e2e-spec.ts, signing a token with a secret the server does not hold
  'another-secret-that-is-long-enough-0123456789',
  // src/config/app-config.spec.ts
  'a-secret-that-is-long-enough-for-tests-000',
  // scripts/bench-milestones.ts
  'bench-secret-that-is-long-enough-0123456789',
];
