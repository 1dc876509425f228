// Computes the report of KPI-SPEC §6: runs every aggregate source once, then finalises each KPI per row.
import { FidelioError } from '../domain/errors.js';
import { calendarPeriods, type Period, type PeriodKind } from '../domain/time.js';
import { type RowCi, rowIntervals } from '../insight/experience/report-ci.js';
import type { Row, Store } from '../store/store.js';
import {
  type CalendarKind,
  type EmployeeDisclosure,
  loadEmployeeDisclosure,
  periodWithheld,
} from '../surveys/employee-disclosure.js';
import { emptyAggregates, type RowAggregates } from './aggregates.js';
import { EMPLOYEE_KPIS, KPIS, SOURCES } from './catalogue.js';
import type { KpiConfig } from './config.js';
import { PREFIX, type QueryContext } from './query-context.js';
import { answerCount } from './satisfaction.js';
import { resolveSegmentBy, segmentValues } from './segments.js';
import { heldHealthSnapshots, latestDataInstant, storeCurrency } from './store-facts.js';

export interface ReportRequest {
  from: Date;
  to: Date;
  period: PeriodKind;
  segmentBy?: string | undefined;
  asOf?: Date | undefined;
  tz?: string | undefined;
  config: KpiConfig;
  /** Add each row's 95 % intervals (`ci`) for nps, csat, crr and churn_rate. */
  ci?: boolean | undefined;
}

export interface ReportRow {
  start: string;
  end: string;
  segment: string | null;
  kpis: Record<string, number | null>;
  suppressed: string[];
  /** With `ci`: 95 % intervals of nps, csat, crr and churn_rate (an extension of §6, see docs/metrics.md). */
  ci?: RowCi;
}

export interface Report {
  as_of: string;
  period: PeriodKind;
  /** The store's currency (ISO 4217) for money KPIs; null when no money has been imported. An extension of §6. */
  currency: string | null;
  rows: ReportRow[];
}

/**
 * The report for a range, period kind and optional segmentation.
 * @example await computeReport(store, { from, to, period: 'month', config: DEFAULT_CONFIG })
 */
export async function computeReport(store: Store, request: ReportRequest): Promise<Report> {
  const periods = calendarPeriods(request.from, request.to, request.period, request.tz ?? 'UTC');
  const ctx: QueryContext = {
    periods,
    periodKind: request.period,
    segmentBy: await resolveSegmentBy(store, request.segmentBy),
    asOf: request.asOf ?? (await latestDataInstant(store)) ?? request.to,
    config: request.config,
    dialect: store.dialect,
    healthSnapshots: await heldHealthSnapshots(store),
  };
  const segments: (string | null)[] = [null, ...(await segmentValues(store, ctx))];
  const grid = segments.map(() =>
    periods.map(() =>
      emptyAggregates(request.period, request.config.gross_margin, request.config.value_events.length > 0),
    ),
  );
  for (const source of SOURCES) {
    const sql = source.sql(ctx);
    if (sql === null) continue;
    const cells = cellsOf(await store.query(sql), segments);
    if (source.kind === 'flow') {
      for (const cell of cells.values()) {
        for (const row of cell.rows) source.apply(grid[cell.segment]![cell.idx]!, row);
      }
    } else {
      grid.forEach((series, s) => {
        const at = (idx: number) => cells.get(`${s}:${idx}`)?.rows[0];
        source.apply(
          series,
          at(PREFIX),
          periods.map((_, idx) => at(idx)),
        );
      });
    }
  }
  const employees = await employeeDisclosure(store, ctx, request);
  const rows = periods.flatMap((period, idx) =>
    segments.map((segment, s) => {
      const aggregates = grid[s]![idx]!;
      const hidden = enpsWithheld(employees, period, segment, answerCount(aggregates.scores, 'enps'));
      const row = finalizeRow(period, segment, aggregates, hidden);
      if (request.ci) row.ci = rowIntervals(aggregates, request.config.ci_min_sample);
      return row;
    }),
  );
  return {
    as_of: ctx.asOf.toISOString(),
    period: request.period,
    currency: await storeCurrency(store),
    rows,
  };
}

interface Cell {
  segment: number;
  idx: number;
  rows: Row[];
}

/** A source's rows by (segment index, period index); rows of a blank segment value (not a total) are dropped. */
function cellsOf(rows: Row[], segments: (string | null)[]): Map<string, Cell> {
  const segmentIndex = new Map(segments.map((s, i) => [s, i]));
  const cells = new Map<string, Cell>();
  for (const row of rows) {
    const segment =
      Number(row.is_total) === 1 ? 0 : row.seg === null ? undefined : segmentIndex.get(String(row.seg));
    if (segment === undefined) continue;
    const idx = Number(row.idx);
    const key = `${segment}:${idx}`;
    const cell = cells.get(key) ?? { segment, idx, rows: [] };
    cell.rows.push(row);
    cells.set(key, cell);
  }
  return cells;
}

interface EmployeeRows {
  disclosure: EmployeeDisclosure;
  kind: PeriodKind;
  zone: string;
  /** The report's as_of, but never later than the present: an unfinished month is never shown as ended. */
  clock: Date;
  /** Whether rows are teams (else segments of accounts, which never show employee answers). */
  byTeam: boolean;
}

/** The employee-anonymity decisions for the report's whole calendar periods (see docs/metrics.md, eNPS). */
async function employeeDisclosure(
  store: Store,
  ctx: QueryContext,
  request: ReportRequest,
): Promise<EmployeeRows> {
  const zone = request.tz ?? 'UTC';
  const clock = new Date(Math.min(ctx.asOf.getTime(), Date.now()));
  const years = ctx.periods
    .filter((p) => periodWithheld(p, request.period, zone, clock) === null)
    .map((p) => p.start.getUTCFullYear());
  const disclosure = await loadEmployeeDisclosure(store, {
    years,
    now: clock,
    minimum: request.config.min_employee_group,
  });
  return { disclosure, kind: request.period, zone, clock, byTeam: ctx.segmentBy?.kind === 'team' };
}

/**
 * Whether a row withholds eNPS: in a whole, ended UTC calendar period, as the lattice decides for the company
 * or the team; in any other period, or a segment of accounts, whenever the row has employee answers.
 */
function enpsWithheld(rows: EmployeeRows, period: Period, segment: string | null, answers: number): boolean {
  if (segment !== null && !rows.byTeam) return answers > 0;
  if (periodWithheld(period, rows.kind, rows.zone, rows.clock) !== null) return answers > 0;
  return !rows.disclosure.decision(rows.kind as CalendarKind, period.start, segment, null).shown;
}

function finalizeRow(
  period: { start: Date; end: Date },
  segment: string | null,
  aggregates: RowAggregates,
  suppressEmployees: boolean,
): ReportRow {
  const kpis: Record<string, number | null> = {};
  for (const kpi of KPIS) kpis[kpi.id] = finite(kpi.finalize(aggregates));
  const suppressed = suppressEmployees ? [...EMPLOYEE_KPIS] : [];
  for (const id of suppressed) kpis[id] = null;
  return { start: period.start.toISOString(), end: period.end.toISOString(), segment, kpis, suppressed };
}

function finite(value: number | null): number | null {
  if (value === null) return null;
  if (!Number.isFinite(value))
    throw new FidelioError('internal', 'non_finite_kpi', `a KPI evaluated to ${value}`);
  return value;
}
