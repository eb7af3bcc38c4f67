import { describe, expect, it } from '@jest/globals';
import { ACTION_STATUSES } from './action-plan.entities.js';
import { isDone, NEXT_STATUSES, progressUpdateErrors } from './action-status.js';

describe('how an action’s status moves', () => {
  it('never leaves a completed or closed action', () => {
    expect(NEXT_STATUSES.completed).toEqual([]);
    expect(NEXT_STATUSES.closed_with_reason).toEqual([]);
  });

  it('lets an open action stay as it is (a note), move forward or end, but not go back to not started', () => {
    for (const status of ACTION_STATUSES.filter((s) => !isDone(s))) {
      expect(NEXT_STATUSES[status]).toEqual(expect.arrayContaining([status, 'completed', 'closed_with_reason']));
    }
    expect(NEXT_STATUSES.in_progress).not.toContain('not_started');
  });
});

describe('the shape of a progress update', () => {
  it('accepts a note, a status, or both', () => {
    expect(progressUpdateErrors({ progressNote: 'Flag designed.' })).toEqual([]);
    expect(progressUpdateErrors({ status: 'in_progress' })).toEqual([]);
    expect(progressUpdateErrors({ status: 'completed', completedOn: '2026-06-01', progressNote: 'Live.' })).toEqual([]);
    expect(progressUpdateErrors({ status: 'closed_with_reason', reason: 'Superseded.' })).toEqual([]);
  });

  it('refuses an update that says nothing', () => {
    expect(progressUpdateErrors({})).toEqual([{ field: 'status', message: 'send a status, a progressNote or both' }]);
  });

  it('wants a completion date with a completion and a reason with a closure, and neither without its status', () => {
    expect(progressUpdateErrors({ status: 'completed' })).toEqual([{ field: 'completedOn', message: 'completedOn is required when status is completed' }]);
    expect(progressUpdateErrors({ status: 'closed_with_reason' })).toEqual([{ field: 'reason', message: 'reason is required when status is closed_with_reason' }]);
    expect(progressUpdateErrors({ status: 'in_progress', completedOn: '2026-06-01', reason: 'x' })).toEqual([
      { field: 'completedOn', message: 'completedOn goes only with status completed' },
      { field: 'reason', message: 'reason goes only with status closed_with_reason' },
    ]);
    expect(progressUpdateErrors({ progressNote: 'x', completedOn: '2026-06-01' })).toEqual([{ field: 'completedOn', message: 'completedOn goes only with status completed' }]);
  });
});
