// Writes the monthly employee eNPS pulse: anonymous answers by team from a headcount that grows with
// the company but not with its customer count; a three-person legal team is always below the
// suppression threshold (KPI-SPEC §5).
import type { Locale } from './account-profile.js';
import type { DemoContext } from './demo-context.js';
import { F, FileRows } from './demo-files.js';
import { DEMO_MONTHS } from './demo-settings.js';
import { employeeComment } from './employee-comments.js';
import { DAY, HOUR, iso, monthStart, weekday } from './instants.js';
import { mixSeed, Rng, Weighted } from './random.js';

const PULSE_STREAM = 0xe495;
const TEAMS = new Weighted([
  ['engineering', 38],
  ['sales', 22],
  ['support', 20],
  ['marketing', 10],
  ['finance', 6],
  ['people', 4],
]);
/** Mean score by team; support's mood sinks as the customer base (and its ticket queue) grows. */
const TEAM_MOOD: Record<string, number> = {
  engineering: 8.5,
  sales: 7.8,
  support: 8.2,
  marketing: 8.1,
  finance: 7.9,
  people: 8.6,
  legal: 7.8,
};
const LOCALES = new Weighted<Locale>([
  ['en', 55],
  ['it', 30],
  ['fr', 10],
  ['ms', 5],
]);
const LEGAL_TEAM = 3;
const PARTICIPATION = 0.6;

export function employeeHeadcount(accounts: number): number {
  return Math.min(50 + Math.floor(accounts / 100), 2000);
}

export function employeePulse(ctx: DemoContext): FileRows {
  const out = new FileRows();
  const rng = new Rng(mixSeed(ctx.settings.seed, PULSE_STREAM));
  const finalHeadcount = employeeHeadcount(ctx.settings.accounts);
  const staff = Array.from({ length: finalHeadcount + LEGAL_TEAM }, (_, e) => {
    const person = new Rng(mixSeed(ctx.settings.seed, PULSE_STREAM, e));
    return { team: e < LEGAL_TEAM ? 'legal' : TEAMS.draw(person), locale: LOCALES.draw(person) };
  });
  staff.forEach(({ team, locale }, e) => {
    out.add(F.contacts, `emp_${e + 1},employee,employee${e + 1}@fidelio-demo.example,,,${locale},${team}\n`);
  });
  for (let m = 0; m < DEMO_MONTHS; m++) {
    const sent = firstWeekday(monthStart(ctx.window.start, m));
    const headcount = LEGAL_TEAM + Math.round(finalHeadcount * (0.45 + (0.55 * m) / (DEMO_MONTHS - 1)));
    const month = new Date(sent).toISOString().slice(0, 7).replace('-', '');
    for (let e = 0; e < headcount; e++) {
      if (!rng.chance(PARTICIPATION)) continue;
      const { team, locale } = staff[e]!;
      const drift = team === 'support' ? (1.2 * m) / DEMO_MONTHS : 0;
      const score = Math.min(10, Math.max(0, Math.round(TEAM_MOOD[team]! - drift + 1.6 * rng.normal())));
      const sentiment = score >= 9 ? 'positive' : score >= 7 ? 'neutral' : 'negative';
      const comment = rng.chance(0.25) ? employeeComment(rng, locale, sentiment) : '';
      const at = Math.floor((sent + rng.next() * 6 * DAY) / 1000) * 1000;
      out.add(
        F.responses,
        `enps_${month}_${e + 1},${iso(at)},enps,${score},,,,${comment},${locale},${team}\n`,
      );
    }
  }
  return out;
}

/** 09:00Z on the first weekday of the month starting at `start`: when the pulse goes out. */
function firstWeekday(start: number): number {
  let day = start;
  while (weekday(day) % 6 === 0) day += DAY;
  return day + 9 * HOUR;
}
