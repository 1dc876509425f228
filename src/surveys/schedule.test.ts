// Schedule computation across month ends and daylight-saving changes. Every expected instant below was worked
// out by hand from the zone's rules, not by running the code:
// - Europe/Rome is UTC+1 (CET) in winter and UTC+2 (CEST) in summer; in 2026 clocks go 02:00 → 03:00 on Sunday
//   29 March and 03:00 → 02:00 on Sunday 25 October.
// - America/New_York is UTC−5 (EST) in winter and UTC−4 (EDT) in summer; in 2026 clocks go 02:00 → 03:00 on
//   Sunday 8 March and 02:00 → 01:00 on Sunday 1 November.
// - 2028 is a leap year (29 February); 2026 and 2027 are not.
import { describe, expect, test } from 'vitest';
import {
  dueOccurrence,
  nextOccurrence,
  occurrencesBetween,
  reminderInstants,
  scheduleIssues,
} from './schedule.js';
import { type Schedule, schedule } from './survey.js';

const sched = (input: Partial<Schedule> & Pick<Schedule, 'frequency' | 'starts_at'>): Schedule =>
  schedule.parse(input);
const iso = (instants: readonly Date[]) => instants.map((d) => d.toISOString());
const at = (text: string) => new Date(text);

describe('monthly and quarterly: a day the month lacks is its last day', () => {
  test('the 31st across 2028, a leap year, in UTC', () => {
    const monthly = sched({ frequency: 'monthly', day_of_month: 31, starts_at: '2028-01-01T00:00:00Z' });
    expect(iso(occurrencesBetween(monthly, at('2028-01-01T00:00:00Z'), at('2029-01-01T00:00:00Z')))).toEqual([
      '2028-01-31T09:00:00.000Z',
      '2028-02-29T09:00:00.000Z',
      '2028-03-31T09:00:00.000Z',
      '2028-04-30T09:00:00.000Z',
      '2028-05-31T09:00:00.000Z',
      '2028-06-30T09:00:00.000Z',
      '2028-07-31T09:00:00.000Z',
      '2028-08-31T09:00:00.000Z',
      '2028-09-30T09:00:00.000Z',
      '2028-10-31T09:00:00.000Z',
      '2028-11-30T09:00:00.000Z',
      '2028-12-31T09:00:00.000Z',
    ]);
  });

  test('the 29th and the 30th send once a month: on that day, or on the last of February', () => {
    const on29 = sched({ frequency: 'monthly', day_of_month: 29, starts_at: '2027-01-01T00:00:00Z' });
    expect(iso(occurrencesBetween(on29, at('2027-01-01T00:00:00Z'), at('2027-04-01T00:00:00Z')))).toEqual([
      '2027-01-29T09:00:00.000Z',
      '2027-02-28T09:00:00.000Z',
      '2027-03-29T09:00:00.000Z',
    ]);
    expect(iso(occurrencesBetween(on29, at('2028-02-01T00:00:00Z'), at('2028-03-01T00:00:00Z')))).toEqual([
      '2028-02-29T09:00:00.000Z',
    ]);
    // Rome: 09:00 CET = 08:00Z in winter; 09:00 CEST = 07:00Z from 29 March.
    const on30 = sched({
      frequency: 'monthly',
      day_of_month: 30,
      time_zone: 'Europe/Rome',
      starts_at: '2028-01-01T00:00:00Z',
    });
    expect(iso(occurrencesBetween(on30, at('2028-01-01T00:00:00Z'), at('2028-05-01T00:00:00Z')))).toEqual([
      '2028-01-30T08:00:00.000Z',
      '2028-02-29T08:00:00.000Z',
      '2028-03-30T07:00:00.000Z',
      '2028-04-30T07:00:00.000Z',
    ]);
  });

  test('quarterly on the 31st: January, April (30th), July and October, in Rome', () => {
    const quarterly = sched({
      frequency: 'quarterly',
      day_of_month: 31,
      time_zone: 'Europe/Rome',
      starts_at: '2026-01-01T00:00:00Z',
    });
    // 31 Jan 09:00 CET, 30 Apr and 31 Jul 09:00 CEST, 31 Oct 09:00 CET (after the 25 October change).
    expect(
      iso(occurrencesBetween(quarterly, at('2026-01-01T00:00:00Z'), at('2027-05-01T00:00:00Z'))),
    ).toEqual([
      '2026-01-31T08:00:00.000Z',
      '2026-04-30T07:00:00.000Z',
      '2026-07-31T07:00:00.000Z',
      '2026-10-31T08:00:00.000Z',
      '2027-01-31T08:00:00.000Z',
      '2027-04-30T07:00:00.000Z',
    ]);
  });

  test('without day_of_month, the local day of starts_at (23:30Z on 30 January is 31 January in Rome)', () => {
    const monthly = sched({
      frequency: 'monthly',
      time_zone: 'Europe/Rome',
      time: '10:00',
      starts_at: '2026-01-30T23:30:00Z',
    });
    expect(iso(occurrencesBetween(monthly, at('2026-01-01T00:00:00Z'), at('2026-04-01T00:00:00Z')))).toEqual([
      '2026-01-31T09:00:00.000Z',
      '2026-02-28T09:00:00.000Z',
      '2026-03-31T08:00:00.000Z',
    ]);
  });
});

