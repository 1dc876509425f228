import { describe, expect, it } from 'vitest';
import { calendarPeriods, parseInstant, zonedMidnight } from './time.js';

const iso = (d: Date) => d.toISOString();
const starts = (periods: { start: Date }[]) => periods.map((p) => iso(p.start).slice(0, 10));

describe('parseInstant', () => {
  it('reads a date as 00:00 UTC and a date-time with its offset', () => {
    expect(iso(parseInstant('2025-03-01')!)).toBe('2025-03-01T00:00:00.000Z');
    expect(iso(parseInstant('2025-03-01T10:00:00+02:00')!)).toBe('2025-03-01T08:00:00.000Z');
    expect(iso(parseInstant('2025-03-01T10:00:00Z')!)).toBe('2025-03-01T10:00:00.000Z');
  });

  it('rejects impossible dates and date-times without an offset', () => {
    expect(parseInstant('2025-02-30')).toBeNull();
    expect(parseInstant('2025-03-01T10:00:00')).toBeNull();
    expect(parseInstant('yesterday')).toBeNull();
  });
});

describe('calendarPeriods', () => {
  it('cuts months at the 1st, half-open', () => {
    const periods = calendarPeriods(new Date('2025-01-01'), new Date('2025-04-01'), 'month');
    expect(starts(periods)).toEqual(['2025-01-01', '2025-02-01', '2025-03-01']);
    expect(iso(periods[2]!.end)).toBe('2025-04-01T00:00:00.000Z');
  });

  it('starts weeks on Monday (ISO) and clips the first and last period to the range', () => {
    // 2025-01-01 is a Wednesday: the first week is clipped to Wed–Sun, the next starts Monday 01-06.
    const periods = calendarPeriods(new Date('2025-01-01'), new Date('2025-01-15'), 'week');
    expect(starts(periods)).toEqual(['2025-01-01', '2025-01-06', '2025-01-13']);
    expect(iso(periods[2]!.end)).toBe('2025-01-15T00:00:00.000Z');
  });

  it('cuts quarters and years on the calendar', () => {
    expect(starts(calendarPeriods(new Date('2024-02-01'), new Date('2024-12-01'), 'quarter'))).toEqual([
      '2024-02-01',
      '2024-04-01',
      '2024-07-01',
      '2024-10-01',
    ]);
    expect(starts(calendarPeriods(new Date('2023-01-01'), new Date('2025-01-01'), 'year'))).toEqual([
      '2023-01-01',
      '2024-01-01',
    ]);
  });

  it('follows a time zone: a Rome month starts at 23:00 or 22:00 UTC the day before', () => {
    const from = zonedMidnight({ year: 2025, month: 3, day: 1 }, 'Europe/Rome');
    const to = zonedMidnight({ year: 2025, month: 5, day: 1 }, 'Europe/Rome');
    const periods = calendarPeriods(from, to, 'month', 'Europe/Rome');
    // CET (+01:00) in March, CEST (+02:00) from 30 March.
    expect(periods.map((p) => iso(p.start))).toEqual([
      '2025-02-28T23:00:00.000Z',
      '2025-03-31T22:00:00.000Z',
    ]);
  });

  it('refuses an empty range and an absurd number of periods', () => {
    expect(() => calendarPeriods(new Date('2025-01-01'), new Date('2025-01-01'), 'day')).toThrow(
      /must be after/,
    );
    expect(() => calendarPeriods(new Date('1900-01-01'), new Date('2025-01-01'), 'day')).toThrow(/coarser/);
  });
});
