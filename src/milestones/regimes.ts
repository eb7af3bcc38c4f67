/**
 * The statutory rules, as data (docs/domain.md, "Statutory milestones"): one
 * entry per regime, each a table of milestone declarations. A declaration
 * says when the clock starts, how long it runs, what meets it and when it
 * applies; the engine (engine.ts) and the cross-case query
 * (milestones.queries.ts) both read it, and the dates of the events it names
 * come from the modules that record them (milestone-sources.ts).
 *
 * A new regime is a new entry here, and more than that only where it says
 * something new: a milestone event that no module records yet
 * (MILESTONE_EVENTS) is never met until a module gives its date, and a new
 * setting needs its configuration (config/app-config.ts). The README's and
 * docs/domain.md's milestone tables must list its rules (test/docs.spec.ts
 * checks them). review_case.regime has no CHECK: REGIMES is the only list.
 */

/**
 * The events a milestone's clock runs from or that meet it. Each is a date
 * some module records; one that no module records yet never happens.
 */
export const MILESTONE_EVENTS = [
  'notification',
  'commissioning',
  'completion',
  'decision',
  'home_office_notification',
  'family_contact',
  'qa_submission',
  'statutory_copy',
] as const;
export type MilestoneEvent = (typeof MILESTONE_EVENTS)[number];

/** Local practice values that come from configuration, not from the guidance. */
export type OffsetSetting = 'familyContactMonths' | 'homeOfficeSubmissionMonths' | 'statutoryCopyMonths';

export type Offset = { months: number } | { days: number } | { setting: OffsetSetting };

/** When a milestone applies: `if_commissioned` ones do not apply to a case that was not commissioned. */
export type Applicability = 'always' | 'if_commissioned';

/**
 * Each applicability as a condition on a case aliased `c`, read in SQL by
 * both the per-case load and the cross-case query. A case not commissioned
 * and not since directed by the Home Office has no review to run.
 */
export const APPLICABILITY: Record<Applicability, string> = {
  always: 'TRUE',
  if_commissioned: `NOT (c.decision_outcome IS NOT DISTINCT FROM 'no_review' AND c.commissioned_on IS NULL)`,
};

export interface MilestoneRule {
  key: string;
  title: string;
  basis: string;
  startsOn: MilestoneEvent;
  offset: Offset;
  metBy: MilestoneEvent;
  appliesTo: Applicability;
}

export interface RegimeDefinition {
  name: string;
  /** The regime a new case of this review type gets when none is given. */
  defaultFor?: 'DHR' | 'DARDR';
  rules: readonly MilestoneRule[];
}

const GUIDANCE_2016 = 'Home Office Multi-agency Statutory Guidance for the Conduct of Domestic Homicide Reviews (2016)';
const LOCAL = 'Safer Devon Partnership local practice';

/** What the guidance asks within a month of the notification, in every case: the decision, and telling the Home Office of it. */
const WITHIN_A_MONTH_OF_NOTIFICATION = { basis: GUIDANCE_2016, startsOn: 'notification', offset: { months: 1 }, appliesTo: 'always' } as const;

const decision: MilestoneRule = {
  key: 'decision',
  title: 'Decision whether to hold a review',
  metBy: 'decision',
  ...WITHIN_A_MONTH_OF_NOTIFICATION,
};

const homeOfficeNotified: MilestoneRule = {
  key: 'home_office_notified',
  title: 'Home Office told of the decision',
  metBy: 'home_office_notification',
  ...WITHIN_A_MONTH_OF_NOTIFICATION,
};

const familyContacted: MilestoneRule = {
  key: 'family_contacted',
  title: 'Family contacted, leaflet given and advocacy offered',
  basis: `${GUIDANCE_2016} (no fixed period: ${LOCAL})`,
  startsOn: 'commissioning',
  offset: { setting: 'familyContactMonths' },
  metBy: 'family_contact',
  appliesTo: 'if_commissioned',
};

const homeOfficeSubmitted: MilestoneRule = {
  key: 'home_office_submitted',
  title: 'Report submitted to Home Office quality assurance',
  basis: LOCAL,
  startsOn: 'completion',
  offset: { setting: 'homeOfficeSubmissionMonths' },
  metBy: 'qa_submission',
  appliesTo: 'if_commissioned',
};

/**
 * The milestone every regime has that the review's completion (the CSP
 * chair's sign-off) meets: the reports judge "completed within the deadline"
 * by it.
 */
export const COMPLETION_MILESTONE = 'review_completed';

/** The review completed (the CSP chair's sign-off) within so many months of commissioning: the rule each regime sets its own way. */
const completedWithin = (months: number, basis: string): MilestoneRule => ({
  key: COMPLETION_MILESTONE,
  title: 'Review completed (CSP chair sign-off)',
  basis,
  startsOn: 'commissioning',
  offset: { months },
  metBy: 'completion',
  appliesTo: 'if_commissioned',
});

export const REGIME_TABLE = {
  'dhr-2016': {
    name: 'Domestic Homicide Review, 2016 statutory guidance',
    defaultFor: 'DHR',
    rules: [
      decision,
      homeOfficeNotified,
      familyContacted,
      completedWithin(6, GUIDANCE_2016),
      homeOfficeSubmitted,
    ],
  },
  'dardr-2024': {
    name: 'Domestic abuse related death review, Victims and Prisoners Act 2024',
    defaultFor: 'DARDR',
    rules: [
      decision,
      homeOfficeNotified,
      familyContacted,
      completedWithin(12, 'Draft statutory guidance (2024): 12 months'),
      homeOfficeSubmitted,
      {
        key: 'statutory_copy_sent',
        title: 'Report copied to the Secretary of State and the Domestic Abuse Commissioner',
        basis: 'Victims and Prisoners Act 2024, s.19 ("as soon as reasonably practicable")',
        startsOn: 'completion',
        offset: { setting: 'statutoryCopyMonths' },
        metBy: 'statutory_copy',
        appliesTo: 'if_commissioned',
      },
    ],
  },
} as const satisfies Record<string, RegimeDefinition>;

export type Regime = keyof typeof REGIME_TABLE;
export const REGIMES = Object.keys(REGIME_TABLE) as Regime[];

export function defaultRegime(reviewType: 'DHR' | 'DARDR'): Regime {
  return REGIMES.find((r) => (REGIME_TABLE[r] as RegimeDefinition).defaultFor === reviewType) ?? 'dhr-2016';
}

export function rulesOf(regime: string): readonly MilestoneRule[] {
  return (REGIME_TABLE as Record<string, RegimeDefinition>)[regime]?.rules ?? [];
}
