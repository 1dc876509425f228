// Writes an account's support tickets: more of them at the start and in the months before it leaves.
import type { AccountRun } from './account-run.js';
import { officeTime } from './business-hours.js';
import { F } from './demo-files.js';
import { DAY, HOUR, iso } from './instants.js';
import type { Segment } from './pricing.js';
import { Weighted } from './random.js';

/** A resolved ticket of the account, for the surveys that follow it. */
export interface ResolvedTicket {
  resolved: number;
  contacts: number;
}

const MONTH = 30 * DAY;
/** Tickets per live month of a calm account; bigger accounts have more people asking. */
const RATE: Record<Segment, number> = { smb: 0.035, mid_market: 0.08, enterprise: 0.18 };
const CHANNELS = new Weighted([
  ['email', 50],
  ['chat', 35],
  ['phone', 15],
]);

export function writeTickets(run: AccountRun): ResolvedTicket[] {
  const { p, mood, rng, horizon } = run;
  const resolved: ResolvedTicket[] = [];
  let n = 0;
  for (const span of mood.liveSpans(p.createdAt)) {
    for (let from = span.start; from < span.end; from += MONTH) {
      const to = Math.min(span.end, from + MONTH);
      const settling = from - span.start < MONTH ? 0.25 : 0;
      const rate = (RATE[p.segment] * (1 + 6 * mood.distress(from)) + settling) * ((to - from) / MONTH);
      for (let k = rng.poisson(rate); k > 0; k--) {
        const opened = Math.max(span.start, officeTime(rng, p, from + rng.next() * (to - from)));
        if (opened >= horizon) continue;
        n++;
        const ticket = writeTicket(run, `tkt_${p.num}_${n}`, opened, mood.distress(opened));
        if (ticket) resolved.push(ticket);
      }
    }
  }
  return resolved;
}

function writeTicket(
  { out, p, rng, horizon }: AccountRun,
  id: string,
  opened: number,
  distress: number,
): ResolvedTicket | null {
  const channel = CHANNELS.draw(rng);
  // Some requests come from addresses no account is known by.
  const account = rng.chance(0.015) ? '' : p.id;
  const abandoned = rng.chance(channel === 'chat' ? 0.07 : 0.02);
  const contacts = abandoned || rng.chance(0.72 - 0.25 * distress) ? 1 : rng.int(2, 5);
  const hours = rng.logNormal(5 * contacts, 1.1);
  const resolvedAt = Math.floor((opened + hours * HOUR) / 1000) * 1000;
  const open = abandoned || resolvedAt >= horizon || rng.chance(0.015);
  out.add(
    F.tickets,
    `${id},${iso(opened)},${account},${open ? '' : iso(resolvedAt)},${contacts},${channel},${abandoned}\n`,
  );
  // Only known requesters get a survey afterwards.
  return open || account === '' ? null : { resolved: resolvedAt, contacts };
}
