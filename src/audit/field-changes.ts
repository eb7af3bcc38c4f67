/**
 * How an audit event spells out what it changed (docs/architecture.md,
 * "Audit"). Kept apart from AuditService, importing nothing, so that a
 * module's plugin can write its changes without importing the audit
 * service, whose imports reach the feature manifests.
 */

/** An audit event's changes: each field's value before and after, null for none. */
export type FieldChanges = Record<string, { from: unknown; to: unknown }>;

/**
 * Every field of `after` as `{ field: { from, to } }`, `from` read from
 * `before` (null for a new record, or a field it lacks): how each audit
 * event spells out what it set, the unchanged fields too. Sensitive values
 * are masked when the event is written (maskSensitive).
 */
export function fieldChanges(before: object | null, after: object): FieldChanges {
  const was: Record<string, unknown> = { ...before };
  return Object.fromEntries(Object.entries(after).map(([field, to]) => [field, { from: was[field] ?? null, to: to ?? null }]));
}

/** The fields that changed between two snapshots, as fieldChanges writes them: an edit's event leaves the rest out. */
export function changedFields<T extends object>(before: Partial<T> | null, after: Partial<T>): FieldChanges {
  return Object.fromEntries(Object.entries(fieldChanges(before, after)).filter(([, { from, to }]) => JSON.stringify(from) !== JSON.stringify(to)));
}
