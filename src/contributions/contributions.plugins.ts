import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ReviewCase } from '../cases/case.entities.js';
import { ProvidesCaseFacts, type CaseFactSource, type CaseFacts } from '../cases/case-facts.js';
import { FollowsStageEntry, type StageEntry, type StageEntrySource } from '../cases/stage-entries.js';
import { ProvidesMilestones, type MilestoneSource } from '../milestones/milestone-sources.js';
// Not the audit service itself: it is handed over with the step (cases/stage-entries.ts).
import { fieldChanges } from '../audit/field-changes.js';
import { closeOutstandingContributions, CONTRIBUTION_MILESTONES, contributionCounts } from './contributions.queries.js';

/** Requests issued and outstanding: preconditions of information gathering and of drafting. */
@Injectable()
@ProvidesCaseFacts()
export class ContributionFacts implements CaseFactSource {
  readonly provides = ['contributionRequests', 'contributionsOutstanding', 'contributionsOutstandingFrom'] as const;

  async load(manager: EntityManager, found: ReviewCase): Promise<Partial<CaseFacts>> {
    const { requests, outstanding, outstandingFrom } = await contributionCounts(manager, found.id);
    return { contributionRequests: requests, contributionsOutstanding: outstanding, contributionsOutstandingFrom: outstandingFrom };
  }
}

/** Each request is a milestone (`contribution:<id>`), due on the date set on it. */
@Injectable()
@ProvidesMilestones()
export class ContributionMilestones implements MilestoneSource {
  readonly items = { prefix: 'contribution', sql: CONTRIBUTION_MILESTONES };
}

/**
 * A discontinued review asks its agencies for nothing more (docs/domain.md,
 * "Discontinued reviews"): its outstanding requests close in the step's
 * transaction, each audited (`contribution.closed`), and their milestones no
 * longer apply.
 */
@Injectable()
@FollowsStageEntry()
export class ContributionsOnDiscontinuation implements StageEntrySource {
  readonly enters = ['discontinued'] as const;

  async entered(tx: EntityManager, moved: ReviewCase, { at, audit }: StageEntry): Promise<void> {
    for (const request of await closeOutstandingContributions(tx, moved.id, at)) {
      await audit.record(tx, {
        action: 'contribution.closed',
        entityType: 'contribution_request',
        entityId: request.id,
        caseId: moved.id,
        partnershipId: moved.partnershipId,
        changes: fieldChanges({ status: 'requested' }, { status: 'closed' }),
        details: { agencyId: request.agencyId, kind: request.kind, because: 'review_discontinued' },
      });
    }
  }
}
