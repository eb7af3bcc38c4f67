import { addDays, addMonths, daysBetween, type CalendarDate } from '../common/calendar.js';
import type { MeetingEvent, MilestoneRule, Offset, OffsetSetting, StartEvent } from './regimes.js';
import { rulesOf } from './regimes.js';

export const MILESTONE_STATUSES = ['pending', 'due_soon', 'overdue', 'met', 'met_late', 'not_applicable'] as const;
export type MilestoneStatus = (typeof MILESTONE_STATUSES)[number];

export interface HoldPeriod {
  startedOn: CalendarDate;
  endedOn: CalendarDate | null;
}

/** One agency contribution request, a milestone of its own. */
export interface ContributionFacts {
  id: string;
  kind: string;
  agencyName: string;
  requestedOn: CalendarDate;
  dueOn: CalendarDate;
  resolvedOn: CalendarDate | null;
}

/** What the engine needs to know about a case: dates of events, nothing else. */
export interface CaseMilestoneFacts {
  regime: string;
  notifiedOn: CalendarDate;
  decidedOn: CalendarDate | null;
  notCommissioned: boolean;
  commissionedOn: CalendarDate | null;
  completedOn: CalendarDate | null;
  homeOfficeNotifiedOn: CalendarDate | null;
  firstFamilyContactOn: CalendarDate | null;
  qaSubmittedOn: CalendarDate | null;
  statutoryCopySentOn: CalendarDate | null;
  holds: HoldPeriod[];
  contributions: ContributionFacts[];
}

export interface MilestoneSettings {
  dueSoonDays: number;
  familyContactMonths: number;
  homeOfficeSubmissionMonths: number;
  statutoryCopyMonths: number;
}

export interface Milestone {
  key: string;
  title: string;
  basis: string;
  dueOn: CalendarDate | null;
  adjustedDueOn: CalendarDate | null;
  metOn: CalendarDate | null;
  status: MilestoneStatus;
  daysOnHold: number;
  onHold: boolean;
}

/** Exactly one status (DOMAIN.md): met on the due date itself is met, not late. */
export function milestoneStatus(
  dueOn: CalendarDate | null,
  metOn: CalendarDate | null,
  today: CalendarDate,
  dueSoonDays: number,
): MilestoneStatus {
  if (metOn) return dueOn && metOn > dueOn ? 'met_late' : 'met';
  if (!dueOn) return 'pending';
  const left = daysBetween(today, dueOn);
  if (left < 0) return 'overdue';
  return left <= dueSoonDays ? 'due_soon' : 'pending';
}

/**
 * Days of hold inside [from, to). A hold from startedOn to endedOn counts
 * endedOn − startedOn days (the case resumes on endedOn); an open hold counts
 * up to today.
 */
export function daysOnHold(holds: HoldPeriod[], from: CalendarDate, to: CalendarDate, today: CalendarDate): number {
  return holds.reduce((total, hold) => {
    const start = hold.startedOn > from ? hold.startedOn : from;
    const holdEnd = hold.endedOn ?? today;
    const end = holdEnd < to ? holdEnd : to;
    return total + Math.max(0, daysBetween(start, end));
  }, 0);
}

export function isHoldActive(holds: HoldPeriod[]): boolean {
  return holds.some((h) => h.endedOn === null);
}

function startDate(event: StartEvent, facts: CaseMilestoneFacts): CalendarDate | null {
  if (event === 'notification') return facts.notifiedOn;
  if (event === 'commissioning') return facts.commissionedOn;
  return facts.completedOn;
}

function meetingDate(event: MeetingEvent, facts: CaseMilestoneFacts): CalendarDate | null {
  const dates: Record<MeetingEvent, CalendarDate | null> = {
    decision: facts.decidedOn,
    home_office_notification: facts.homeOfficeNotifiedOn,
    family_contact: facts.firstFamilyContactOn,
    completion: facts.completedOn,
    qa_submission: facts.qaSubmittedOn,
    statutory_copy: facts.statutoryCopySentOn,
  };
  return dates[event];
}

function applyOffset(start: CalendarDate, offset: Offset, settings: MilestoneSettings): CalendarDate {
  if ('months' in offset) return addMonths(start, offset.months);
  if ('days' in offset) return addDays(start, offset.days);
  return addMonths(start, settings[offset.setting satisfies OffsetSetting]);
}

/** A case not commissioned (and not since directed by the Home Office) has no review to run. */
function notApplicable(rule: MilestoneRule, facts: CaseMilestoneFacts): boolean {
  return rule.appliesTo === 'if_commissioned' && facts.notCommissioned && facts.commissionedOn === null;
}

function milestone(
  key: string,
  title: string,
  basis: string,
  window: { startOn: CalendarDate | null; dueOn: CalendarDate | null; metOn: CalendarDate | null },
  facts: CaseMilestoneFacts,
  settings: MilestoneSettings,
  today: CalendarDate,
): Milestone {
  const { startOn, dueOn, metOn } = window;
  const held = startOn ? daysOnHold(facts.holds, startOn, metOn ?? today, today) : 0;
  return {
    key,
    title,
    basis,
    dueOn,
    adjustedDueOn: dueOn ? addDays(dueOn, held) : null,
    metOn,
    status: milestoneStatus(dueOn, metOn, today, settings.dueSoonDays),
    daysOnHold: held,
    onHold: metOn === null && isHoldActive(facts.holds),
  };
}

function statutoryMilestone(rule: MilestoneRule, facts: CaseMilestoneFacts, settings: MilestoneSettings, today: CalendarDate): Milestone {
  if (notApplicable(rule, facts)) {
    return { key: rule.key, title: rule.title, basis: rule.basis, dueOn: null, adjustedDueOn: null, metOn: null, status: 'not_applicable', daysOnHold: 0, onHold: false };
  }
  const startOn = startDate(rule.startsOn, facts);
  const dueOn = startOn ? applyOffset(startOn, rule.offset, settings) : null;
  return milestone(rule.key, rule.title, rule.basis, { startOn, dueOn, metOn: meetingDate(rule.metBy, facts) }, facts, settings, today);
}

/** Every milestone of a case as of `today`: the regime's, then one per contribution request. */
export function computeMilestones(facts: CaseMilestoneFacts, settings: MilestoneSettings, today: CalendarDate): Milestone[] {
  const statutory = rulesOf(facts.regime).map((rule) => statutoryMilestone(rule, facts, settings, today));
  const contributions = facts.contributions.map((c) =>
    milestone(
      `contribution:${c.id}`,
      `${c.kind === 'imr' ? 'IMR' : c.kind[0].toUpperCase() + c.kind.slice(1)} from ${c.agencyName}`,
      'Due date set on the contribution request',
      { startOn: c.requestedOn, dueOn: c.dueOn, metOn: c.resolvedOn },
      facts,
      settings,
      today,
    ),
  );
  return [...statutory, ...contributions];
}
