/**
 * REST clients (docs/domain.md, "Reports and REST clients"): registered,
 * rotated and revoked by the SDP administrators (ClientsService), and the
 * client-credentials grant that gives them tokens (ClientTokensService).
 * Every change is audited, never a secret.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Actor } from '../../src/access/roles.js';
import { ClientTokensService, OAuthProblem } from '../../src/clients/client-tokens.service.js';
import { ClientsService } from '../../src/clients/clients.service.js';
import type { CreateClientRequest, NewClientView } from '../../src/clients/client.dto.js';
import { insertActor, partnershipId } from '../support/factories.js';
import { auditMark, auditSince, countRows, expectRefused } from '../support/medium-refusals.js';
import { expectNoRealName } from '../support/medium-outcomes.js';
import { startMedium, type Medium } from '../support/medium.js';

let m: Medium;
let clients: ClientsService;
let tokens: ClientTokensService;
let admin: Actor;
let exeter: string;

beforeAll(async () => {
  m = await startMedium();
  m.clock.setTo('2026-05-04');
  clients = m.get(ClientsService);
  tokens = m.get(ClientTokensService);
  admin = await insertActor(m.dataSource, { role: 'sdp_admin' });
  exeter = await partnershipId(m.dataSource, 'exeter');
});
afterAll(() => m.close());

const register = (body: Partial<CreateClientRequest> = {}): Promise<NewClientView> =>
  m.as(admin, () => clients.create(admin, { name: 'Board dashboard', scopes: ['reports:read'], ...body }));
const askToken = (client: { clientId: string; clientSecret: string }, more: Record<string, string> = {}) =>
  m.as(null, () => tokens.issue({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret, ...more }, undefined));

async function expectOAuthRefusal(attempt: Promise<unknown>, error: string): Promise<void> {
  await expect(attempt).rejects.toBeInstanceOf(OAuthProblem);
  await attempt.catch((problem: OAuthProblem) => expect(problem.error).toBe(error));
}

describe('ClientsService', () => {
  it('registers a client with its scopes in the vocabulary’s order, keeps only its secret’s hash, and audits it without the secret', async () => {
    const mark = await auditMark(m.dataSource);
    const made = await register({ scopes: ['publications:read', 'reports:read'], partnershipId: exeter, expiresOn: '2027-03-31' });
    expect(made).toMatchObject({ scopes: ['reports:read', 'publications:read'], partnershipId: exeter, status: 'active', createdBy: admin.userId });
    const [stored] = await m.dataSource.query('SELECT secret_hash FROM api_client WHERE id = $1', [made.id]);
    expect(stored.secret_hash).not.toContain(made.clientSecret);
    const events = await auditSince(m.dataSource, mark);
    expect(events).toEqual([expect.objectContaining({ action: 'client.created', actor_id: admin.userId, entity_id: made.id, partnership_id: exeter })]);
    expectNoRealName(events, [made.clientSecret, stored.secret_hash]);
  });

  it('refuses an expiry in the past and a partnership that does not exist, registering nothing', async () => {
    const before = await countRows(m.dataSource, 'api_client');
    await expectRefused(register({ expiresOn: '2026-05-03' }), 400, 'invalid-request');
    await expectRefused(register({ partnershipId: '00000000-0000-4000-8000-000000000000' }), 400, 'invalid-request');
    expect(await countRows(m.dataSource, 'api_client')).toBe(before);
  });

  it('rotates the secret: the old one stops getting tokens, the new one gets them', async () => {
    const made = await register();
    const mark = await auditMark(m.dataSource);
    const rotated = await m.as(admin, () => clients.rotate(made.id));
    expect(rotated.clientSecret).not.toBe(made.clientSecret);
    await expectOAuthRefusal(askToken(made), 'invalid_client');
    expect((await askToken({ clientId: made.clientId, clientSecret: rotated.clientSecret })).scope).toBe('reports:read');
    const events = (await auditSince(m.dataSource, mark)).filter((e) => e.action === 'client.secret_rotated');
    expect(events).toEqual([expect.objectContaining({ entity_id: made.id, details: { secretGeneration: 2 } })]);
    expectNoRealName(events, [made.clientSecret, rotated.clientSecret]);
  });

  it('revokes for good: once audited, again changing nothing; a revoked client is not rotated', async () => {
    const made = await register();
    const mark = await auditMark(m.dataSource);
    expect((await m.as(admin, () => clients.revoke(admin, made.id))).status).toBe('revoked');
    expect((await m.as(admin, () => clients.revoke(admin, made.id))).status).toBe('revoked');
    expect((await auditSince(m.dataSource, mark)).map((e) => e.action)).toEqual(['client.revoked']);
    const refusal = await expectRefused(m.as(admin, () => clients.rotate(made.id)), 409, 'client-revoked');
    expect(refusal.unmet).toEqual(['client_revoked']);
    await expectOAuthRefusal(askToken(made), 'invalid_client');
  });

  it('answers 404 for a client that does not exist', async () => {
    await expectRefused(m.as(admin, () => clients.rotate('00000000-0000-4000-8000-000000000000')), 404, 'not-found');
    await expectRefused(m.as(admin, () => clients.revoke(admin, '00000000-0000-4000-8000-000000000000')), 404, 'not-found');
  });

  it('lists clients in the order they were registered, a page at a time', async () => {
    const first = await clients.list({ limit: 2 });
    expect(first.items).toHaveLength(2);
    const rest = await clients.list({ limit: 100, cursor: first.nextCursor! });
    const all = [...first.items, ...rest.items].map((c) => c.id);
    expect(new Set(all).size).toBe(await countRows(m.dataSource, 'api_client'));
    expect(all).toEqual((await m.dataSource.query('SELECT id FROM api_client ORDER BY seq')).map((r: { id: string }) => r.id));
  });
});

describe('ClientTokensService', () => {
  it('issues a token with the scopes asked for, notes the use, and audits it as the client’s', async () => {
    const made = await register({ scopes: ['reports:read', 'milestones:read'], partnershipId: exeter });
    const mark = await auditMark(m.dataSource);
    const token = await askToken(made, { scope: 'milestones:read' });
    expect(token).toMatchObject({ token_type: 'Bearer', scope: 'milestones:read', expires_in: m.config.accessTokenTtlSeconds });
    expect(await countRows(m.dataSource, 'api_client', 'id = $1 AND last_used_at IS NOT NULL', [made.id])).toBe(1);
    const events = await auditSince(m.dataSource, mark);
    expect(events).toEqual([
      expect.objectContaining({ action: 'auth.token.issued', client_id: made.id, actor_id: null, actor_role: 'api_client', partnership_id: exeter }),
    ]);
    expectNoRealName(events, [made.clientSecret, token.access_token]);
  });

  it('answers invalid_client alike for an unknown client, a wrong secret and an expired client, auditing each reason', async () => {
    const made = await register({ expiresOn: '2026-05-04' });
    const mark = await auditMark(m.dataSource);
    await expectOAuthRefusal(askToken({ clientId: 'dhr_client_unknown', clientSecret: made.clientSecret }), 'invalid_client');
    await expectOAuthRefusal(askToken({ clientId: made.clientId, clientSecret: 'dhr_secret_wrong' }), 'invalid_client');
    m.clock.setTo('2026-05-05');
    try {
      await expectOAuthRefusal(askToken(made), 'invalid_client');
    } finally {
      m.clock.setTo('2026-05-04');
    }
    const events = await auditSince(m.dataSource, mark);
    expect(events.map((e) => [e.details?.reason, e.client_id])).toEqual([
      ['unknown_client', null],
      ['wrong_secret', null],
      ['expired', made.id],
    ]);
    expectNoRealName(events, [made.clientSecret, 'dhr_secret_wrong']);
  });

  it('refuses a scope the client may not use, and a grant other than client credentials', async () => {
    const made = await register();
    await expectOAuthRefusal(askToken(made, { scope: 'milestones:read' }), 'invalid_scope');
    await expectOAuthRefusal(m.as(null, () => tokens.issue({ grant_type: 'password' }, undefined)), 'unsupported_grant_type');
    expect(await countRows(m.dataSource, 'api_client', 'id = $1 AND last_used_at IS NOT NULL', [made.id])).toBe(0);
  });
});
