import type { FieldError } from '../common/problem.js';
import type { ActionStatus } from './action-plan.entities.js';

/**
 * How an action's status may move (docs/domain.md, "Action plans"). Work
 * moves forward: once under way an action is not "not started" again, and a
 * completed or closed action is final: it is not reopened and takes no more
 * updates. Staying in the same status with a progress note is an update too.
 */
export const NEXT_STATUSES: Readonly<Record<ActionStatus, readonly ActionStatus[]>> = {
  not_started: ['not_started', 'in_progress', 'completed', 'closed_with_reason'],
  in_progress: ['in_progress', 'completed', 'closed_with_reason'],
  completed: [],
  closed_with_reason: [],
};

/** The statuses that end an action: it is then neither overdue nor RAG-rated. */
export const DONE_STATUSES: readonly ActionStatus[] = ['completed', 'closed_with_reason'];

/** The statuses of an action still to be done: what keeps a case from closing (in SQL: openActionSql, actions.queries.ts). */
export const OPEN_STATUSES: readonly ActionStatus[] = ['not_started', 'in_progress'];

export function isDone(status: ActionStatus): boolean {
  return DONE_STATUSES.includes(status);
}

/** An update of an action as its request asks for it. */
export interface ProgressUpdate {
  status?: ActionStatus;
  progressNote?: string;
  completedOn?: string;
  reason?: string;
}

/**
 * What is wrong with the shape of an update, whatever the action: it must
 * say something (a status or a note); a completion comes with its date and a
 * closure with its reason, and neither goes without the status it belongs to.
 */
export function progressUpdateErrors(update: ProgressUpdate): FieldError[] {
  const errors: FieldError[] = [];
  if (update.status === undefined && update.progressNote === undefined) {
    errors.push({ field: 'status', message: 'send a status, a progressNote or both' });
  }
  const belongs = (field: 'completedOn' | 'reason', status: ActionStatus) => {
    if (update.status === status && update[field] === undefined) errors.push({ field, message: `${field} is required when status is ${status}` });
    if (update.status !== status && update[field] !== undefined) errors.push({ field, message: `${field} goes only with status ${status}` });
  };
  belongs('completedOn', 'completed');
  belongs('reason', 'closed_with_reason');
  return errors;
}
