import type { SqlTerm } from '../common/sql.js';
import { agencyLimit } from './case-permissions.js';
import type { Actor } from './roles.js';

/**
 * The condition, an andAll term, that narrows a query over agency rows
 * (`column` names their agency) to what the actor may see: an agency lead
 * their own agency's rows; nothing for anyone else, who sees every agency's
 * (docs/architecture.md, "Access").
 *
 * Kept apart from access.queries.ts, which reads the feature manifests for
 * the agency scope terms: the feature modules' own queries files use this
 * condition, and the manifests load those modules, so importing it from
 * there would make a module's manifest load before its plugins exist.
 */
export function agencyRowsCondition(actor: Actor, column: string): SqlTerm | undefined {
  const agency = agencyLimit(actor);
  return agency ? { sql: `${column} = ?`, params: [agency] } : undefined;
}