describe('weekly across daylight-saving changes', () => {
  test('Europe/Rome, Monday 09:00: one hour earlier in UTC from spring, back in autumn', () => {
    const weekly = sched({
      frequency: 'weekly',
      weekday: 1,
      time_zone: 'Europe/Rome',
      starts_at: '2026-01-01T00:00:00Z',
    });
    expect(iso(occurrencesBetween(weekly, at('2026-03-22T00:00:00Z'), at('2026-04-01T00:00:00Z')))).toEqual([
      '2026-03-23T08:00:00.000Z',
      '2026-03-30T07:00:00.000Z',
    ]);
    expect(iso(occurrencesBetween(weekly, at('2026-10-18T00:00:00Z'), at('2026-10-28T00:00:00Z')))).toEqual([
      '2026-10-19T07:00:00.000Z',
      '2026-10-26T08:00:00.000Z',
    ]);
  });

  test('Europe/Rome, Sunday 02:30: the gap sends at 03:00 CEST, the repeated hour once at its first pass', () => {
    const weekly = sched({
      frequency: 'weekly',
      weekday: 7,
      time: '02:30',
      time_zone: 'Europe/Rome',
      starts_at: '2026-01-01T00:00:00Z',
    });
    // 22 March 02:30 CET; 29 March 02:30 does not exist → 03:00 CEST = 01:00Z; 5 April 02:30 CEST.
    expect(iso(occurrencesBetween(weekly, at('2026-03-20T00:00:00Z'), at('2026-04-06T00:00:00Z')))).toEqual([
      '2026-03-22T01:30:00.000Z',
      '2026-03-29T01:00:00.000Z',
      '2026-04-05T00:30:00.000Z',
    ]);
    // 25 October 02:30 happens at 00:30Z (CEST) and again at 01:30Z (CET): only the first counts.
    expect(iso(occurrencesBetween(weekly, at('2026-10-17T00:00:00Z'), at('2026-11-02T00:00:00Z')))).toEqual([
      '2026-10-18T00:30:00.000Z',
      '2026-10-25T00:30:00.000Z',
      '2026-11-01T01:30:00.000Z',
    ]);
    // Asking from between the two passes finds no second send that day.
    expect(nextOccurrence(weekly, at('2026-10-25T00:30:00Z'))?.toISOString()).toBe(
      '2026-11-01T01:30:00.000Z',
    );
  });

  test('America/New_York, Sunday 02:30 and 01:30: the gap and the repeated hour', () => {
    const gap = sched({
      frequency: 'weekly',
      weekday: 7,
      time: '02:30',
      time_zone: 'America/New_York',
      starts_at: '2026-01-01T00:00:00Z',
    });
    // 1 March 02:30 EST; 8 March 02:30 does not exist → 03:00 EDT = 07:00Z; 15 March 02:30 EDT.
    expect(iso(occurrencesBetween(gap, at('2026-03-01T00:00:00Z'), at('2026-03-16T00:00:00Z')))).toEqual([
      '2026-03-01T07:30:00.000Z',
      '2026-03-08T07:00:00.000Z',
      '2026-03-15T06:30:00.000Z',
    ]);
    const repeated = sched({
      frequency: 'weekly',
      weekday: 7,
      time: '01:30',
      time_zone: 'America/New_York',
      starts_at: '2026-01-01T00:00:00Z',
    });
    // 1 November 01:30 happens at 05:30Z (EDT) and 06:30Z (EST): sent at the first; 8 November 01:30 EST.
    expect(iso(occurrencesBetween(repeated, at('2026-10-25T00:00:00Z'), at('2026-11-09T00:00:00Z')))).toEqual(
      ['2026-10-25T05:30:00.000Z', '2026-11-01T05:30:00.000Z', '2026-11-08T06:30:00.000Z'],
    );
  });

  test('America/New_York, Wednesday 17:00 in both directions', () => {
    const weekly = sched({
      frequency: 'weekly',
      weekday: 3,
      time: '17:00',
      time_zone: 'America/New_York',
      starts_at: '2026-01-01T00:00:00Z',
    });
    expect(iso(occurrencesBetween(weekly, at('2026-03-02T00:00:00Z'), at('2026-03-12T00:00:00Z')))).toEqual([
      '2026-03-04T22:00:00.000Z',
      '2026-03-11T21:00:00.000Z',
    ]);
    expect(iso(occurrencesBetween(weekly, at('2026-10-26T00:00:00Z'), at('2026-11-05T00:00:00Z')))).toEqual([
      '2026-10-28T21:00:00.000Z',
      '2026-11-04T22:00:00.000Z',
    ]);
  });

  test('UTC without weekday: the weekday of starts_at (1 January 2026 is a Thursday)', () => {
    const weekly = sched({ frequency: 'weekly', time: '07:15', starts_at: '2026-01-01T00:00:00Z' });
    expect(iso(occurrencesBetween(weekly, at('2025-12-01T00:00:00Z'), at('2026-01-16T00:00:00Z')))).toEqual([
      '2026-01-01T07:15:00.000Z',
      '2026-01-08T07:15:00.000Z',
      '2026-01-15T07:15:00.000Z',
    ]);
  });
});

