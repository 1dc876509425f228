// Which employee results may be shown (KPI-SPEC §5, issue 5 "Anonymity"): whole calendar months, quarters and
// years in UTC that have ended, and of those only the cells that complementary suppression over the whole
// lattice leaves visible. The lattice of a year is {year, its quarters, its months} × {company, each team} ×
// {every eNPS answer (the report), each anonymous survey}, linked by the sums readers could subtract.
import { type CellFacts, type Relation, suppressLattice } from '../domain/suppression.js';
import type { Period, PeriodKind } from '../domain/time.js';
import { type Store, sqlString, sqlTimestamp } from '../store/store.js';
import type { Question } from './questions.js';

export const CALENDAR_KINDS = ['month', 'quarter', 'year'] as const;
export type CalendarKind = (typeof CALENDAR_KINDS)[number];

/** Why employee results of a cell are withheld. */
export const WITHHELD_CODES = [
  'small_group',
  'complementary',
  'period_not_ended',
  'not_calendar_period',
  'whole_periods_only',
] as const;
export type WithheldCode = (typeof WITHHELD_CODES)[number];

/** A number withheld to keep employee answers anonymous: a stable code and a sentence for people. */
export interface Withheld {
  suppressed: true;
  code: WithheldCode;
  reason: string;
}

/**
 * The withheld marker for a code, its reason in words.
 * @example withheld('small_group', 5) // { suppressed: true, code: 'small_group', reason: 'fewer than 5 answers in this group' }
 */
export function withheld(code: WithheldCode, minimum: number): Withheld {
  const reasons: Record<WithheldCode, string> = {
    small_group: `fewer than ${minimum} answers in this group`,
    complementary: `hidden so that subtraction cannot reveal a group of fewer than ${minimum} answers`,
    period_not_ended: 'employee results are shown once the period has ended',
    not_calendar_period:
      'employee results are shown only for whole calendar months, quarters and years in UTC',
    whole_periods_only: 'employee results are shown per whole calendar month, quarter or year: see periods',
  };
  return { suppressed: true, code, reason: reasons[code] };
}

/** What may be shown of one cell: its answers, or why not. */
export type CellDecision = { shown: true; answers: number } | { shown: false; code: WithheldCode };

/**
 * Null when employee results may be shown for `period` (a whole UTC calendar month, quarter or year that ended
 * by `now`), else why not.
 * @example periodWithheld({ start: jan, end: feb }, 'month', 'UTC', new Date('2025-03-01')) // null
 */
export function periodWithheld(
  period: Period,
  kind: PeriodKind,
  zone: string,
  now: Date,
): WithheldCode | null {
  if (zone !== 'UTC' || !isCalendarKind(kind) || !isWholePeriod(period, kind)) return 'not_calendar_period';
  return period.end.getTime() > now.getTime() ? 'period_not_ended' : null;
}

function isCalendarKind(kind: string): kind is CalendarKind {
  return (CALENDAR_KINDS as readonly string[]).includes(kind);
}

const MONTHS: Record<CalendarKind, number> = { month: 1, quarter: 3, year: 12 };

function isWholePeriod(period: Period, kind: CalendarKind): boolean {
  const start = period.start;
  const aligned =
    start.getTime() === Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), 1) &&
    start.getUTCMonth() % MONTHS[kind] === 0;
  return (
    aligned &&
    period.end.getTime() === Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + MONTHS[kind], 1)
  );
}

/**
 * Answers of one UTC month, team and source. `survey` null is the report's eNPS (every enps answer); otherwise an
 * anonymous survey, counted in `answers` (completed then), `started` and `enps` (its eNPS answers, by when
 * submitted, as the report counts them).
 */
export interface EmployeeCount {
  year: number;
  /** 1–12. */
  month: number;
  team: string | null;
  survey: string | null;
  measure: 'answers' | 'started' | 'enps';
  n: number;
}

interface TimeCell {
  kind: CalendarKind;
  start: Date;
  end: Date;
  /** Month numbers 1–12 it spans. */
  months: number[];
}

/** Team columns: the company, each team, and answers without a team (never shown on their own). */
const COMPANY = 0;
const NO_TEAM = 1;
/** Sources: the report's eNPS, eNPS answers of no anonymous survey (never shown), and surveys by id. */
const REPORT = 0;
const OTHER = 1;
/** A team column (COMPANY, NO_TEAM or a team's name) and a source (REPORT, OTHER or a survey id). */
type Column = number | string;
type Source = number | string;
type Measure = EmployeeCount['measure'];

interface Cell {
  time: TimeCell;
  column: Column;
  source: Source;
}

const keyOf = (cell: Cell) =>
  JSON.stringify([
    `${cell.time.kind}@${cell.time.start.toISOString().slice(0, 10)}`,
    cell.column,
    cell.source,
  ]);

