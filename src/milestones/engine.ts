import { addDays, addMonths, daysBetween, type CalendarDate } from '../common/calendar.js';
import type { HoldPeriod } from '../cases/cases.queries.js';
import {
  basisOf,
  isRegime,
  rulesOf,
  type Applicability,
  type MilestoneEvent,
  type MilestoneRule,
  type Offset,
  type OffsetSetting,
  type RegimeSettings,
} from './regimes.js';

export type { HoldPeriod } from '../cases/cases.queries.js';

export const MILESTONE_STATUSES = ['pending', 'due_soon', 'overdue', 'met', 'met_late', 'not_applicable'] as const;
export type MilestoneStatus = (typeof MILESTONE_STATUSES)[number];

/** A milestone a module keeps one of per row (a contribution request, an action). */
export interface MilestoneItem {
  key: string;
  title: string;
  basis: string;
  startOn: CalendarDate;
  dueOn: CalendarDate;
  metOn: CalendarDate | null;
  /** The agency the row belongs to: only that agency's lead sees it. */
  agencyId: string | null;
}

/** What the engine needs to know about a case: dates of events, nothing else. */
export interface CaseMilestoneFacts {
  regime: string;
  /** The date of each event that has happened; an absent or null event has not. */
  events: Partial<Record<MilestoneEvent, CalendarDate | null>>;
  /** Which applicability conditions hold for the case. */
  applies: Record<Applicability, boolean>;
  /** The review was discontinued: its milestones not yet met no longer apply (docs/domain.md, "Discontinued reviews"). */
  discontinued: boolean;
  holds: HoldPeriod[];
  items: MilestoneItem[];
}

