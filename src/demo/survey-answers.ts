// Writes an account's survey answers: NPS every six months, CSAT/FCR after tickets, CES after onboarding.
// Scores follow the account's fit and sink in the months before it cancels.
import type { AccountProfile } from './account-profile.js';
import type { AccountRun } from './account-run.js';
import { officeTime } from './business-hours.js';
import { customerComment, type Sentiment } from './customer-comments.js';
import { F, type FileRows } from './demo-files.js';
import { DAY, iso } from './instants.js';
import type { Rng } from './random.js';
import type { ResolvedTicket } from './support-tickets.js';

/** The answer-writing state of one account. */
interface Survey {
  out: FileRows;
  p: AccountProfile;
  rng: Rng;
  n: number;
  /** ces answers before this instant use the old 5-point scale, later ones 7 points. */
  cesScaleChange: number;
}

export function writeAnswers(run: AccountRun, tickets: readonly ResolvedTicket[]): void {
  const { out, p, tl, mood, rng, horizon } = run;
  const s: Survey = { out, p, rng, n: 0, cesScaleChange: run.ctx.cesScaleChange };
  for (const stint of tl.stints) {
    const end = Math.min(stint.end, horizon);
    for (let at = stint.start + 30 * DAY; at < end; at += 182 * DAY) {
      const when = officeTime(rng, p, at + rng.int(0, 6) * DAY);
      if (when < end && rng.chance(0.3 + 0.15 * p.fit)) nps(s, when, mood.distress(when));
    }
  }
  const onboarded = tl.stints[0] && tl.stints[0].start + rng.int(14, 30) * DAY;
  if (onboarded && onboarded < horizon && rng.chance(0.3)) {
    ces(s, onboarded, mood.distress(onboarded), 1);
  }
  for (const t of tickets) {
    const d = mood.distress(t.resolved);
    const after = (h: number) => Math.floor((t.resolved + rng.int(600, h * 3600) * 1000) / 1000) * 1000;
    let at = after(36);
    if (at < horizon && rng.chance(0.42)) csat(s, at, d, t.contacts);
    at = after(48);
    if (at < horizon && rng.chance(0.22)) fcr(s, at, d, t.contacts);
    at = after(48);
    if (at < horizon && rng.chance(0.1)) ces(s, at, d, t.contacts);
  }
}

function nps(s: Survey, at: number, d: number): void {
  const score = clampScore(6.6 + 3.2 * s.p.fit - 4.5 * d + 1.6 * s.rng.normal(), 0, 10);
  const sentiment = score >= 9 ? 'positive' : score >= 7 ? 'neutral' : 'negative';
  const chance = sentiment === 'negative' ? 0.5 : sentiment === 'positive' ? 0.35 : 0.25;
  answer(s, at, 'nps', score, '', chance, sentiment);
}

function csat(s: Survey, at: number, d: number, contacts: number): void {
  const score = clampScore(4.3 + 1.1 * s.p.fit - 1.9 * d - 0.3 * (contacts - 1) + 0.8 * s.rng.normal(), 1, 5);
  const sentiment = score >= 4 ? 'positive' : score === 3 ? 'neutral' : 'negative';
  answer(s, at, 'csat', score, '', sentiment === 'negative' ? 0.45 : 0.2, sentiment);
}

function fcr(s: Survey, at: number, d: number, contacts: number): void {
  // People mostly agree with the ticket's own record, less so when they are unhappy anyway.
  const yes = contacts === 1 ? s.rng.chance(0.92 - 0.3 * d) : s.rng.chance(0.15);
  answer(s, at, 'fcr', yes ? 1 : 0, '', 0, 'neutral');
}

/** CES: 1 = very easy. */
function ces(s: Survey, at: number, d: number, contacts: number): void {
  const seven = 2.7 - 1.2 * s.p.fit + 2.6 * d + 0.5 * (contacts - 1) + 1.1 * s.rng.normal();
  const scale = at < s.cesScaleChange ? 5 : 7;
  const score = scale === 7 ? clampScore(seven, 1, 7) : clampScore(1 + ((seven - 1) * 4) / 6, 1, 5);
  answer(s, at, 'ces', score, String(scale), 0, 'neutral');
}

function answer(
  s: Survey,
  at: number,
  metric: string,
  score: number,
  scale: string,
  commentChance: number,
  sentiment: Sentiment,
): void {
  s.n++;
  const respondent = `usr_${s.p.num}_${s.rng.int(1, s.p.users)}`;
  const comment = s.rng.chance(commentChance) ? customerComment(s.rng, s.p.locale, sentiment) : '';
  s.out.add(
    F.responses,
    `rsp_${s.p.num}_${s.n},${iso(at)},${metric},${score},${s.p.id},${respondent},${scale},${comment},${s.p.locale},\n`,
  );
}

function clampScore(x: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.round(x)));
}