function yearCells(year: number): TimeCell[] {
  const at = (month: number) => new Date(Date.UTC(year, month - 1, 1));
  const span = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);
  return [
    { kind: 'year', start: at(1), end: at(13), months: span(1, 12) },
    ...span(0, 4).map((q) => ({
      kind: 'quarter' as const,
      start: at(3 * q + 1),
      end: at(3 * q + 4),
      months: span(3 * q + 1, 3),
    })),
    ...span(1, 12).map((m) => ({ kind: 'month' as const, start: at(m), end: at(m + 1), months: [m] })),
  ];
}

/** One year's counts, summed over the months, teams and sources a cell covers. */
class YearCounts {
  readonly teams: string[];
  readonly surveys: string[];
  /** Surveys with eNPS answers: they are parts of the report's eNPS. */
  readonly enpsSurveys: string[];
  private readonly monthly = new Map<string, number>();
  private readonly sums = new Map<string, number>();

  constructor(counts: readonly EmployeeCount[]) {
    this.teams = [...new Set(counts.flatMap((c) => (c.team === null ? [] : [c.team])))].sort();
    this.surveys = [...new Set(counts.flatMap((c) => (c.survey === null ? [] : [c.survey])))].sort();
    this.enpsSurveys = this.surveys.filter((s) => counts.some((c) => c.survey === s && c.measure === 'enps'));
    for (const c of counts) {
      const key = JSON.stringify([c.month, c.team ?? NO_TEAM, c.survey ?? REPORT, c.measure]);
      this.monthly.set(key, (this.monthly.get(key) ?? 0) + c.n);
    }
  }

  /** The measures a source's sums hold in. */
  measuresOf(source: Source): Measure[] {
    if (typeof source === 'number') return ['enps'];
    return this.enpsSurveys.includes(source) ? ['answers', 'started', 'enps'] : ['answers', 'started'];
  }

  count(cell: Cell, measure: Measure): number {
    const key = `${keyOf(cell)}:${measure}`;
    let n = this.sums.get(key);
    if (n === undefined) {
      n = this.sum(cell, measure);
      this.sums.set(key, n);
    }
    return n;
  }

  private sum({ time, column, source }: Cell, measure: Measure): number {
    if (source === OTHER) {
      const surveys = this.enpsSurveys.reduce(
        (s, id) => s + this.count({ time, column, source: id }, 'enps'),
        0,
      );
      return Math.max(0, this.count({ time, column, source: REPORT }, 'enps') - surveys);
    }
    const columns = column === COMPANY ? [...this.teams, NO_TEAM] : [column];
    let n = 0;
    for (const month of time.months) {
      for (const c of columns) n += this.monthly.get(JSON.stringify([month, c, source, measure])) ?? 0;
    }
    return n;
  }
}

/** The decisions for every cell of some years, from counts per month (pure; see `loadEmployeeDisclosure`). */
export class EmployeeDisclosure {
  private readonly hidden = new Set<string>();
  private readonly small = new Set<string>();
  private readonly answers = new Map<string, number>();

  constructor(
    counts: readonly EmployeeCount[],
    private readonly options: { years: readonly number[]; now: Date; minimum: number },
  ) {
    for (const year of new Set(options.years)) {
      this.decideYear(year, new YearCounts(counts.filter((c) => c.year === year)));
    }
  }

