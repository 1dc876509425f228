// What a demo run is asked for (accounts, seed, last month) and the time window the data covers.
import { FidelioError } from '../domain/errors.js';
import { monthStart } from './instants.js';

export const DEMO_MONTHS = 36;

export interface DemoSettings {
  accounts: number;
  seed: number;
  /** The last month of data, "YYYY-MM". */
  endMonth: string;
}

/** The data covers [start, horizon): 36 whole UTC months, the last one being `endMonth`. */
export interface DemoWindow {
  start: number;
  horizon: number;
}

const END_MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function demoWindow(endMonth: string): DemoWindow {
  const match = END_MONTH.exec(endMonth);
  if (!match) {
    throw new FidelioError('usage', 'invalid_end_month', `--end "${endMonth}" is not a month like 2025-06`);
  }
  const endStart = Date.UTC(Number(match[1]), Number(match[2]) - 1, 1);
  return { start: monthStart(endStart, 1 - DEMO_MONTHS), horizon: monthStart(endStart, 1) };
}

/** The month containing `now`, "YYYY-MM" (the default last month). */
export function monthOf(now: Date): string {
  return now.toISOString().slice(0, 7);
}
