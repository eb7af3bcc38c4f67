/**
 * The authorisation matrix: for every route, what each role gets in each
 * scope, taken from DOMAIN.md's "Who may see and do what" (and, where that
 * table is silent, from the route's documented behaviour; see docs/security.md).
 *
 * Outcomes: 'ok' is a 2xx answer; 'pass' means access was granted and the
 * request was then judged on its content (2xx, 400, 409, 412, 415, 422, 428):
 * used where a valid body would destroy fixtures other cells need, and named
 * per row in `why`. 401, 403 and 404 are the statuses themselves.
 */
export type Outcome = 'ok' | 'pass' | 401 | 403 | 404;

/** Who is asked, in which scope. */
export const CELLS = {
  admin: ['any'],
  chair: ['own', 'otherCsp'],
  reviewChair: ['assigned', 'unassigned'],
  lead: ['own', 'otherAgency'],
  anon: ['none'],
  client: ['allScopes'],
} as const;
export type RoleKey = keyof typeof CELLS;

export type Expectation = {
  admin: Outcome;
  chair: Outcome | { own: Outcome; otherCsp: Outcome };
  reviewChair: Outcome | { assigned: Outcome; unassigned: Outcome };
  lead: Outcome | { own: Outcome; otherAgency: Outcome };
  anon: Outcome;
  client: Outcome;
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
 * clients have no scope for case routes and get 403.
 */
export function inCase(admin: Outcome, chair: Outcome, reviewChair: Outcome, lead: Outcome): Expectation {
  return {
    admin,
    chair: { own: chair, otherCsp: 404 },
    reviewChair: { assigned: reviewChair, unassigned: 404 },
    lead: { own: lead, otherAgency: 404 },
    anon: 401,
    client: 403,
  };
}

/** A route for signed-in people by role, scope shaping its content rather than its status. */
export function byRole(admin: Outcome, chair: Outcome, reviewChair: Outcome, lead: Outcome, client: Outcome = 403): Expectation {
  return { admin, chair, reviewChair, lead, anon: 401, client };
}

/** A route open to everyone. */
export function open(outcome: Outcome): Expectation {
  return { admin: outcome, chair: outcome, reviewChair: outcome, lead: outcome, anon: outcome, client: outcome };
}
