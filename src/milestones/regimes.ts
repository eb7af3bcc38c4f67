import type { CalendarDate } from '../common/calendar.js';

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
 *
 * Each regime says from when it is law (`inForceFrom`): a new case gets the
 * newest regime in force on the day it was notified, and a regime with no
 * date yet is a draft, whose own rules say so in their basis (basisOf).
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

/**
 * The settings a regime's commencement is read from: a law whose commencement
 * order is still to come is configured, not written here
 * (config/app-config.ts, DARDR_COMMENCEMENT_DATE).
 */
export type CommencementSetting = 'dardrCommencementDate';
export type RegimeSettings = Record<CommencementSetting, CalendarDate | null>;

/** From when a regime is law: a fixed date, or the date a setting gives (none set: a draft). */
export type InForceFrom = { date: CalendarDate } | { setting: CommencementSetting };

export interface RegimeDefinition {
  name: string;
  /** From when it is law (docs/domain.md, "Review types and regimes"). */
  inForceFrom: InForceFrom;
  rules: readonly MilestoneRule[];
}

/** Section 9 of the Domestic Violence, Crime and Victims Act 2004 came into force on 13 April 2011. */
const DVCVA_S9_COMMENCEMENT = '2011-04-13';

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
    // DHRs became a statutory duty when s.9 of the Domestic Violence, Crime and Victims Act 2004 commenced; the 2016
    // guidance replaced the earlier editions under the same duty, and is the basis of every rule here.
    inForceFrom: { date: DVCVA_S9_COMMENCEMENT },
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
    inForceFrom: { setting: 'dardrCommencementDate' },
    rules: [
      decision,
      homeOfficeNotified,
      familyContacted,
      completedWithin(12, 'Statutory guidance for domestic abuse related death reviews (2024): 12 months'),
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

const definitionOf = (regime: Regime): RegimeDefinition => REGIME_TABLE[regime];

/** The day a regime became (or becomes) law, or null while it is a draft. */
export function inForceFrom(regime: Regime, settings: RegimeSettings): CalendarDate | null {
  const from = definitionOf(regime).inForceFrom;
  return 'date' in from ? from.date : settings[from.setting];
}

export function isDraft(regime: Regime, settings: RegimeSettings): boolean {
  return inForceFrom(regime, settings) === null;
}

/** Whether a case notified on that day may be judged by the regime: it was law by then. A regime once in force stays so. */
export function inForceOn(regime: Regime, day: CalendarDate, settings: RegimeSettings): boolean {
  const from = inForceFrom(regime, settings);
  return from !== null && from <= day;
}

/** The regime a case notified on that day gets: the one in force that day that came into force last; null before any. */
export function regimeFor(notifiedOn: CalendarDate, settings: RegimeSettings): Regime | null {
  const inForce = REGIMES.filter((r) => inForceOn(r, notifiedOn, settings));
  return inForce.reduce<Regime | null>((newest, r) => (newest === null || inForceFrom(r, settings)! > inForceFrom(newest, settings)! ? r : newest), null);
}

/** The earliest day any regime is in force: a case notified before it has no law to be judged by. */
export function firstInForce(settings: RegimeSettings): CalendarDate | null {
  const days = REGIMES.map((r) => inForceFrom(r, settings)).filter((d): d is CalendarDate => d !== null);
  return days.length === 0 ? null : days.reduce((a, b) => (a < b ? a : b));
}

/** How long a regime allows from commissioning to completion: its review_completed rule's months. */
export function completionMonths(regime: Regime): number {
  const rule = definitionOf(regime).rules.find((r) => r.key === COMPLETION_MILESTONE);
  return rule && 'months' in rule.offset ? rule.offset.months : 0;
}

/** What a milestone's basis adds when its rule is not law (docs/domain.md, "Review types and regimes"). */
export const DRAFT_BASIS = ' (draft, not in force)';

const sameRule = (a: MilestoneRule, b: MilestoneRule) => JSON.stringify(a) === JSON.stringify(b);

/**
 * A rule of a draft regime is a draft rule unless a regime in force has the
 * very same rule (the decision within a month is law whatever the draft
 * says): its basis then says it is not in force. Read from the table and
 * the settings, never written by hand.
 */
function isDraftRule(regime: Regime, rule: MilestoneRule, settings: RegimeSettings): boolean {
  if (!isDraft(regime, settings)) return false;
  return !REGIMES.some((other) => !isDraft(other, settings) && definitionOf(other).rules.some((r) => sameRule(r, rule)));
}

/** The basis a milestone of this regime shows for the rule. */
export function basisOf(regime: Regime, rule: MilestoneRule, settings: RegimeSettings): string {
  return isDraftRule(regime, rule, settings) ? `${rule.basis}${DRAFT_BASIS}` : rule.basis;
}

export function isRegime(code: string): code is Regime {
  return (REGIMES as string[]).includes(code);
}

export function rulesOf(regime: string): readonly MilestoneRule[] {
  return isRegime(regime) ? definitionOf(regime).rules : [];
}
