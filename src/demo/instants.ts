// Instants as epoch milliseconds: calendar steps and a fast ISO-8601 writer (the generator formats ~10^8 of them).

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** The first instant (00:00Z) of the month `months` after the month of `ms`. */
export function monthStart(ms: number, months = 0): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1);
}

/** A recurring date, e.g. a billing anchor: same day of month and time, clamped to short months. */
export class MonthlyAnchor {
  private readonly year: number;
  private readonly month: number;
  private readonly day: number;
  private readonly timeOfDay: number;

  constructor(readonly at: number) {
    const d = new Date(at);
    this.year = d.getUTCFullYear();
    this.month = d.getUTCMonth();
    this.day = d.getUTCDate();
    this.timeOfDay = at - Date.UTC(this.year, this.month, this.day);
  }

  /** The anchor `k` months on (k = 0 is the anchor itself). */
  plus(k: number): number {
    const months = this.month + k;
    const year = this.year + Math.floor(months / 12);
    const month = months - 12 * Math.floor(months / 12);
    return daysFromCivil(year, month, Math.min(this.day, daysInMonth(year, month))) * DAY + this.timeOfDay;
  }
}

function daysInMonth(year: number, month: number): number {
  const m = month + 1;
  if (m !== 2) return 30 + ((m + (m >> 3)) & 1);
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (month 0–11), without a Date object (hot path). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month < 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * ((month + 10) % 12) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

const two = (n: number) => (n < 10 ? `0${n}` : String(n));
let clockTimes: string[] | undefined;
const dayPrefixes = new Map<number, string>();

/** "HH:MM:SSZ" for every second of a day, built on first use. */
function timesOfDay(): string[] {
  if (!clockTimes) {
    clockTimes = new Array<string>(86_400);
    for (let s = 0; s < 86_400; s++) {
      clockTimes[s] = `${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}Z`;
    }
  }
  return clockTimes;
}

/**
 * ISO-8601 UTC at second precision, e.g. 2025-03-01T10:15:00Z (KPI-SPEC §1).
 * @example iso(Date.UTC(2025, 2, 1, 10, 15)) // '2025-03-01T10:15:00Z'
 */
export function iso(ms: number): string {
  const day = Math.floor(ms / DAY);
  return dayPrefix(day) + timesOfDay()[Math.floor((ms - day * DAY) / 1000)]!;
}

/** "YYYY-MM-DDT" of a day counted from 1970-01-01 (cached: a run touches about 1,100 days). */
export function dayPrefix(day: number): string {
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * DAY).toISOString().slice(0, 11);
    dayPrefixes.set(day, prefix);
  }
  return prefix;
}

/** Weekday of an instant, 0 = Sunday … 6 = Saturday. */
export function weekday(ms: number): number {
  return (Math.floor(ms / DAY) + 4) % 7;
}
