/**
 * The authorisation matrix: for every route, what each role gets in each
 * scope, taken from DOMAIN.md's "Who may see and do what" (and, where that
 * table is silent, from the route's documented behaviour; see docs/security.md).
 *
 * Outcomes: 'ok' is any 2xx answer (reads); every other outcome is the one
 * status the cell must answer. Where access is granted and the request is
 * then judged on its content (a body that would destroy fixtures other cells
 * need, a step the case is not ready for, a version another cell has moved
 * on), the cell names that status (400, 409, 412...) and the row's `why`
 * says why.
 */
export type Outcome = 'ok' | 200 | 201 | 204 | 400 | 401 | 403 | 404 | 409 | 412 | 428;

/**
 * Who is asked, in which scope. An agency lead is in a case's scope through
 * its panel (`own`) or only through an action their agency owns
 * (`viaAction`); a REST client holds every scope (`allScopes`) or only
 * `reports:read` (`someScopes`).
 */
export const CELLS = {
  admin: ['any'],
  chair: ['own', 'otherCsp'],
  reviewChair: ['assigned', 'unassigned'],
  lead: ['own', 'viaAction', 'otherAgency'],
  anon: ['none'],
  client: ['allScopes', 'someScopes'],
} as const;
export type RoleKey = keyof typeof CELLS;

export type Expectation = {
  admin: Outcome;
  chair: Outcome | { own: Outcome; otherCsp: Outcome };
  reviewChair: Outcome | { assigned: Outcome; unassigned: Outcome };
  lead: Outcome | { own: Outcome; viaAction: Outcome; otherAgency: Outcome };
  anon: Outcome;
  client: Outcome | { allScopes: Outcome; someScopes: Outcome };
};

/** The value of one cell. */
export function expected(e: Expectation, role: RoleKey, scope: string): Outcome {
  const value = e[role] as Outcome | Record<string, Outcome>;
  return typeof value === 'object' ? value[scope] : value;
}

/**
 * A route inside one case: whoever is out of the case's scope (another CSP's
 * chair, an unassigned review chair, an agency not involved) gets 404 exactly
 * as for a missing case (DOMAIN.md, "Out of scope means not found"); people
 * who may see the case but not do this get 403; anonymous callers 401; REST
 * clients have no scope for case routes and get 403. A lead in scope through
 * an action alone gets what a lead on the panel gets unless `viaAction` says
 * otherwise.
 */
export function inCase(admin: Outcome, chair: Outcome, reviewChair: Outcome, lead: Outcome, viaAction: Outcome = lead): Expectation {
  return {
    admin,
    chair: { own: chair, otherCsp: 404 },
    reviewChair: { assigned: reviewChair, unassigned: 404 },
    lead: { own: lead, viaAction, otherAgency: 404 },
    anon: 401,
    client: 403,
  };
}

/**
 * A route for signed-in people by role, scope shaping its content rather than
 * its status; `client` is what a client holding the route's scope gets (one
 * holding only `reports:read` gets 403 unless the route is a report).
 */
export function byRole(admin: Outcome, chair: Outcome, reviewChair: Outcome, lead: Outcome, client: Outcome | Expectation['client'] = 403): Expectation {
  return { admin, chair, reviewChair, lead, anon: 401, client };
}

/** A route open to everyone. */
export function open(outcome: Outcome): Expectation {
  return { admin: outcome, chair: outcome, reviewChair: outcome, lead: outcome, anon: outcome, client: outcome };
}