/** The milestone settings of the configuration; the regimes' commencement dates among them (a basis says whether its rule is law). */
export interface MilestoneSettings extends RegimeSettings {
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

/** Exactly one status (docs/domain.md, "Milestone statuses"): met on the due date itself is met, not late. */
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

/** A run of days on hold: the days d with from ≤ d < to, covered by one or more holds. */
export interface HoldSpan {
  from: CalendarDate;
  to: CalendarDate;
  /** The holds that cover it, by start date. */
  holds: HoldPeriod[];
}

/**
 * The days the holds cover, as disjoint spans in date order: holds that
 * overlap (or meet, one starting the day another ends) make one span, so a
 * day covered by several holds is a day once (docs/domain.md, "Holds stop
 * the clock"). A hold is on from startedOn up to the day before endedOn (the
 * case resumes on endedOn); an open hold runs through the day before
 * `today`, and one that starts later than that covers nothing.
 */
export function holdSpans(holds: HoldPeriod[], today: CalendarDate): HoldSpan[] {
  const spans: HoldSpan[] = [];
  for (const hold of [...holds].sort((a, b) => (a.startedOn < b.startedOn ? -1 : a.startedOn > b.startedOn ? 1 : 0))) {
    const end = hold.endedOn ?? today;
    const to = end > hold.startedOn ? end : hold.startedOn;
    const last = spans.at(-1);
    if (last && hold.startedOn <= last.to) {
      if (to > last.to) last.to = to;
      last.holds.push(hold);
    } else {
      spans.push({ from: hold.startedOn, to, holds: [hold] });
    }
  }
  return spans;
}

/** The days d with from ≤ d < to that lie in the spans. */
function daysWithin(spans: HoldSpan[], from: CalendarDate, to: CalendarDate): number {
  return spans.reduce((total, span) => {
    const start = span.from > from ? span.from : from;
    const end = span.to < to ? span.to : to;
    return total + Math.max(0, daysBetween(start, end));
  }, 0);
}

/**
 * Hold days d with from ≤ d < to: the days any hold covers, each counted
 * once however many holds cover it (holdSpans).
 */
export function daysOnHold(holds: HoldPeriod[], from: CalendarDate, to: CalendarDate, today: CalendarDate): number {
  return daysWithin(holdSpans(holds, today), from, to);
}

/**
 * Holds stop the clock (docs/domain.md, "Holds stop the clock"): the
 * smallest date A with A = dueOn + the hold days d with startOn ≤ d < A and
 * d before the milestone was met, a day covered by several holds counted
 * once. Found by iterating from dueOn; each round
 * can only move A later, and it stops when no further hold day falls
 * inside, so a hold that begins after the (adjusted) due date, before the
 * start, or after the milestone was met changes nothing.
 */
export function adjustedDueDate(
  holds: HoldPeriod[],
  window: { startOn: CalendarDate; dueOn: CalendarDate; metOn: CalendarDate | null },
  today: CalendarDate,
): CalendarDate {
  const { startOn, dueOn, metOn } = window;
  if (holds.length === 0) return dueOn;
  const spans = holdSpans(holds, today);
  let adjusted = dueOn;
  for (;;) {
    const countUntil = metOn !== null && metOn < adjusted ? metOn : adjusted;
    const next = addDays(dueOn, daysWithin(spans, startOn, countUntil));
    if (next === adjusted) return adjusted;
    adjusted = next;
  }
}

export function isHoldActive(holds: HoldPeriod[]): boolean {
  return holds.some((h) => h.endedOn === null);
}

function applyOffset(start: CalendarDate, offset: Offset, settings: MilestoneSettings): CalendarDate {
  if ('months' in offset) return addMonths(start, offset.months);
  if ('days' in offset) return addDays(start, offset.days);
  return addMonths(start, settings[offset.setting satisfies OffsetSetting]);
}

interface MilestoneWindow {
  key: string;
  title: string;
  basis: string;
  startOn: CalendarDate | null;
  dueOn: CalendarDate | null;
  metOn: CalendarDate | null;
}

/** A milestone with what the stored state keeps besides: when its clock started, and whose it is. */
export interface MilestoneState extends Milestone {
  startOn: CalendarDate | null;
  statutory: boolean;
  agencyId: string | null;
}

function milestone(window: MilestoneWindow, holds: HoldPeriod[], settings: MilestoneSettings, today: CalendarDate): Milestone & { startOn: CalendarDate | null } {
  const { key, title, basis, startOn, dueOn, metOn } = window;
  const adjustedDueOn = startOn && dueOn ? adjustedDueDate(holds, { startOn, dueOn, metOn }, today) : dueOn;
  return {
    key,
    title,
    basis,
    startOn,
    dueOn,
    adjustedDueOn,
    metOn,
    status: milestoneStatus(dueOn, metOn, today, settings.dueSoonDays),
    daysOnHold: dueOn && adjustedDueOn && adjustedDueOn !== dueOn ? daysBetween(dueOn, adjustedDueOn) : 0,
    onHold: metOn === null && isHoldActive(holds),
  };
}

/** A milestone that does not apply: no dates, nothing to meet. */
function notApplicable(m: Pick<MilestoneState, 'key' | 'title' | 'basis' | 'statutory' | 'agencyId'>): MilestoneState {
  const none = { startOn: null, dueOn: null, adjustedDueOn: null, metOn: null, daysOnHold: 0, onHold: false };
  return { key: m.key, title: m.title, basis: m.basis, ...none, status: 'not_applicable', statutory: m.statutory, agencyId: m.agencyId };
}

/** A discontinued review's milestone keeps what was met; one not met no longer applies. */
function ended(m: MilestoneState, facts: CaseMilestoneFacts): MilestoneState {
  return facts.discontinued && m.metOn === null ? notApplicable(m) : m;
}

function statutoryMilestone(rule: MilestoneRule, facts: CaseMilestoneFacts, settings: MilestoneSettings, today: CalendarDate): MilestoneState {
  const basis = isRegime(facts.regime) ? basisOf(facts.regime, rule, settings) : rule.basis;
  if (!facts.applies[rule.appliesTo]) return notApplicable({ key: rule.key, title: rule.title, basis, statutory: true, agencyId: null });
  const startOn = facts.events[rule.startsOn] ?? null;
  const dueOn = startOn ? applyOffset(startOn, rule.offset, settings) : null;
  const metOn = facts.events[rule.metBy] ?? null;
  const computed = milestone({ key: rule.key, title: rule.title, basis, startOn, dueOn, metOn }, facts.holds, settings, today);
  return ended({ ...computed, statutory: true, agencyId: null }, facts);
}

/**
 * Every milestone of a case as of `today`, with what the stored state keeps:
 * the regime's (unless `statutory` is false), then the modules' own
 * (contribution requests, …).
 */
export function computeMilestoneState(
  facts: CaseMilestoneFacts,
  settings: MilestoneSettings,
  today: CalendarDate,
  options: { statutory: boolean } = { statutory: true },
): MilestoneState[] {
  const rules = options.statutory ? rulesOf(facts.regime) : [];
  const statutory = rules.map((rule) => statutoryMilestone(rule, facts, settings, today));
  const items = facts.items.map((item): MilestoneState => ended({ ...milestone(item, facts.holds, settings, today), statutory: false, agencyId: item.agencyId }, facts));
  return [...statutory, ...items];
}

/** Every milestone of a case as of `today`, as the API shows it. */
export function computeMilestones(
  facts: CaseMilestoneFacts,
  settings: MilestoneSettings,
  today: CalendarDate,
  options: { statutory: boolean } = { statutory: true },
): Milestone[] {
  return computeMilestoneState(facts, settings, today, options).map(toMilestone);
}

export function toMilestone(m: MilestoneState): Milestone {
  const { key, title, basis, dueOn, adjustedDueOn, metOn, status, daysOnHold, onHold } = m;
  return { key, title, basis, dueOn, adjustedDueOn, metOn, status, daysOnHold, onHold };
}
