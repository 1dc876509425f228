// What every account of one run shares: the settings, the time window and the sign-up curve.
import { type DemoSettings, type DemoWindow, demoWindow } from './demo-settings.js';
import { monthStart } from './instants.js';
import { Signups } from './signups.js';

export interface DemoContext {
  settings: DemoSettings;
  window: DemoWindow;
  signups: Signups;
  /** Digits of the account number in ids (acc_000001): at least 6, more for bigger runs. */
  idWidth: number;
  /** The CES survey moved from a 5-point to a 7-point scale halfway through (both occur in the data). */
  cesScaleChange: number;
}

export function demoContext(settings: DemoSettings): DemoContext {
  const window = demoWindow(settings.endMonth);
  return {
    settings,
    window,
    signups: new Signups(window, settings.seed),
    idWidth: Math.max(6, String(settings.accounts).length),
    cesScaleChange: monthStart(window.start, 18),
  };
}
