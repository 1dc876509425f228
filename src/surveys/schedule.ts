// When a scheduled survey sends its waves: the instants of a schedule, the wave that is due now, reminders.
//
// croner turns a weekly, monthly or quarterly schedule into a cron pattern in the schedule's time zone and
// finds its runs, including across daylight-saving changes: a local time that does not exist (the spring-forward
// gap) runs at the first instant after the gap, and a local time that occurs twice (fall back) runs once, at its
// first occurrence. What croner lacks is "day 29–31, or the month's last day when it is shorter": for those days
// the pattern asks for the day or the last day (`30,L`), and we keep, per month, only the run on the earlier of
// the two. Starts and ends, the once-only schedule and the defaults taken from starts_at are ours too.
// The functions but scheduleIssues expect a schedule it finds nothing wrong with.
import { Cron } from 'croner';
import { civilDateOf, requireTimeZone } from '../domain/time.js';
import type { Schedule } from './survey.js';

const DAY_MS = 86_400_000;

/** The local day of the month and weekday (1 = Monday … 7 = Sunday) of an instant in a zone. */
function localDay(
  instant: Date,
  zone: string,
): { year: number; month: number; day: number; weekday: number } {
  const date = civilDateOf(instant, zone);
  const weekday = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay() || 7;
  return { ...date, weekday };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A recurring schedule as a croner job, and which of its runs to keep. */
interface Recurrence {
  job: Cron;
  keep: (run: Date) => boolean;
}

function recurrence(schedule: Schedule): Recurrence {
  const zone = schedule.time_zone;
  const [hour, minute] = schedule.time.split(':').map(Number);
  const start = localDay(new Date(schedule.starts_at), zone);
  let days = '*';
  let months = '*';
  let weekdays = '*';
  let keep: Recurrence['keep'] = () => true;
  if (schedule.frequency === 'weekly') {
    // croner reads 7 as Sunday as we do; 1–6 are Monday–Saturday in both.
    weekdays = String(schedule.weekday ?? start.weekday);
  } else {
    const day = schedule.day_of_month ?? start.day;
    if (schedule.frequency === 'quarterly') months = '1,4,7,10';
    days = String(day);
    if (day > 28) {
      days = `${day},L`;
      keep = (run) => {
        const local = localDay(run, zone);
        return local.day === Math.min(day, daysInMonth(local.year, local.month));
      };
    }
  }
  const job = new Cron(`0 ${minute} ${hour} ${days} ${months} ${weekdays}`, { timezone: zone, paused: true });
  return { job, keep };
}

/** The schedule's send instants after `after`, in order, within [starts_at, ends_at]. */
function* occurrences(schedule: Schedule, after: Date): Generator<Date> {
  const startsAt = new Date(schedule.starts_at);
  const endsAt = schedule.ends_at ? new Date(schedule.ends_at) : null;
  if (schedule.frequency === 'once') {
    if (startsAt > after) yield startsAt;
    return;
  }
  const { job, keep } = recurrence(schedule);
  // croner's runs are strictly after the instant it is given.
  let cursor = new Date(Math.max(after.getTime(), startsAt.getTime() - 1));
  for (;;) {
    const run = job.nextRun(cursor);
    if (!run || (endsAt && run > endsAt)) return;
    if (keep(run)) yield run;
    cursor = run;
  }
}

/**
 * Every send instant s of the schedule with after < s ≤ until (and within starts_at … ends_at).
 * @example occurrencesBetween(monthlyOn31st, new Date('2028-01-01Z'), new Date('2028-04-01Z')) // Jan 31, Feb 29, Mar 31
 */
export function occurrencesBetween(schedule: Schedule, after: Date, until: Date): Date[] {
  const found: Date[] = [];
  for (const run of occurrences(schedule, after)) {
    if (run > until) break;
    found.push(run);
  }
  return found;
}

/** The first send instant after `after`, or null when the schedule has ended. */
export function nextOccurrence(schedule: Schedule, after: Date): Date | null {
  const { value } = occurrences(schedule, after).next();
  return value ?? null;
}

/**
 * The wave to send now: the latest send instant ≤ now that is after `lastScheduledFor` (the last wave sent), or
 * null. A server that was down sends only the latest wave it missed, not one per missed instant.
 */
export function dueOccurrence(schedule: Schedule, lastScheduledFor: Date | null, now: Date): Date | null {
  const startsAt = new Date(schedule.starts_at);
  const endsAt = schedule.ends_at ? new Date(schedule.ends_at) : null;
  let latest: Date | null = null;
  if (schedule.frequency === 'once') {
    latest = startsAt;
  } else {
    const { job, keep } = recurrence(schedule);
    // croner's previous runs are strictly before the instant it is given; of two runs in a row, one is kept.
    const bound = endsAt && endsAt < now ? endsAt : now;
    latest = job.previousRuns(2, new Date(bound.getTime() + 1)).find(keep) ?? null;
  }
  if (!latest || latest > now || latest < startsAt || (endsAt && latest > endsAt)) return null;
  if (lastScheduledFor && latest <= lastScheduledFor) return null;
  return latest;
}

/**
 * When the reminders of a wave sent at `scheduledFor` go out: `afterDays` whole days of 24 hours later each (so
 * across a daylight-saving change the local time moves by an hour; reminders need no fixed wall time).
 */
export function reminderInstants(scheduledFor: Date, afterDays: readonly number[]): Date[] {
  return afterDays.map((days) => new Date(scheduledFor.getTime() + days * DAY_MS));
}

/** What is wrong with a schedule the zod schema accepted, one message per problem, each naming its field. */
export function scheduleIssues(schedule: Schedule): string[] {
  const issues: string[] = [];
  let zoneKnown = true;
  try {
    requireTimeZone(schedule.time_zone);
  } catch {
    zoneKnown = false;
    issues.push(`time_zone "${schedule.time_zone}" is not an IANA time zone (e.g. Europe/Rome)`);
  }
  const { frequency } = schedule;
  if (schedule.weekday !== undefined && frequency !== 'weekly') {
    issues.push(`weekday applies to weekly schedules only, not to a ${frequency} one`);
  }
  if (schedule.day_of_month !== undefined && frequency !== 'monthly' && frequency !== 'quarterly') {
    issues.push(`day_of_month applies to monthly and quarterly schedules only, not to a ${frequency} one`);
  }
  if (schedule.ends_at !== undefined) {
    if (frequency === 'once') {
      issues.push('ends_at does not apply to a once schedule: it sends at starts_at only');
    } else if (new Date(schedule.ends_at) < new Date(schedule.starts_at)) {
      issues.push(`ends_at (${schedule.ends_at}) is before starts_at (${schedule.starts_at})`);
    } else if (zoneKnown && !nextOccurrence(schedule, new Date(new Date(schedule.starts_at).getTime() - 1))) {
      issues.push(
        `ends_at (${schedule.ends_at}) leaves no send instant after starts_at (${schedule.starts_at})`,
      );
    }
  }
  return issues;
}
