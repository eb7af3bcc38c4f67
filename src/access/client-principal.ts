import type { Actor } from './roles.js';

/**
 * What a REST client may read (docs/domain.md, "Reports and REST clients").
 * Every scope is read-only, and none opens a subject's real name, a
 * document or a chronology.
 */
export const CLIENT_SCOPES = ['reports:read', 'milestones:read', 'publications:read'] as const;
export type ClientScope = (typeof CLIENT_SCOPES)[number];

/** What each scope opens, as the OpenAPI document describes it. */
export const CLIENT_SCOPE_DESCRIPTIONS: Record<ClientScope, string> = {
  'reports:read': 'The dashboard, the summary of learning, their charts and CSV exports (references and pseudonyms, never a real name)',
  'milestones:read': 'The statutory milestones across cases (GET /api/milestones)',
  'publications:read': 'The published reports: where and when each was published, and its withdrawal (GET /api/publications)',
};

/**
 * A REST client a token was issued to, as the access guard resolved it: a
 * principal of its own kind, never a person. It passes only routes that
 * declare one of its scopes (`@ClientScopes`), and reads what its
 * partnership (or every partnership) holds.
 */
export interface ClientActor {
  kind: 'client';
  /** The api_client row's id (not the public client_id it signs in with). */
  clientId: string;
  name: string;
  scopes: readonly ClientScope[];
  /** The one partnership the client is limited to, or null for all. */
  partnershipId: string | null;
}

/** Whoever a request acts for: a signed-in person or a REST client. */
export type Principal = Actor | ClientActor;

export function isClient(principal: Principal): principal is ClientActor {
  return (principal as ClientActor).kind === 'client';
}
