// Writes an account's product usage: sessions of a few events on active days, the value event
// (report_created) days to weeks after sign-up for most accounts, and fading use before churn.
import type { AccountRun } from './account-run.js';
import { officeTime } from './business-hours.js';
import { F } from './demo-files.js';
import { DAY, MINUTE } from './instants.js';
import type { Segment } from './pricing.js';
import { type Rng, Weighted } from './random.js';

/** The event that marks "first value" for time-to-first-value (use --value-event report_created). */
export const VALUE_EVENT = 'report_created';

/** Chance that a calm, paying account is active on a given day. */
const ACTIVE_DAY: Record<Segment, number> = { smb: 0.03, mid_market: 0.06, enterprise: 0.14 };
/** Evaluating accounts try the product more often. */
const TRIAL_BOOST = 3;
const BEFORE_VALUE = new Weighted([
  [',report_viewed', 50],
  [',dashboard_shared', 10],
  [',export_created', 12],
  [',user_invited', 8],
  [',alert_configured', 5],
]);
const AFTER_VALUE = new Weighted([
  [',report_viewed', 45],
  [`,${VALUE_EVENT}`, 15],
  [',dashboard_shared', 12],
  [',export_created', 13],
  [',user_invited', 3],
  [',alert_configured', 5],
]);

interface Sessions {
  run: AccountRun;
  prefix: string;
  users: string[];
  valueAt: number;
}

export function writeUsage(run: AccountRun): void {
  const { p, rng, mood, horizon } = run;
  const reaches = rng.chance(0.55 + 0.4 * p.fit);
  const s: Sessions = {
    run,
    prefix: `${p.id},`,
    users: Array.from({ length: p.users }, (_, i) => `,usr_${p.num}_${i + 1}`),
    valueAt: reaches ? p.createdAt + rng.logNormal(3 * DAY, 1) : Number.POSITIVE_INFINITY,
  };
  for (const span of mood.liveSpans(p.createdAt)) {
    const end = Math.min(span.end, horizon);
    const base = ACTIVE_DAY[p.segment] * (0.4 + 0.9 * p.fit) * (span.trial ? TRIAL_BOOST : 1);
    let day = span.start;
    let at = span.start + rng.int(2, 30) * MINUTE;
    while (true) {
      if (s.valueAt <= at && s.valueAt >= span.start && s.valueAt < end) {
        session(s, Math.floor(s.valueAt / 1000) * 1000, end, true);
        s.valueAt = Number.NEGATIVE_INFINITY;
      }
      if (at >= end) break;
      session(s, at, end, false);
      day += gapDays(rng, base * (1 - 0.9 * mood.distress(day))) * DAY;
      at = officeTime(rng, p, day);
    }
  }
}

/** A user's burst of 2–6 events a few minutes apart, opening with a login; `value` makes the second one the value event. */
function session(s: Sessions, start: number, end: number, value: boolean): void {
  const rng = s.run.rng;
  // A few power users generate most of an account's activity.
  const user = s.users[Math.floor(s.users.length * rng.next() * rng.next())]!;
  const events = value || s.valueAt === Number.NEGATIVE_INFINITY ? AFTER_VALUE : BEFORE_VALUE;
  const count = rng.int(2, 6);
  const usage = s.run.out.file(F.usage);
  let at = start;
  for (let i = 0; i < count && at < end; i++) {
    const event = i === 0 ? ',login' : value && i === 1 ? `,${VALUE_EVENT}` : events.draw(rng);
    usage.ascii(s.prefix).instant(at).ascii(event).ascii(user).end();
    at += rng.int(30, 480) * 1000;
  }
}

/** Days until the next active day, for a daily chance `rate` (geometric). */
function gapDays(rng: Rng, rate: number): number {
  const p = Math.min(0.9, Math.max(0.002, rate));
  return 1 + Math.floor(Math.log(1 - rng.next()) / Math.log(1 - p));
}