describe('starts, ends and the window asked for', () => {
  // Mondays 09:00 UTC; 5 January 2026 is a Monday.
  const bounded = sched({
    frequency: 'weekly',
    weekday: 1,
    starts_at: '2026-01-05T09:00:00Z',
    ends_at: '2026-01-26T09:00:00Z',
  });

  test('starts_at and ends_at are included; after is excluded and until included', () => {
    expect(iso(occurrencesBetween(bounded, at('2025-01-01T00:00:00Z'), at('2027-01-01T00:00:00Z')))).toEqual([
      '2026-01-05T09:00:00.000Z',
      '2026-01-12T09:00:00.000Z',
      '2026-01-19T09:00:00.000Z',
      '2026-01-26T09:00:00.000Z',
    ]);
    expect(iso(occurrencesBetween(bounded, at('2026-01-05T09:00:00Z'), at('2026-01-19T09:00:00Z')))).toEqual([
      '2026-01-12T09:00:00.000Z',
      '2026-01-19T09:00:00.000Z',
    ]);
    expect(nextOccurrence(bounded, at('2026-01-26T09:00:00Z'))).toBeNull();
  });

  test('a send instant before starts_at (same day, earlier hour) is not sent', () => {
    const weekly = sched({ frequency: 'weekly', weekday: 1, starts_at: '2026-01-05T10:00:00Z' });
    expect(nextOccurrence(weekly, at('2026-01-01T00:00:00Z'))?.toISOString()).toBe(
      '2026-01-12T09:00:00.000Z',
    );
  });

  test('once: starts_at only', () => {
    const once = sched({ frequency: 'once', starts_at: '2026-03-10T14:45:00+01:00' });
    expect(iso(occurrencesBetween(once, at('2026-01-01T00:00:00Z'), at('2027-01-01T00:00:00Z')))).toEqual([
      '2026-03-10T13:45:00.000Z',
    ]);
    expect(occurrencesBetween(once, at('2026-03-10T13:45:00Z'), at('2027-01-01T00:00:00Z'))).toEqual([]);
    expect(occurrencesBetween(once, at('2026-01-01T00:00:00Z'), at('2026-03-10T13:44:59Z'))).toEqual([]);
  });
});

