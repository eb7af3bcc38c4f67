import { daysBetween, type CalendarDate } from '../common/calendar.js';
import type { ActionStatus } from './action-plan.entities.js';
import { isDone } from './action-status.js';

/**
 * The RAG status of an action and whether it is overdue, derived from its
 * dates and status and never stored (docs/domain.md, "Action plans").
 */
export const RAG_STATUSES = ['red', 'amber', 'green'] as const;
export type Rag = (typeof RAG_STATUSES)[number];

/** An action whose target is this many days away or fewer is amber. */
export const AMBER_WITHIN_DAYS = 30;

export interface ActionTimes {
  status: ActionStatus;
  /** The day the action was set: the start of its time. */
  createdOn: CalendarDate;
  targetOn: CalendarDate;
}

/**
 * Not done, and its target date has passed: a target of today is not overdue
 * yet. overdueActionSql in actions.queries.ts is the same rule for queries;
 * the two are tested to agree (test/medium/action-overdue.medium-spec.ts).
 */
export function isOverdue(action: ActionTimes, today: CalendarDate): boolean {
  return !isDone(action.status) && action.targetOn < today;
}

/**
 * Red when overdue; amber when the target is at most AMBER_WITHIN_DAYS away,
 * or when it has not been started with less than half of its time left (its
 * time runs from the day it was set to its target); green otherwise. An
 * action that is done has none.
 */
export function ragOf(action: ActionTimes, today: CalendarDate): Rag | null {
  if (isDone(action.status)) return null;
  if (isOverdue(action, today)) return 'red';
  const left = daysBetween(today, action.targetOn);
  if (left <= AMBER_WITHIN_DAYS) return 'amber';
  const time = daysBetween(action.createdOn, action.targetOn);
  if (action.status === 'not_started' && left < time / 2) return 'amber';
  return 'green';
}
