/**
 * The agencies the SDP administrators keep (AgenciesService): a name is
 * held once whatever its case, a retired agency keeps its history, and
 * every change is audited by its administrator.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Actor } from '../../src/access/roles.js';
import { AgenciesService } from '../../src/agencies/agencies.service.js';
import { insertActor, insertAgency } from '../support/factories.js';
import { auditMark, auditSince, countRows, expectRefused } from '../support/medium-refusals.js';
import { startMedium, type Medium } from '../support/medium.js';

let m: Medium;
let agencies: AgenciesService;
let admin: Actor;

beforeAll(async () => {
  m = await startMedium();
  agencies = m.get(AgenciesService);
  admin = await insertActor(m.dataSource, { role: 'sdp_admin' });
});
afterAll(() => m.close());

const asAdmin = <T>(fn: () => Promise<T>) => m.as(admin, fn);

describe('AgenciesService', () => {
  it('creates an active agency and audits it as the administrator’s', async () => {
    const mark = await auditMark(m.dataSource);
    const made = await asAdmin(() => agencies.create({ name: 'Heathfield Women’s Aid', sector: 'voluntary' }));
    expect(made).toMatchObject({ name: 'Heathfield Women’s Aid', sector: 'voluntary', active: true });
    expect(await agencies.get(made.id)).toEqual(made);
    expect(await auditSince(m.dataSource, mark)).toEqual([
      expect.objectContaining({
        action: 'agency.created',
        actor_id: admin.userId,
        entity_id: made.id,
        changes: { name: { from: null, to: 'Heathfield Women’s Aid' }, sector: { from: null, to: 'voluntary' }, active: { from: null, to: true } },
      }),
    ]);
  });

  it('refuses a name already taken in any case, creating or renaming nothing', async () => {
    await insertAgency(m.dataSource, { name: 'Moorland Probation Service', sector: 'probation' });
    const other = await insertAgency(m.dataSource, { name: 'Moorland Housing Trust', sector: 'housing' });
    const before = await countRows(m.dataSource, 'agency');
    await expectRefused(asAdmin(() => agencies.create({ name: 'MOORLAND probation service', sector: 'probation' })), 409, 'agency-name-taken');
    await expectRefused(asAdmin(() => agencies.update(other, { name: 'moorland Probation Service' })), 409, 'agency-name-taken');
    expect(await countRows(m.dataSource, 'agency')).toBe(before);
    expect((await agencies.get(other)).name).toBe('Moorland Housing Trust');
  });

  it('renames an agency in another case, and retires it, auditing only what changed', async () => {
    const id = await insertAgency(m.dataSource, { name: 'Tamarside Police', sector: 'police' });
    await asAdmin(() => agencies.update(id, { name: 'TAMARSIDE Police' }));
    const mark = await auditMark(m.dataSource);
    const retired = await asAdmin(() => agencies.update(id, { active: false }));
    expect(retired).toMatchObject({ name: 'TAMARSIDE Police', active: false });
    expect(await auditSince(m.dataSource, mark)).toEqual([
      expect.objectContaining({ action: 'agency.updated', entity_id: id, changes: { active: { from: true, to: false } } }),
    ]);
  });

  it('answers 404 for an agency that does not exist', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    await expectRefused(agencies.get(missing), 404, 'not-found');
    await expectRefused(asAdmin(() => agencies.update(missing, { active: false })), 404, 'not-found');
  });

  it('lists agencies by name regardless of case, a page at a time, filtered by sector', async () => {
    await insertAgency(m.dataSource, { name: 'alder Health Centre', sector: 'health' });
    await insertAgency(m.dataSource, { name: 'Birch Health Centre', sector: 'health' });
    await insertAgency(m.dataSource, { name: 'Cedar Health Centre', sector: 'health' });
    const first = await agencies.list({ sector: 'health', limit: 2 });
    const rest = await agencies.list({ sector: 'health', limit: 2, cursor: first.nextCursor! });
    expect([...first.items, ...rest.items].map((a) => a.name)).toEqual(['alder Health Centre', 'Birch Health Centre', 'Cedar Health Centre']);
    expect(rest.nextCursor).toBeNull();
  });
});
