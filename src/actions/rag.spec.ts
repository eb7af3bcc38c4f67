import { describe, expect, it } from '@jest/globals';
import type { ActionStatus } from './action-plan.entities.js';
import { isOverdue, ragOf } from './rag.js';

const TODAY = '2026-06-10';
const action = (targetOn: string, status: ActionStatus = 'in_progress', createdOn = '2026-01-10') => ({ status, createdOn, targetOn });

describe('an action’s RAG status and whether it is overdue', () => {
  it('is red and overdue from the day after its target, not on the day itself', () => {
    expect(ragOf(action('2026-06-09'), TODAY)).toBe('red');
    expect(isOverdue(action('2026-06-09'), TODAY)).toBe(true);
    expect(ragOf(action('2026-06-10'), TODAY)).toBe('amber');
    expect(isOverdue(action('2026-06-10'), TODAY)).toBe(false);
  });

  it('is amber with 30 days or fewer left, and green with 31', () => {
    expect(ragOf(action('2026-07-10'), TODAY)).toBe('amber'); // 30 days
    expect(ragOf(action('2026-07-11'), TODAY)).toBe('green'); // 31 days
  });

  it('is amber when not started with less than half its time left; exactly half is still green', () => {
    // set on 10 February, due 9 October: 241 days in all, 121 left on 10 June (more than half)
    expect(ragOf(action('2026-10-09', 'not_started', '2026-02-10'), TODAY)).toBe('green');
    // set on 10 February, due 8 October: 240 days in all, 120 left: exactly half
    expect(ragOf(action('2026-10-08', 'not_started', '2026-02-10'), TODAY)).toBe('green');
    // set on 9 February, due 8 October: 241 days in all, 120 left: less than half
    expect(ragOf(action('2026-10-08', 'not_started', '2026-02-09'), TODAY)).toBe('amber');
    // the same action under way is green: the half-time rule is for actions not yet started
    expect(ragOf(action('2026-10-08', 'in_progress', '2026-02-09'), TODAY)).toBe('green');
  });

  it('has no RAG and is never overdue once completed or closed with a reason', () => {
    for (const status of ['completed', 'closed_with_reason'] as const) {
      expect(ragOf(action('2026-01-01', status), TODAY)).toBeNull();
      expect(isOverdue(action('2026-01-01', status), TODAY)).toBe(false);
    }
  });

  it('is red when set already past its target', () => {
    expect(ragOf(action('2026-06-01', 'not_started', TODAY), TODAY)).toBe('red');
  });
});
