import { describe, expect, it } from '@jest/globals';
import { addDays, addMonths, daysBetween, isCalendarDate, londonDate } from './calendar.js';

describe('calendar dates', () => {
  it.each(['2024-02-29', '2025-12-31', '2026-01-01'])('accepts %s', (d) => expect(isCalendarDate(d)).toBe(true));
  it.each(['2025-02-29', '2025-02-30', '2025-13-01', '2025-00-10', '2025-1-1', '20250101', '2025-01-01T00:00:00Z', '', 20250101, '9999-12-01', '1899-12-31', '0000-01-01'])(
    'refuses %p',
    (d) => expect(isCalendarDate(d)).toBe(false),
  );

  it('reads today in London, not in UTC', () => {
    expect(londonDate(new Date('2025-03-30T23:30:00Z'))).toBe('2025-03-31'); // BST began that morning
    expect(londonDate(new Date('2025-01-15T23:30:00Z'))).toBe('2025-01-15'); // GMT in winter
    expect(londonDate(new Date('2025-10-25T23:30:00Z'))).toBe('2025-10-26'); // still BST
    expect(londonDate(new Date('2025-10-26T23:30:00Z'))).toBe('2025-10-26'); // GMT again
  });
});

describe('addMonths', () => {
  it.each([
    ['2025-01-31', 1, '2025-02-28'],
    ['2028-01-31', 1, '2028-02-29'],
    ['2025-08-31', 6, '2026-02-28'],
    ['2025-03-15', 1, '2025-04-15'],
    ['2025-12-31', 1, '2026-01-31'],
    ['2025-10-31', 12, '2026-10-31'],
    ['2024-02-29', 12, '2025-02-28'],
    ['2025-05-31', -1, '2025-04-30'],
  ])('%s + %i months = %s', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });
});

describe('addDays and daysBetween', () => {
  it('cross month, year and leap-day boundaries', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2025-03-01', -1)).toBe('2025-02-28');
    expect(daysBetween('2025-01-01', '2026-01-01')).toBe(365);
    expect(daysBetween('2028-01-01', '2029-01-01')).toBe(366);
    expect(daysBetween('2025-03-31', '2025-03-29')).toBe(-2);
  });

  it('counts whole days across the clock change', () => {
    expect(daysBetween('2025-03-29', '2025-03-31')).toBe(2);
    expect(daysBetween('2025-10-25', '2025-10-27')).toBe(2);
  });
});
