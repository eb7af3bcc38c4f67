/** The health probe (src/health/): up while the database answers. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { HealthController } from '../../src/health/health.controller.js';
import { startMedium, type Medium } from '../support/medium.js';

let m: Medium;

beforeAll(async () => {
  m = await startMedium();
});
afterAll(() => m.close());

describe('the health probe', () => {
  it('answers ok with the database up', async () => {
    const result = await m.get(HealthController).check();
    expect(result).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
  });
});
