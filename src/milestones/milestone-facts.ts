import type { EntityManager } from 'typeorm';
import type { Actor } from '../access/roles.js';
import type { CaseMilestoneFacts, ContributionFacts, HoldPeriod } from './engine.js';

/** A case as the milestone views and the sweep see it: its facts plus how to name it without a real name. */
export interface CaseForMilestones {
  id: string;
  reference: string;
  partnershipId: string;
  pseudonym: string | null;
  reviewChairId: string | null;
  facts: CaseMilestoneFacts;
}

interface CaseRow {
  id: string;
  reference: string;
  partnership_id: string;
  review_chair_id: string | null;
  regime: string;
  notified_on: string;
  decided_on: string | null;
  decision_outcome: string | null;
  commissioned_on: string | null;
  completed_on: string | null;
  home_office_notified_on: string | null;
  statutory_copy_sent_on: string | null;
  pseudonym: string | null;
}

function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const list = map.get(key(row));
    if (list) list.push(row);
    else map.set(key(row), [row]);
  }
  return map;
}

/**
 * Loads the milestone facts of many cases in four set-based queries (cases,
 * holds, first qualifying family contacts, contribution requests), never
 * one query per case. `caseIds` must already be scoped by the caller.
 */
export async function loadMilestoneFacts(
  manager: EntityManager,
  caseIds: string[],
  actor: Actor | null,
): Promise<CaseForMilestones[]> {
  if (caseIds.length === 0) return [];
  // An agency lead sees only their own agency's contribution requests.
  const ownAgency = actor?.role === 'agency_lead' ? actor.agencyId : null;
  const [cases, holds, contacts, contributions] = await Promise.all([
    manager.query(
      `SELECT c.id, c.reference, c.partnership_id, c.review_chair_id, c.regime, c.notified_on, c.decided_on, c.decision_outcome,
              c.commissioned_on, c.completed_on, c.home_office_notified_on, c.statutory_copy_sent_on,
              (SELECT s.pseudonym FROM case_subject s WHERE s.case_id = c.id AND s.role = 'victim' ORDER BY s.position LIMIT 1) AS pseudonym
         FROM review_case c WHERE c.id = ANY($1::uuid[]) ORDER BY c.seq`,
      [caseIds],
    ) as Promise<CaseRow[]>,
    manager.query(`SELECT case_id, started_on, ended_on FROM case_hold WHERE case_id = ANY($1::uuid[])`, [caseIds]) as Promise<
      { case_id: string; started_on: string; ended_on: string | null }[]
    >,
    manager.query(
      `SELECT case_id, min(contacted_on) AS first_on FROM family_contact
        WHERE case_id = ANY($1::uuid[]) AND leaflet_given AND advocacy_offered GROUP BY case_id`,
      [caseIds],
    ) as Promise<{ case_id: string; first_on: string }[]>,
    manager.query(
      `SELECT r.id, r.case_id, r.kind, a.name AS agency_name, r.due_on,
              (r.created_at AT TIME ZONE 'Europe/London')::date::text AS requested_on,
              CASE WHEN r.status <> 'requested' THEN (r.resolved_at AT TIME ZONE 'Europe/London')::date::text END AS resolved_on
         FROM contribution_request r JOIN agency a ON a.id = r.agency_id
        WHERE r.case_id = ANY($1::uuid[]) ${ownAgency ? 'AND r.agency_id = $2' : ''}
        ORDER BY r.seq`,
      ownAgency ? [caseIds, ownAgency] : [caseIds],
    ) as Promise<{ id: string; case_id: string; kind: string; agency_name: string; due_on: string; requested_on: string; resolved_on: string | null }[]>,
  ]);
  const holdsByCase = groupBy(holds, (h) => h.case_id);
  const firstContact = new Map(contacts.map((c) => [c.case_id, c.first_on]));
  const contributionsByCase = groupBy(contributions, (r) => r.case_id);
  return cases.map((c) => ({
    id: c.id,
    reference: c.reference,
    partnershipId: c.partnership_id,
    pseudonym: c.pseudonym,
    reviewChairId: c.review_chair_id,
    facts: {
      regime: c.regime,
      notifiedOn: c.notified_on,
      decidedOn: c.decided_on,
      notCommissioned: c.decision_outcome === 'no_review',
      commissionedOn: c.commissioned_on,
      completedOn: c.completed_on,
      homeOfficeNotifiedOn: c.home_office_notified_on,
      firstFamilyContactOn: firstContact.get(c.id) ?? null,
      // Recorded by the QA submissions that a later feature adds; until then never met.
      qaSubmittedOn: null,
      statutoryCopySentOn: c.statutory_copy_sent_on,
      holds: (holdsByCase.get(c.id) ?? []).map((h): HoldPeriod => ({ startedOn: h.started_on, endedOn: h.ended_on })),
      contributions: (contributionsByCase.get(c.id) ?? []).map(
        (r): ContributionFacts => ({
          id: r.id,
          kind: r.kind,
          agencyName: r.agency_name,
          requestedOn: r.requested_on,
          dueOn: r.due_on,
          resolvedOn: r.resolved_on,
        }),
      ),
    },
  }));
}
