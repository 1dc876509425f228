// Everything the row writers of one account share while it is generated.
import type { AccountMood } from './account-mood.js';
import type { AccountProfile } from './account-profile.js';
import type { DemoContext } from './demo-context.js';
import type { FileRows } from './demo-files.js';
import type { Rng } from './random.js';
import type { Timeline } from './subscription-timeline.js';

export interface AccountRun {
  ctx: DemoContext;
  out: FileRows;
  rng: Rng;
  p: AccountProfile;
  tl: Timeline;
  mood: AccountMood;
  /** No row may fall at or after this instant (the end of the data). */
  horizon: number;
}
