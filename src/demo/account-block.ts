// Generates every row of a block of consecutive accounts; each account draws from its own seeded stream,
// so a block's text depends only on the settings and the block's range, never on the thread that ran it.
import { AccountMood } from './account-mood.js';
import { type AccountProfile, accountProfile } from './account-profile.js';
import type { AccountRun } from './account-run.js';
import { csvText } from './csv-text.js';
import type { DemoContext } from './demo-context.js';
import { F, FileRows } from './demo-files.js';
import { iso } from './instants.js';
import { mixSeed, Rng } from './random.js';
import { writeRevenue } from './revenue-rows.js';
import { simulateSubscription } from './subscription-timeline.js';
import { writeTickets } from './support-tickets.js';
import { writeAnswers } from './survey-answers.js';
import { writeUsage } from './usage-events.js';

/** Rows of consecutive accounts: UTF-8 bytes and row counts per file, in DEMO_FILES order. */
export interface Block {
  bytes: Uint8Array[];
  rows: number[];
}

const CONTACTS_PER_ACCOUNT = 2;

/** Accounts [from, to) of the run. */
export function accountBlock(ctx: DemoContext, from: number, to: number): Block {
  const out = new FileRows(to - from);
  for (let index = from; index < to; index++) writeAccount(ctx, index, out);
  return { bytes: out.bytes(), rows: out.rows };
}

/** The account's first users (at most two, its champions) as the contacts surveys reach. */
function writeContacts(p: AccountProfile, out: FileRows): void {
  for (let k = 1; k <= Math.min(p.users, CONTACTS_PER_ACCOUNT); k++) {
    out.add(F.contacts, `usr_${p.num}_${k},customer,user${k}@${p.id}.example,,${p.id},${p.locale},\n`);
  }
}

function writeAccount(ctx: DemoContext, index: number, out: FileRows): void {
  const rng = new Rng(mixSeed(ctx.settings.seed, index));
  const p = accountProfile(ctx, index, rng);
  const tl = simulateSubscription(p, rng, ctx.window.horizon);
  const run: AccountRun = { ctx, out, rng, p, tl, mood: new AccountMood(tl), horizon: ctx.window.horizon };
  out.add(F.accounts, `${p.id},${iso(p.createdAt)},${csvText(p.name)},${p.segment},${p.country},${p.plan}\n`);
  writeContacts(p, out);
  writeRevenue(run);
  writeAnswers(run, writeTickets(run));
  writeUsage(run);
}
