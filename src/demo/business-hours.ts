// Places events in the account's working day, so activity follows office hours in its own time zone.
import type { AccountProfile } from './account-profile.js';
import { DAY, HOUR, weekday } from './instants.js';
import type { Rng } from './random.js';

/**
 * A time during office hours (08:00–19:00 local) on the day containing `at`, moved off weekends
 * most of the time, at second precision.
 */
export function officeTime(rng: Rng, p: AccountProfile, at: number): number {
  let day = Math.floor(at / DAY) * DAY;
  const dow = weekday(day);
  if ((dow === 0 || dow === 6) && rng.chance(0.85)) day += (dow === 6 ? 2 : 1) * DAY;
  const local = 8 * HOUR + rng.next() * 11 * HOUR;
  return Math.floor((day + local - p.utcOffset * HOUR) / 1000) * 1000;
}
