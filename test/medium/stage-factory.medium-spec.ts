/**
 * A case inserted at a stage (test/support/stage-factory.ts) is a case the
 * application itself takes to be at that stage: the services read it back
 * there, the step that led to it finds every precondition met in the facts
 * the modules provide, its milestones compute from what each step left, and
 * the work of its next stage, done through the services, takes the next step.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Actor } from '../../src/access/roles.js';
import type { ReviewCase } from '../../src/cases/case.entities.js';
import { CaseFactsService, type CaseFacts } from '../../src/cases/case-facts.js';
import { CasesService } from '../../src/cases/cases.service.js';
import { STAGES, STEPS, unmetPreconditions, type Stage, type StepRequest } from '../../src/cases/stages.js';
import { StepsService } from '../../src/cases/steps.service.js';
import { londonDate } from '../../src/common/calendar.js';
import { ContributionsService } from '../../src/contributions/contributions.service.js';
import { DOCUMENT_STORE, type DocumentStore } from '../../src/documents/document-store.js';
import { FamilyContactsService } from '../../src/family-contacts/family-contacts.service.js';
import { MilestonesService } from '../../src/milestones/milestones.service.js';
import { MilestoneStateService } from '../../src/milestones/milestone-state.service.js';
import { PanelService } from '../../src/panel/panel.service.js';
import { AnonymisationCheck } from '../../src/publication/anonymisation-check.js';
import { PublicationService } from '../../src/publication/publication.service.js';
import { QaService } from '../../src/qa/qa.service.js';
import { insertActor, insertAgency, insertStoredDocument, partnershipId } from '../support/factories.js';
import { startMedium, type Medium } from '../support/medium.js';
import { DEFAULT_REPORTS, insertCaseAtStage, REPORT_KINDS, STAGE_DATES, stageReached, type CaseAtStage } from '../support/stage-factory.js';

/** What the steps carrying more than a comment were sent with, as the factory recorded them. */
const ENTRY_REQUESTS: Partial<Record<Stage, StepRequest>> = {
  commissioned: { decision: { outcome: 'commission', decidedOn: STAGE_DATES.decidedOn, rationale: 'Recorded' } },
  not_commissioned: { decision: { outcome: 'no_review', decidedOn: STAGE_DATES.decidedOn, rationale: 'Recorded' } },
  discontinued: { comment: 'Merged into a Safeguarding Adults Review run jointly.' },
};

