// A source is one set-based aggregate query and how its rows fill the RowAggregates of (period, segment).
import type { Row } from '../store/store.js';
import type { RowAggregates } from './aggregates.js';
import type { QueryContext } from './query-context.js';

/** Rows of a flow source describe what happened within each period. */
export interface FlowSource {
  kind: 'flow';
  name: string;
  /** null when the source has nothing to compute for this report (e.g. no value event configured). */
  sql(ctx: QueryContext): string | null;
  apply(target: RowAggregates, row: Row): void;
}

/**
 * Rows of a cumulative source carry a period −1 (everything before the report) and are carried forward:
 * `apply` receives one segment's series of aggregates, the −1 row and the rows of each period.
 */
export interface CumulativeSource {
  kind: 'cumulative';
  name: string;
  sql(ctx: QueryContext): string;
  apply(series: RowAggregates[], before: Row | undefined, rows: readonly (Row | undefined)[]): void;
}

export type Source = FlowSource | CumulativeSource;

export const num = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));
