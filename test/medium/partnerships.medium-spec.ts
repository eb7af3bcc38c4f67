/** The four Devon CSPs the migrations seed (PartnershipsService): one page, by name. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PartnershipsService } from '../../src/partnerships/partnerships.service.js';
import { startMedium, type Medium } from '../support/medium.js';

let m: Medium;

beforeAll(async () => {
  m = await startMedium();
});
afterAll(() => m.close());

describe('PartnershipsService', () => {
  it('lists every partnership by name, on one page', async () => {
    const page = await m.get(PartnershipsService).list();
    expect(page.nextCursor).toBeNull();
    expect(page.items.map((p) => [p.code, p.name])).toEqual([
      ['east-mid-devon', 'East and Mid Devon'],
      ['exeter', 'Exeter'],
      ['north-devon-torridge', 'North Devon and Torridge'],
      ['south-devon-dartmoor', 'South Devon and Dartmoor'],
    ]);
    const [{ n }] = await m.dataSource.query('SELECT count(*)::int AS n FROM partnership');
    expect(page.items).toHaveLength(n);
  });
});