describe('a case inserted at a stage', () => {
  let m: Medium;
  let dataDir: string;
  let store: DocumentStore;
  let exeter: string;
  let admin: Actor;
  let chair: Actor;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dhr-stage-factory-'));
    m = await startMedium({ dataDir });
    store = m.context.get<DocumentStore>(DOCUMENT_STORE);
    exeter = await partnershipId(m.dataSource, 'exeter');
    admin = await insertActor(m.dataSource, { role: 'sdp_admin' });
    chair = await insertActor(m.dataSource, { role: 'csp_chair', partnershipId: exeter });
  });
  afterAll(async () => {
    await m.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const build = (stage: Stage) => insertCaseAtStage(m.dataSource, stage, { partnershipId: exeter, store, people: { adminId: admin.userId, cspChairId: chair.userId } });
  const today = () => londonDate(m.clock.now());
  const stageOf = async (caseId: string) => (await m.as(admin, () => m.get(CasesService).get(admin, caseId))).stage;

  /**
   * The facts every step reads. Past the publish step, the anonymisation
   * check's own answer stands for its fact (read only at the stage the step
   * leaves from), as the publication check reads it at any stage.
   */
  async function factsOf(caseId: string): Promise<CaseFacts> {
    const found = await m.dataSource.getRepository<ReviewCase>('ReviewCase').findOneByOrFail({ id: caseId });
    const facts = await m.get(CaseFactsService).load(m.dataSource.manager, found);
    if (found.stage !== 'published') return facts;
    return { ...facts, anonymisationClean: (await m.get(AnonymisationCheck).run(m.dataSource.manager, caseId)).clean };
  }

  async function unmetCodes(attempt: Promise<unknown>): Promise<string[]> {
    try {
      await attempt;
    } catch (error) {
      return ((error as { getResponse(): { unmet?: string[] } }).getResponse().unmet ?? []) as string[];
    }
    throw new Error('the step was taken');
  }

  const transition = (who: Actor, caseId: string, to: Stage, comment?: string) =>
    m.as(who, () => m.get(StepsService).transition(who, caseId, { to, comment }));

  /**
   * From each stage, what its next stage needs that the stage does not
   * imply (done through the services, or stored as an upload stores it),
   * then the next step. Before the work, the step is refused for exactly
   * that work: the factory left the case at its stage, not beyond it.
   */
  const NEXT: Record<
    Stage,
    {
      /** What the next step is refused for before the work; `attempt` is the step as tried then, if not `take`. */
      missing: string[];
      attempt?(made: CaseAtStage): Promise<unknown>;
      work(made: CaseAtStage): Promise<unknown>;
      take(made: CaseAtStage): Promise<unknown>;
      to: Stage | null;
    }
  > = {
    notified: {
      missing: [],
      work: async () => undefined,
      take: (made) =>
        m.as(chair, () => m.get(StepsService).decide(chair, made.id, { outcome: 'commission', decidedOn: '2026-03-25', rationale: 'The death meets the criteria.' })),
      to: 'commissioned',
    },
    not_commissioned: {
      missing: ['home_office_direction_note_missing'],
      attempt: (made) => transition(chair, made.id, 'commissioned'),
      work: async () => undefined,
      take: (made) => transition(chair, made.id, 'commissioned', 'The Home Office directed a review.'),
      to: 'commissioned',
    },
    commissioned: {
      missing: ['review_chair_missing', 'no_panel_agency', 'terms_of_reference_missing'],
      work: async (made) => {
        const reviewChair = await insertActor(m.dataSource, { role: 'review_chair' });
        await m.as(admin, () => m.get(CasesService).update(admin, made.id, '"1"', { reviewChairId: reviewChair.userId, termsOfReferenceAgreedOn: '2026-04-01' }));
        await m.as(admin, async () => m.get(PanelService).add(admin, made.id, await insertAgency(m.dataSource)));
      },
      take: (made) => transition(admin, made.id, 'panel_established'),
      to: 'panel_established',
    },
    panel_established: {
      missing: ['no_contribution_request'],
      work: (made) => m.as(admin, () => m.get(ContributionsService).create(admin, made.id, { agencyId: made.agencyIds[0], kind: 'summary', dueOn: '2026-07-31' })),
      take: (made) => transition(admin, made.id, 'information_gathering'),
      to: 'information_gathering',
    },
    information_gathering: {
      missing: ['contributions_outstanding'],
      work: async (made) => {
        for (const id of made.contributionIds) await m.as(admin, () => m.get(ContributionsService).waive(admin, id, 'Covered by the police chronology.'));
      },
      take: (made) => transition(admin, made.id, 'drafting'),
      to: 'drafting',
    },
    drafting: {
      missing: ['final_documents_missing'],
      work: async (made) => {
        for (const kind of REPORT_KINDS) await insertStoredDocument(m.dataSource, store, { caseId: made.id, kind, ...DEFAULT_REPORTS[kind] });
      },
      take: (made) => transition(admin, made.id, 'csp_sign_off'),
      to: 'csp_sign_off',
    },
    csp_sign_off: {
      missing: ['family_draft_not_offered'],
      work: (made) =>
        m.as(admin, () =>
          m.get(FamilyContactsService).record(admin, made.id, { contactedOn: '2026-07-25', method: 'letter', leafletGiven: true, advocacyOffered: true, draftReportOffered: true }),
        ),
      take: (made) => transition(chair, made.id, 'home_office_qa'),
      to: 'home_office_qa',
    },
    home_office_qa: {
      missing: ['qa_approval_missing'],
      work: async (made) => {
        const submitted = await m.as(admin, () => m.get(QaService).submit(admin, made.id, { submittedOn: today() }));
        await m.as(admin, () => m.get(QaService).recordOutcome(admin, submitted.id, { outcome: 'approved', outcomeOn: today() }));
      },
      take: (made) => transition(admin, made.id, 'approved_for_publication'),
      to: 'approved_for_publication',
    },
    approved_for_publication: {
      missing: [],
      work: async () => undefined,
      take: (made) => m.as(chair, () => m.get(PublicationService).publish(chair, made.id, { publishedOn: today(), url: 'https://www.example.org/dhr/stage' })),
      to: 'published',
    },
    published: {
      missing: ['published_less_than_12_months'],
      work: (made) => m.as(admin, () => m.get(PublicationService).overrideClosure(admin, made.id, 'Every action is done.')),
      take: (made) => transition(chair, made.id, 'closed'),
      to: 'closed',
    },
    closed: {
      missing: ['step_not_allowed'],
      attempt: (made) => transition(chair, made.id, 'published'),
      work: async () => undefined,
      take: async () => undefined,
      to: null,
    },
    discontinued: {
      missing: ['step_not_allowed'],
      attempt: (made) => transition(chair, made.id, 'information_gathering', 'Resumed.'),
      work: async () => undefined,
      take: async () => undefined,
      to: null,
    },
  };

  describe.each(STAGES.map((stage) => [stage]))('at %s', (stage) => {
    let made: CaseAtStage;

    beforeAll(async () => {
      made = await build(stage);
    });

    it('reads back at the stage, its history walking the stage table to it', async () => {
      expect(made.stage).toBe(stage);
      expect(await stageOf(made.id)).toBe(stage);
      const history: { from_stage: Stage | null; to_stage: Stage }[] = await m.dataSource.query(
        'SELECT from_stage, to_stage FROM case_transition WHERE case_id = $1 ORDER BY seq',
        [made.id],
      );
      expect(history.at(-1)!.to_stage).toBe(stage);
      for (const [n, row] of history.entries()) {
        if (n === 0) expect(row).toEqual({ from_stage: null, to_stage: 'notified' });
        else expect(STEPS.some((s) => s.from === history[n - 1].to_stage && s.from === row.from_stage && s.to === row.to_stage)).toBe(true);
      }
    });

    it('meets every precondition of the step that led to it, in the facts the modules provide', async () => {
      const [last] = await m.dataSource.query('SELECT from_stage FROM case_transition WHERE case_id = $1 ORDER BY seq DESC LIMIT 1', [made.id]);
      const entry = STEPS.find((s) => s.from === last.from_stage && s.to === stage);
      if (stage === 'notified') return expect(entry).toBeUndefined();
      expect(unmetPreconditions(entry!, await factsOf(made.id), { today: today(), request: ENTRY_REQUESTS[stage] ?? {} })).toEqual([]);
    });

    it('computes its milestones, met on the days its steps were taken', async () => {
      await m.get(MilestoneStateService).refresh(m.dataSource.manager, [made.id]);
      const page = await m.as(admin, () => m.get(MilestonesService).forCase(admin, made.id));
      const metOn = Object.fromEntries(page.items.map((x) => [x.key, x.metOn]));
      expect(metOn.decision).toBe(stage === 'notified' ? null : STAGE_DATES.decidedOn);
      expect(metOn.family_contacted).toBe(stageReached(stage, 'home_office_qa') ? STAGE_DATES.familyContactOn : null);
      expect(metOn.review_completed).toBe(stageReached(stage, 'home_office_qa') ? STAGE_DATES.signedOffOn : null);
      expect(metOn.home_office_submitted).toBe(stageReached(stage, 'approved_for_publication') ? STAGE_DATES.qaSubmittedOn : null);
      const contributions = page.items.filter((x) => x.key.startsWith('contribution:'));
      expect(contributions).toHaveLength(made.contributionIds.length);
      for (const c of contributions) expect(c.metOn).toBe(stageReached(stage, 'drafting') ? STAGE_DATES.submittedOn : null);
    });

    it('takes its next step once the next stage’s own work is done', async () => {
      const next = NEXT[stage];
      if (next.missing.length > 0) {
        expect(await unmetCodes((next.attempt ?? next.take)(made))).toEqual(next.missing);
      }
      if (!next.to) return;
      await next.work(made);
      await next.take(made);
      expect(await stageOf(made.id)).toBe(next.to);
    });
  });

  it('stores each document it holds as a real file in the application’s store, with its size and hash', async () => {
    const made = await build('csp_sign_off');
    const ids = Object.values(made.documentIds).flat();
    expect(ids).toHaveLength(made.agencyIds.length + REPORT_KINDS.length);
    const rows: { storage_key: string; size_bytes: string; sha256: string }[] = await m.dataSource.query(
      'SELECT storage_key, size_bytes, sha256 FROM case_document WHERE id = ANY($1)',
      [ids],
    );
    for (const row of rows) {
      const chunks: Buffer[] = [];
      for await (const chunk of await store.open(row.storage_key)) chunks.push(chunk as Buffer);
      const bytes = Buffer.concat(chunks);
      expect(bytes.length).toBe(Number(row.size_bytes));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(row.sha256);
    }
  });
});
