import { refusalCodesOf, type FeatureManifest } from '../common/feature-manifest.js';
import { STEPS } from './stages.js';

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
