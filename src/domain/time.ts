// Instants, calendar periods and time zones (KPI-SPEC §1). Pure functions, no I/O.
import { FidelioError } from './errors.js';

export const PERIOD_KINDS = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

/** A half-open interval [start, end) of instants. */
export interface Period {
  start: Date;
  end: Date;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)$/i;

/**
 * Parses an ISO-8601 date (00:00 UTC) or a date-time with an offset or `Z`; null when it is neither.
 * @example parseInstant('2025-03-01') // 2025-03-01T00:00:00.000Z
 */
export function parseInstant(text: string): Date | null {
  const value = text.trim();
  if (DATE_ONLY.test(value)) {
    const date = new Date(`${value}T00:00:00Z`);
    return isRealDate(date, value) ? date : null;
  }
  if (!DATE_TIME.test(value)) return null;
  const date = new Date(value.replace(' ', 'T'));
  return isRealDate(date, value) ? date : null;
}

function isRealDate(date: Date, text: string): boolean {
  if (Number.isNaN(date.getTime())) return false;
  // Date() rolls 2025-02-30 over to March; compare the calendar fields it kept.
  const [y, m, d] = text.slice(0, 10).split('-').map(Number);
  const local = DATE_ONLY.test(text) ? date : new Date(`${text.slice(0, 10)}T00:00:00Z`);
  return local.getUTCFullYear() === y && local.getUTCMonth() + 1 === m && local.getUTCDate() === d;
}

/** Parses a command-line instant or throws a usage error naming the option. */
export function requireInstant(text: string, option: string): Date {
  const date = parseInstant(text);
  if (!date) {
    throw new FidelioError(
      'usage',
      'invalid_instant',
      `${option} "${text}" is not an ISO-8601 date (2025-03-01) or date-time with an offset (2025-03-01T10:00:00Z)`,
    );
  }
  return date;
}

/** Zones already checked: building a formatter per request costs more than a cached report takes to send. */
const knownZones = new Set<string>();

/** Checks that a time-zone name is known to this runtime's ICU data. */
export function requireTimeZone(zone: string): string {
  if (knownZones.has(zone)) return zone;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    if (knownZones.size < 1000) knownZones.add(zone);
    return zone;
  } catch {
    throw new FidelioError(
      'usage',
      'invalid_time_zone',
      `--tz "${zone}" is not an IANA time zone (e.g. Europe/Rome)`,
    );
  }
}

interface CivilDate {
  year: number;
  month: number; // 1-12
  day: number;
}

/** The UTC instant of 00:00 on a civil date in a zone (the first instant of that day when DST skips midnight). */
export function zonedMidnight(date: CivilDate, zone: string): Date {
  const guess = Date.UTC(date.year, date.month - 1, date.day);
  if (zone === 'UTC') return new Date(guess);
  // Two rounds settle the offset even when the first guess lands on the other side of a DST change.
  let instant = guess - offsetMinutes(new Date(guess), zone) * 60_000;
  instant = guess - offsetMinutes(new Date(instant), zone) * 60_000;
  return new Date(instant);
}

function offsetMinutes(instant: Date, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/** The civil date an instant falls on in a zone. */
export function civilDateOf(instant: Date, zone: string): CivilDate {
  const shifted = new Date(instant.getTime() + offsetMinutes(instant, zone) * 60_000);
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

function addCivil(date: CivilDate, kind: PeriodKind, count: number): CivilDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day));
  if (kind === 'day') d.setUTCDate(d.getUTCDate() + count);
  if (kind === 'week') d.setUTCDate(d.getUTCDate() + 7 * count);
  if (kind === 'month') d.setUTCMonth(d.getUTCMonth() + count);
  if (kind === 'quarter') d.setUTCMonth(d.getUTCMonth() + 3 * count);
  if (kind === 'year') d.setUTCFullYear(d.getUTCFullYear() + count);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** The first civil day of the calendar period containing a civil date (weeks start Monday, ISO). */
function periodStartOf(date: CivilDate, kind: PeriodKind): CivilDate {
  switch (kind) {
    case 'day':
      return date;
    case 'week': {
      const weekday = (new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay() + 6) % 7;
      return addCivil(date, 'day', -weekday);
    }
    case 'month':
      return { year: date.year, month: date.month, day: 1 };
    case 'quarter':
      return { year: date.year, month: date.month - ((date.month - 1) % 3), day: 1 };
    case 'year':
      return { year: date.year, month: 1, day: 1 };
  }
}

/** Upper bound on periods in one report, so a typo (--period day over a century) fails fast. */
export const MAX_PERIODS = 5000;

/**
 * The calendar periods of `kind` in `zone` that intersect [from, to), clipped to [from, to).
 * @example calendarPeriods(new Date('2025-01-01'), new Date('2025-03-01'), 'month', 'UTC') // Jan, Feb
 */
export function calendarPeriods(from: Date, to: Date, kind: PeriodKind, zone = 'UTC'): Period[] {
  if (to.getTime() <= from.getTime()) {
    throw new FidelioError(
      'usage',
      'empty_range',
      `--to (${to.toISOString()}) must be after --from (${from.toISOString()})`,
    );
  }
  const periods: Period[] = [];
  let civil = periodStartOf(civilDateOf(from, zone), kind);
  let start = from;
  while (start.getTime() < to.getTime()) {
    civil = addCivil(civil, kind, 1);
    const boundary = zonedMidnight(civil, zone);
    if (boundary.getTime() <= start.getTime()) continue;
    const end = boundary.getTime() < to.getTime() ? boundary : to;
    periods.push({ start, end });
    if (periods.length > MAX_PERIODS) {
      throw new FidelioError(
        'usage',
        'too_many_periods',
        `more than ${MAX_PERIODS} ${kind} periods; use a coarser --period`,
      );
    }
    start = end;
  }
  return periods;
}

/** Months in one period of a kind, for turning a period's churn rate into a monthly one. */
export function monthsPerPeriod(kind: PeriodKind): number {
  const monthsPerDay = 12 / 365.25;
  return { day: monthsPerDay, week: 7 * monthsPerDay, month: 1, quarter: 3, year: 12 }[kind];
}