  /**
   * Whether a cell of the report (`survey` null) or of an anonymous survey may be shown, with its answers (eNPS
   * answers for the report); `team` null is the company.
   */
  decision(kind: CalendarKind, start: Date, team: string | null, survey: string | null): CellDecision {
    const end = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + MONTHS[kind], 1));
    const reason = periodWithheld({ start, end }, kind, 'UTC', this.options.now);
    if (reason) return { shown: false, code: reason };
    const key = keyOf({
      time: { kind, start, end, months: [] },
      column: team ?? COMPANY,
      source: survey ?? REPORT,
    });
    if (this.hidden.has(key))
      return { shown: false, code: this.small.has(key) ? 'small_group' : 'complementary' };
    return { shown: true, answers: this.answers.get(key) ?? 0 };
  }

  private decideYear(year: number, counts: YearCounts): void {
    const times = yearCells(year);
    const quarters = times.filter((t) => t.kind === 'quarter');
    const monthsOf = (q: TimeCell) =>
      times.filter((t) => t.kind === 'month' && q.months.includes(t.months[0]!));
    const cells = new Map<string, CellFacts>();
    const relations: Relation[] = [];
    const relate = (whole: Cell, parts: Cell[], measures: Measure[]) => {
      const members = [whole, ...parts];
      for (const cell of members) {
        const key = keyOf(cell);
        const published = cell.column !== NO_TEAM && cell.source !== OTHER;
        cells.set(key, {
          published: published && cell.time.end <= this.options.now,
          end: cell.time.end.getTime(),
        });
        this.answers.set(key, counts.count(cell, counts.measuresOf(cell.source)[0]!));
      }
      relations.push({
        whole: keyOf(whole),
        parts: parts.map(keyOf),
        counts: measures.map((m) =>
          members.map((cell) =>
            counts.count(cell, cell.source === REPORT || cell.source === OTHER ? 'enps' : m),
          ),
        ),
      });
    };
    const sources: Source[] = [REPORT, ...counts.surveys];
    const columns: Column[] = [COMPANY, ...counts.teams];
    for (const source of sources) {
      const measures = counts.measuresOf(source);
      for (const time of times) {
        // The company is the sum of its teams and of the answers without a team.
        const parts = [...counts.teams, NO_TEAM].map((column): Cell => ({ time, column, source }));
        relate({ time, column: COMPANY, source }, parts, measures);
      }
      for (const column of columns) {
        // A year is the sum of its quarters, a quarter of its months.
        const year = times[0]!;
        relate(
          { time: year, column, source },
          quarters.map((q) => ({ time: q, column, source })),
          measures,
        );
        for (const q of quarters) {
          relate(
            { time: q, column, source },
            monthsOf(q).map((m) => ({ time: m, column, source })),
            measures,
          );
        }
      }
    }
    if (counts.enpsSurveys.length > 0) {
      for (const time of times) {
        for (const column of [...columns, NO_TEAM]) {
          // The report's eNPS is the sum of each anonymous survey's eNPS answers and of the other eNPS answers.
          const parts = [...counts.enpsSurveys, OTHER].map((source): Cell => ({ time, column, source }));
          relate({ time, column, source: REPORT }, parts, ['enps']);
        }
      }
    }
    const decided = suppressLattice(cells, relations, this.options.minimum);
    for (const key of decided.hidden) this.hidden.add(key);
    for (const key of decided.small) this.small.add(key);
  }
}

/**
 * The decisions for whole years, from one set-based query of answers per (UTC month, team, source): every enps
 * answer for the report, and each anonymous survey's completed, started and eNPS answers.
 */
export async function loadEmployeeDisclosure(
  store: Store,
  options: { years: readonly number[]; now: Date; minimum: number },
): Promise<EmployeeDisclosure> {
  const years = [...new Set(options.years)].sort((a, b) => a - b);
  if (years.length === 0) return new EmployeeDisclosure([], options);
  const surveys = await store.query<{ survey_id: string; questions: string }>(
    'SELECT survey_id, questions FROM surveys WHERE anonymous',
  );
  const enpsQuestions = surveys.flatMap((s) => {
    const question = (JSON.parse(s.questions) as Question[]).find((q) => q.metric === 'enps');
    return question ? [`(${sqlString(s.survey_id)}, ${sqlString(question.id)})`] : [];
  });
  const from = new Date(Date.UTC(years[0]!, 0, 1));
  const to = new Date(Date.UTC(years[years.length - 1]! + 1, 0, 1));
  const rows = await store.query<{
    year: number;
    month: number;
    team: string | null;
    survey_id: string | null;
    measure: Measure;
    n: number | bigint;
  }>(
    `WITH anonymous_answers AS (
       SELECT a.answer_id, a.survey_id, a.team, a.started_at, a.completed_at
       FROM survey_answers a JOIN surveys s ON s.survey_id = a.survey_id WHERE s.anonymous),
     enps_questions(survey_id, question_id) AS (${
       enpsQuestions.length > 0
         ? `VALUES ${enpsQuestions.join(', ')}`
         : 'SELECT CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR) WHERE false'
     }),
     counted AS (
       SELECT submitted_at AS instant, team, CAST(NULL AS VARCHAR) AS survey_id, 'enps' AS measure
       FROM responses WHERE metric = 'enps'
       UNION ALL SELECT completed_at, team, survey_id, 'answers' FROM anonymous_answers WHERE completed_at IS NOT NULL
       UNION ALL SELECT started_at, team, survey_id, 'started' FROM anonymous_answers
       UNION ALL SELECT r.submitted_at, r.team, a.survey_id, 'enps'
       FROM anonymous_answers a JOIN enps_questions q ON q.survey_id = a.survey_id
       JOIN responses r ON r.response_id = a.answer_id || '.' || q.question_id AND r.metric = 'enps')
     SELECT CAST(EXTRACT(YEAR FROM instant) AS INTEGER) AS year, CAST(EXTRACT(MONTH FROM instant) AS INTEGER) AS month,
       team, survey_id, measure, COUNT(*) AS n
     FROM counted WHERE instant >= ${sqlTimestamp(from)} AND instant < ${sqlTimestamp(to)}
     GROUP BY 1, 2, 3, 4, 5`,
  );
  const counts = rows.map((r) => ({
    year: Number(r.year),
    month: Number(r.month),
    team: r.team,
    survey: r.survey_id,
    measure: r.measure,
    n: Number(r.n),
  }));
  return new EmployeeDisclosure(counts, { ...options, years });
}
