import { describe, expect, it } from '@jest/globals';
import type { DiscoveryService } from '@nestjs/core';
import type { EntityManager } from 'typeorm';
import type { ReviewCase } from './case.entities.js';
import { ABSENT_FACTS, CaseFactsService, type CaseFactSource } from './case-facts.js';

/** CaseFactsService over the given sources, as DiscoveryService would hand them over at start. */
function serviceOver(...sources: CaseFactSource[]): CaseFactsService {
  const discovery = { getProviders: () => sources.map((instance) => ({ instance })) } as unknown as DiscoveryService;
  const service = new CaseFactsService(discovery);
  service.onModuleInit();
  return service;
}

const panel: CaseFactSource = { provides: ['panelAgencies'], load: async () => ({ panelAgencies: 2 }) };
const found = { id: 'case' } as ReviewCase;
const manager = {} as EntityManager;

describe('CaseFactsService', () => {
  it('merges each source’s facts over the absent values', async () => {
    const facts = await serviceOver(panel).load(manager, found);
    expect(facts).toEqual({ ...ABSENT_FACTS, panelAgencies: 2 });
  });

  it('takes from a source only the facts it declared', async () => {
    const overreaching: CaseFactSource = { provides: ['panelAgencies'], load: async () => ({ panelAgencies: 1, anonymisationClean: true }) };
    expect((await serviceOver(overreaching).load(manager, found)).anonymisationClean).toBe(false);
  });

  it('refuses to start when two modules claim one fact', () => {
    const second: CaseFactSource = { provides: ['contributionRequests', 'panelAgencies'], load: async () => ({}) };
    expect(() => serviceOver(panel, second)).toThrow('"panelAgencies" is provided by both');
  });
});
