// Writes marketing campaign spend: acquisition costs attributed to no single account (KPI-SPEC §2 costs
// with a blank account_id), in proportion to each month's sign-ups.

import { money } from './csv-text.js';
import type { DemoContext } from './demo-context.js';
import { F, FileRows } from './demo-files.js';
import { DEMO_MONTHS } from './demo-settings.js';
import { DAY, HOUR, iso, monthStart } from './instants.js';
import { mixSeed, Rng } from './random.js';

const CAMPAIGN_STREAM = 0xca4b;
/** Campaign spend per sign-up, in cents (paid search, social, events). */
const SPEND_PER_SIGNUP = 15_000;

export function campaignCosts(ctx: DemoContext): FileRows {
  const out = new FileRows();
  const rng = new Rng(mixSeed(ctx.settings.seed, CAMPAIGN_STREAM));
  for (let m = 0; m < DEMO_MONTHS; m++) {
    const start = monthStart(ctx.window.start, m);
    const days = (monthStart(ctx.window.start, m + 1) - start) / DAY;
    const budget = ctx.settings.accounts * ctx.signups.monthShare(m) * SPEND_PER_SIGNUP;
    const invoices = rng.int(2, 5);
    for (let i = 0; i < invoices; i++) {
      const cents = Math.round((budget / invoices) * (0.7 + 0.6 * rng.next()));
      const at = start + rng.int(0, days - 1) * DAY + rng.int(8, 17) * HOUR;
      if (cents > 0) out.add(F.costs, `,${iso(at)},${money(cents)},acquisition\n`);
    }
  }
  return out;
}
