// The shape of a timed report: one warm-up, then N timed runs summarised by their median.
import { median } from './stats.js';

export interface ReportTiming {
  /** What was timed, e.g. "CLI process" or "in-process query after load". */
  scope: string;
  warmupSeconds: number | null;
  runsSeconds: number[];
  medianSeconds: number;
  /** Peak resident memory of the measured process(es), MB. */
  peakMb: number | null;
  /** Highest 1-minute load average during the runs (see Measured.maxLoad). */
  maxLoad: number;
}

export function reportTiming(
  scope: string,
  warmupSeconds: number | null,
  runsSeconds: number[],
  peakMb: number | null,
  maxLoad: number,
): ReportTiming {
  return { scope, warmupSeconds, runsSeconds, medianSeconds: median(runsSeconds), peakMb, maxLoad };
}

/** The larger of two peaks, either possibly unknown. */
export function maxPeak(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.max(a, b);
}