describe('dueOccurrence: the one wave to send now', () => {
  const mondays = sched({ frequency: 'weekly', weekday: 1, starts_at: '2026-01-05T09:00:00Z' });

  test('after downtime, only the latest missed wave', () => {
    // Last sent 5 January; the server comes back on Wednesday 4 February: 12, 19, 26 January are skipped.
    const due = dueOccurrence(mondays, at('2026-01-05T09:00:00Z'), at('2026-02-04T12:00:00Z'));
    expect(due?.toISOString()).toBe('2026-02-02T09:00:00.000Z');
    expect(dueOccurrence(mondays, due, at('2026-02-04T12:00:00Z'))).toBeNull();
    expect(dueOccurrence(mondays, due, at('2026-02-09T09:00:00Z'))?.toISOString()).toBe(
      '2026-02-09T09:00:00.000Z',
    );
    expect(dueOccurrence(mondays, null, at('2026-01-05T09:00:00Z'))?.toISOString()).toBe(
      '2026-01-05T09:00:00.000Z',
    );
    expect(dueOccurrence(mondays, null, at('2026-01-05T08:59:59Z'))).toBeNull();
  });

  test('never past ends_at', () => {
    const ended = sched({ ...mondays, ends_at: '2026-01-20T00:00:00Z' });
    expect(dueOccurrence(ended, null, at('2026-06-01T00:00:00Z'))?.toISOString()).toBe(
      '2026-01-19T09:00:00.000Z',
    );
    expect(dueOccurrence(ended, at('2026-01-19T09:00:00Z'), at('2026-06-01T00:00:00Z'))).toBeNull();
  });

  test('month ends: the kept run, not the extra last-day run', () => {
    const on30 = sched({ frequency: 'monthly', day_of_month: 30, starts_at: '2026-01-01T00:00:00Z' });
    // Before 1 February the candidate runs are 31 January (last day, dropped) and 30 January (kept).
    expect(dueOccurrence(on30, null, at('2026-02-01T00:00:00Z'))?.toISOString()).toBe(
      '2026-01-30T09:00:00.000Z',
    );
    expect(dueOccurrence(on30, null, at('2026-03-15T00:00:00Z'))?.toISOString()).toBe(
      '2026-02-28T09:00:00.000Z',
    );
  });

  test('the spring-forward gap: due at 03:00 CEST', () => {
    const sundays = sched({
      frequency: 'weekly',
      weekday: 7,
      time: '02:30',
      time_zone: 'Europe/Rome',
      starts_at: '2026-01-01T00:00:00Z',
    });
    expect(dueOccurrence(sundays, at('2026-03-22T01:30:00Z'), at('2026-03-29T00:59:59Z'))).toBeNull();
    expect(
      dueOccurrence(sundays, at('2026-03-22T01:30:00Z'), at('2026-03-29T01:00:00Z'))?.toISOString(),
    ).toBe('2026-03-29T01:00:00.000Z');
  });

  test('once: due from starts_at until sent', () => {
    const once = sched({ frequency: 'once', starts_at: '2026-03-10T13:45:00Z' });
    expect(dueOccurrence(once, null, at('2026-03-10T13:44:00Z'))).toBeNull();
    expect(dueOccurrence(once, null, at('2026-04-01T00:00:00Z'))?.toISOString()).toBe(
      '2026-03-10T13:45:00.000Z',
    );
    expect(dueOccurrence(once, at('2026-03-10T13:45:00Z'), at('2026-04-01T00:00:00Z'))).toBeNull();
  });
});

test('reminders: whole 24-hour days later (10:00 CET on 26 March becomes 11:00 CEST after the change)', () => {
  expect(iso(reminderInstants(at('2026-03-26T09:00:00Z'), [3, 7]))).toEqual([
    '2026-03-29T09:00:00.000Z',
    '2026-04-02T09:00:00.000Z',
  ]);
  expect(reminderInstants(at('2026-03-26T09:00:00Z'), [])).toEqual([]);
});

describe('scheduleIssues', () => {
  test('a sound schedule has none', () => {
    expect(
      scheduleIssues(
        sched({
          frequency: 'quarterly',
          day_of_month: 31,
          time_zone: 'Asia/Kuala_Lumpur',
          starts_at: '2026-01-01T00:00:00Z',
        }),
      ),
    ).toEqual([]);
  });

  test('each problem names its field', () => {
    const issues = (input: Parameters<typeof sched>[0]) => scheduleIssues(sched(input));
    expect(
      issues({ frequency: 'weekly', time_zone: 'Mars/Olympus', starts_at: '2026-01-01T00:00:00Z' }),
    ).toEqual(['time_zone "Mars/Olympus" is not an IANA time zone (e.g. Europe/Rome)']);
    expect(
      issues({ frequency: 'weekly', starts_at: '2026-02-01T00:00:00Z', ends_at: '2026-01-01T00:00:00Z' }),
    ).toEqual(['ends_at (2026-01-01T00:00:00Z) is before starts_at (2026-02-01T00:00:00Z)']);
    expect(issues({ frequency: 'monthly', weekday: 2, starts_at: '2026-01-01T00:00:00Z' })).toEqual([
      'weekday applies to weekly schedules only, not to a monthly one',
    ]);
    expect(issues({ frequency: 'weekly', day_of_month: 2, starts_at: '2026-01-01T00:00:00Z' })).toEqual([
      'day_of_month applies to monthly and quarterly schedules only, not to a weekly one',
    ]);
    expect(
      issues({ frequency: 'once', starts_at: '2026-01-01T00:00:00Z', ends_at: '2026-02-01T00:00:00Z' }),
    ).toEqual(['ends_at does not apply to a once schedule: it sends at starts_at only']);
    // Monthly on the 15th from 1 January, ending 10 January: no send at all.
    expect(
      issues({
        frequency: 'monthly',
        day_of_month: 15,
        starts_at: '2026-01-01T00:00:00Z',
        ends_at: '2026-01-10T00:00:00Z',
      }),
    ).toEqual([
      'ends_at (2026-01-10T00:00:00Z) leaves no send instant after starts_at (2026-01-01T00:00:00Z)',
    ]);
  });
});
