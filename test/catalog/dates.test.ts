import { describe, expect, it } from 'vitest';
import { isCalendarDate, todayUtc, toIsoDay, toIsoSeconds } from '../../catalog/dates.ts';

describe('isCalendarDate', () => {
  it.each([
    ['2024-02-29', true, 'a leap year (divisible by 4)'],
    ['2023-02-29', false, 'a common year'],
    ['2000-02-29', true, 'a century divisible by 400'],
    ['1900-02-29', false, 'a century not divisible by 400'],
    ['2100-02-29', false, 'another such century'],
    ['2023-02-28', true, 'the last day of February'],
    ['2024-04-30', true, 'the last day of April'],
    ['2024-04-31', false, 'April has 30 days'],
    ['2024-06-31', false, 'June has 30 days'],
    ['2024-09-31', false, 'September has 30 days'],
    ['2024-11-31', false, 'November has 30 days'],
    ['2024-12-31', true, 'December has 31'],
    ['2024-01-32', false, 'no month has 32 days'],
    ['2024-01-00', false, 'day 0'],
    ['2024-00-10', false, 'month 0'],
    ['2024-13-01', false, 'month 13'],
    ['0000-01-01', true, 'year 0 of ISO 8601'],
    ['9999-12-31', true, 'the last four-digit year'],
    ['2024-1-01', false, 'a one-digit month'],
    ['2024-01-01T00:00:00Z', false, 'a date-time'],
    [' 2024-01-01', false, 'padding'],
    ['２０２４-01-01', false, 'digits other than ASCII'],
  ])('%s: %s (%s)', (value, expected) => {
    expect(isCalendarDate(value)).toBe(expected);
  });

  it('counts the days of every month of a common and a leap year', () => {
    const days = (year: number) => [31, year % 4 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    for (const year of [2023, 2024]) {
      days(year).forEach((last, index) => {
        const month = String(index + 1).padStart(2, '0');
        expect(isCalendarDate(`${year}-${month}-${last}`), `${year}-${month}-${last}`).toBe(true);
        expect(isCalendarDate(`${year}-${month}-${last + 1}`), `${year}-${month}-${last + 1}`).toBe(false);
      });
    }
  });
});

describe('the ISO formatters', () => {
  const date = new Date(Date.UTC(2024, 1, 29, 23, 59, 58, 999));
  it('writes the UTC day', () => expect(toIsoDay(date)).toBe('2024-02-29'));
  it('writes the UTC time to the second, dropping milliseconds', () =>
    expect(toIsoSeconds(date)).toBe('2024-02-29T23:59:58Z'));
});

describe('todayUtc', () => {
  it('takes CATALOGUE_TODAY when it is written YYYY-MM-DD', () => {
    expect(todayUtc({ CATALOGUE_TODAY: '2026-01-01' })).toBe('2026-01-01');
  });
  it('falls back to the clock for anything else', () => {
    const today = toIsoDay(new Date());
    for (const fixed of [undefined, '', '2026-1-1', 'tomorrow']) {
      expect([today, toIsoDay(new Date())]).toContain(todayUtc({ CATALOGUE_TODAY: fixed }));
    }
  });
});
