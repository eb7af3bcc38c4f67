import type { Type } from '@nestjs/common';

/**
 * A row of another table that puts a case in an agency lead's scope: the
 * agency in `agencyColumn` takes part in the case in `caseColumn`
 * (docs/domain.md, "Who may see and do what"). `contributes` says whether
 * it also lets the agency submit material (a chronology).
 */
export interface AgencyScopeTerm {
  table: string;
  caseColumn: string;
  agencyColumn: string;
  contributes: boolean;
}

/**
 * What a feature module brings, declared in one place
 * (docs/architecture.md, "Adding a feature module"). The core builds its
 * lists from these declarations: the entities the DataSource maps, the
 * append-only tables the app role may only read and append to, the fields
 * the audit trail masks, the codes a refusal's `unmet` may hold, the terms
 * of an agency's scope, and the fact and milestone sources its Nest module
 * provides (the module lists `...manifest.plugins` among its providers).
 *
 * The manifest names its Nest module through a dynamic import, so that
 * reading the declarations (the migration CLI, the data source) never loads
 * the web layer, and a file that builds a list from them (the access
 * conditions, the grants) can be imported by the modules that feed the list
 * without an import cycle.
 */
export interface FeatureManifest {
  name: string;
  module: () => Promise<Type<unknown>>;
  entities?: readonly Type<unknown>[];
  appendOnlyTables?: readonly string[];
  sensitiveFields?: readonly string[];
  /** The codes a refusal's `unmet` may hold besides the stage table's, each with its words (cases/unmet-codes.ts). */
  refusalCodes?: Readonly<Record<string, string>>;
  agencyScope?: readonly AgencyScopeTerm[];
  /** Providers marked @ProvidesCaseFacts, @ProvidesMilestones or @FollowsStageEntry: the module's facts, milestone sources and what it does when a case enters a stage. */
  plugins?: readonly Type<unknown>[];
}

/** The Nest token under which the application's feature manifests are provided. */
export const FEATURE_MANIFESTS = Symbol('FEATURE_MANIFESTS');

/** Every field the features declare sensitive (audit/audit.service.ts masks them). */
export function sensitiveFieldsOf(features: readonly FeatureManifest[]): ReadonlySet<string> {
  return new Set(features.flatMap((feature) => feature.sensitiveFields ?? []));
}

/** Every refusal code the features declare, in declaration order, once each. */
export function refusalCodesOf(features: readonly FeatureManifest[]): readonly string[] {
  return [...new Set(features.flatMap((feature) => Object.keys(feature.refusalCodes ?? {})))];
}

/** Every refusal code the features declare, with its words. */
export function refusalWordsOf(features: readonly FeatureManifest[]): Readonly<Record<string, string>> {
  return Object.assign({}, ...features.map((feature) => feature.refusalCodes ?? {}));
}

/** Every entity class the features declare. */
export function entitiesOf(features: readonly FeatureManifest[]): Type<unknown>[] {
  return features.flatMap((feature) => feature.entities ?? []);
}
