/**
 * The world an end-to-end test starts in: the real application over HTTP on
 * a database of its own, and a cast of fictional people, each with a live
 * session, in two CSPs and three agencies.
 *
 * The cast is made without HTTP: rows are inserted directly (one password
 * hash for the whole run, see factories.ts) and sessions are opened the way
 * the application opens them, with tokens signed by the application's own
 * JwtService. Signing in and creating users over HTTP is what
 * auth.e2e-spec.ts and administration.e2e-spec.ts test; everything else
 * starts signed in.
 */
import { JwtService } from '@nestjs/jwt';
import type { Role } from '../../src/access/roles.js';
import { TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER, type AccessTokenClaims } from '../../src/auth/jwt.strategy.js';
import type { AppConfig } from '../../src/config/app-config.js';
import { insertAgency, insertSession, insertUser, partnershipId, type NewUser } from './factories.js';
import { ADMIN, startTestApp, type Session, type TestApp } from './test-app.js';

/** Fictional people for every role, and the agencies they work for. */
export interface Cast {
  /** The SDP administrator the application bootstraps from its configuration (ADMIN). */
  admin: Session;
  exeter: string;
  northDevon: string;
  exeterChair: Session;
  northChair: Session;
  /** Assigned to no case until a test assigns them. */
  reviewChair: Session;
  otherReviewChair: Session;
  police: string;
  health: string;
  probation: string;
  policeLead: Session;
  healthLead: Session;
  probationLead: Session;
}

export interface World extends TestApp {
  cast: Cast;
  /** Someone new, with a live session: a user row inserted directly, no HTTP. */
  person(user: NewUser): Promise<Session>;
}

/**
 * Opens a session the way AuthService does on sign-in: an auth_session row
 * holding the refresh secret's hash, and an access token naming the user and
 * the session, signed by the application.
 */
async function openSession(t: TestApp, userId: string): Promise<Session> {
  const { sessionId, refreshToken } = await insertSession(t.dataSource, userId, t.clock.now(), t.config.refreshTokenTtlHours);
  const claims: AccessTokenClaims = { sub: userId, sid: sessionId };
  const token = await t.app.get(JwtService).signAsync(claims, {
    algorithm: TOKEN_ALGORITHM,
    expiresIn: t.config.accessTokenTtlSeconds,
    issuer: TOKEN_ISSUER,
    audience: TOKEN_AUDIENCE,
  });
  return { token, refreshToken, userId, auth: { Authorization: `Bearer ${token}` } };
}

async function bootstrapAdminId(t: TestApp): Promise<string> {
  const [row] = await t.dataSource.query('SELECT id FROM app_user WHERE email = $1', [ADMIN.email]);
  if (!row) throw new Error('the application did not bootstrap its administrator');
  return row.id;
}

async function assembleCast(t: TestApp, person: (user: NewUser) => Promise<Session>): Promise<Cast> {
  const db = t.dataSource;
  const [exeter, northDevon, police, health, probation] = await Promise.all([
    partnershipId(db, 'exeter'),
    partnershipId(db, 'north-devon-torridge'),
    insertAgency(db, { name: 'Example Constabulary', sector: 'police' }),
    insertAgency(db, { name: 'Example NHS Trust', sector: 'health' }),
    insertAgency(db, { name: 'Example Probation Service', sector: 'probation' }),
  ]);
  const role = (r: Role, membership: Omit<NewUser, 'role'> = {}) => person({ role: r, ...membership });
  const [admin, exeterChair, northChair, reviewChair, otherReviewChair, policeLead, healthLead, probationLead] = await Promise.all([
    bootstrapAdminId(t).then((id) => openSession(t, id)),
    role('csp_chair', { partnershipId: exeter }),
    role('csp_chair', { partnershipId: northDevon }),
    role('review_chair'),
    role('review_chair'),
    role('agency_lead', { agencyId: police }),
    role('agency_lead', { agencyId: health }),
    role('agency_lead', { agencyId: probation }),
  ]);
  return {
    admin,
    exeter,
    northDevon,
    exeterChair,
    northChair,
    reviewChair,
    otherReviewChair,
    police,
    health,
    probation,
    policeLead,
    healthLead,
    probationLead,
  };
}

/**
 * The application, configured as in production apart from `overrides`, with
 * the cast in place. Close it in afterAll. One world per test file at a time:
 * passport keeps one JWT strategy per process, so the last application
 * started is the one whose database every token is checked against.
 */
export async function buildWorld(overrides: Partial<AppConfig> = {}, options: { logSink?: { write(line: string): void } } = {}): Promise<World> {
  const t = await startTestApp(overrides, options.logSink);
  try {
    const person = async (user: NewUser) => openSession(t, (await insertUser(t.dataSource, user)).id);
    const cast = await assembleCast(t, person);
    return { ...t, cast, person };
  } catch (error) {
    await t.close();
    throw error;
  }
}
