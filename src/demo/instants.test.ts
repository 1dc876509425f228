import { describe, expect, it } from 'vitest';
import { iso, MonthlyAnchor, monthStart, weekday } from './instants.js';

describe('iso', () => {
  it('writes ISO-8601 UTC at second precision, the shape KPI-SPEC §1 reads', () => {
    expect(iso(Date.UTC(2025, 2, 1, 10, 15))).toBe('2025-03-01T10:15:00Z');
    expect(iso(Date.UTC(2024, 1, 29, 23, 59, 59))).toBe('2024-02-29T23:59:59Z');
  });

  it('agrees with Date#toISOString for any second', () => {
    for (let ms = Date.UTC(2023, 0, 1); ms < Date.UTC(2027, 0, 1); ms += 7_777_777_000) {
      expect(iso(ms)).toBe(new Date(ms).toISOString().replace('.000Z', 'Z'));
    }
  });
});

describe('MonthlyAnchor', () => {
  it('keeps the day of month and time, clamped to short months', () => {
    const anchor = new MonthlyAnchor(Date.UTC(2025, 0, 31, 9, 30));
    expect(iso(anchor.plus(0))).toBe('2025-01-31T09:30:00Z');
    expect(iso(anchor.plus(1))).toBe('2025-02-28T09:30:00Z');
    expect(iso(anchor.plus(2))).toBe('2025-03-31T09:30:00Z');
    expect(iso(anchor.plus(13))).toBe('2026-02-28T09:30:00Z');
  });
});

describe('calendar helpers', () => {
  it('finds month starts and weekdays in UTC', () => {
    expect(iso(monthStart(Date.UTC(2025, 11, 15, 12), 1))).toBe('2026-01-01T00:00:00Z');
    expect(iso(monthStart(Date.UTC(2025, 0, 15), -35))).toBe('2022-02-01T00:00:00Z');
    expect(weekday(Date.UTC(2025, 2, 1))).toBe(6);
  });
});

describe('MonthlyAnchor over the years', () => {
  it('agrees with Date for every anchor day across leap years', () => {
    for (let day = 1; day <= 31; day++) {
      const anchor = new MonthlyAnchor(Date.UTC(2023, 0, day, 13, 5, 7));
      for (let k = -14; k < 60; k++) {
        const last = new Date(Date.UTC(2023, k + 1, 0)).getUTCDate();
        expect(anchor.plus(k)).toBe(Date.UTC(2023, k, Math.min(day, last), 13, 5, 7));
      }
    }
  });
});
