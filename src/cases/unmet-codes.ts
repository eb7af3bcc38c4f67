import { refusalCodesOf, refusalWordsOf, type FeatureManifest } from '../common/feature-manifest.js';
import type { CaseFacts } from './case-facts.js';
import { STEPS, stageTableWords } from './stages.js';

/**
 * Every code `unmet` can hold: the stage table's preconditions and `via`
 * codes, and the codes a refusal (409) lists besides them, refusals of a
 * step by the state of the case or of the object acted on. Each feature
 * module declares those it refuses with in its manifest
 * (docs/architecture.md, "Adding a feature module"), or the OpenAPI test
 * (test/openapi.e2e-spec.ts), which reads every `unmet` literal in src/,
 * fails.
 */
export function unmetCodes(features: readonly FeatureManifest[]): readonly string[] {
  return [
    ...new Set([
      ...STEPS.flatMap((step) => [...step.preconditions.map((p) => p.unmet), ...(step.via ? [step.via.unmet] : [])]),
      ...refusalCodesOf(features),
    ]),
  ].sort();
}

/**
 * Every code `unmet` can hold, in words: the stage table's beside its
 * preconditions (read against the case's facts where they count something),
 * the features' beside their codes in their manifests. The next steps
 * (GET /api/cases/:id/next-steps) say what is missing with these; a unit
 * test (unmet-codes.spec.ts) fails when a code has none.
 */
export function unmetWords(features: readonly FeatureManifest[], facts: CaseFacts): Readonly<Record<string, string>> {
  return { ...refusalWordsOf(features), ...stageTableWords(facts) };
}
