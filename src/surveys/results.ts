// A survey's results (issue 5 "Results"): sent, opened, started, answered, response rate, its KPI with a 95 %
// confidence interval, the score distribution, each question's answers and the comments — for a range and, by
// period, per calendar period (and per team for employee surveys). An anonymous survey shows only the whole, ended
// calendar periods that the employee lattice leaves visible (./employee-disclosure.ts); the rest is withheld.
import {
  type Estimate,
  meanInterval,
  netPromoterInterval,
  wilsonInterval,
} from '../domain/confidence-intervals.js';
import type { Metric } from '../domain/import-format.js';
import type { Period } from '../domain/time.js';
import { calendarPeriods } from '../domain/time.js';
import { pct } from '../kpi/kpi.js';
import { cesOnSevenPoints } from '../kpi/satisfaction.js';
import { type Store, sqlString, sqlTimestamp } from '../store/store.js';
import {
  type CalendarKind,
  type CellDecision,
  loadEmployeeDisclosure,
  periodWithheld,
  type Withheld,
  withheld,
} from './employee-disclosure.js';
import { type Question, type QuestionType, scoreRange } from './questions.js';
import type { Survey } from './survey.js';

export interface ResultsOptions {
  /** The range [from, to); for customer surveys without a period, unbounded where absent. */
  from?: Date | undefined;
  to?: Date | undefined;
  /** Results per calendar period in UTC too (anonymous surveys: always, by month unless told). */
  period?: CalendarKind | undefined;
  /** Anonymous surveys: each team's results beside the company's, per period. */
  byTeam?: boolean | undefined;
  now: Date;
  minimumGroup: number;
}

/** A value, or why it is withheld (anonymous surveys only). */
export type Shown<T> = T | Withheld;

/** A KPI of the survey's answers with its 95 % confidence interval (docs/surveys.md, Results and anonymity). */
export interface KpiResult {
  /** The question's metric: nps, enps, csat, ces or fcr. */
  metric: Metric;
  /** The KPI id of docs/metrics.md: nps, enps, csat, csat_mean, ces or fcr_perceived. */
  id: string;
  question_id: string;
  value: number | null;
  ci_low: number | null;
  ci_high: number | null;
  answers: number;
}

export interface QuestionResult {
  question_id: string;
  type: QuestionType;
  answered: Shown<number>;
  /** Scales (nps, csat, ces, rating): the mean on the question's own scale. */
  mean?: Shown<number | null>;
  /** Answers per score, per yes/no ("true", "false") or per choice id; absent for text. */
  counts?: Shown<{ value: string; count: number }[]>;
}

export interface SurveyComment {
  /** Customer surveys only. */
  answer_id?: string;
  question_id: string;
  text: string;
  /** The score of the question it explains (`comment_for`), else of the survey's first KPI question. */
  score: number | null;
  locale: string | null;
  /** When the answer was completed; null for anonymous surveys, whose comments carry no time. */
  submitted_at: string | null;
}

export interface ResultsBlock {
  /** Invitations sent in the period (by sent_at). */
  sent: number;
  /** Invitations opened (customers), or anonymous links opened in waves started in the period; null per team. */
  opened: number | null;
  /** Answers started in the period, completed or not. */
  started: Shown<number>;
  /** Answers completed in the period. */
  answered: Shown<number>;
  /** answered ÷ sent × 100; null when nothing was sent. */
  response_rate: Shown<number | null>;
  /** The first of `kpis`; null when no question feeds a KPI. */
  kpi: Shown<KpiResult> | null;
  kpis: Shown<KpiResult[]>;
  /** Answers per score of the first KPI question. */
  distribution: Shown<{ score: number; count: number }[]>;
  questions: QuestionResult[];
  /** Text answers, newest first, at most COMMENT_LIMIT. */
  comments: Shown<SurveyComment[]>;
}

export interface PeriodResults extends ResultsBlock {
  start: string;
  end: string;
  /** null: the whole company (or every customer). */
  team: string | null;
}

export interface SurveyResults extends ResultsBlock {
  survey_id: string;
  name: string;
  anonymous: boolean;
  from: string | null;
  to: string | null;
  period: CalendarKind | null;
  /** Anonymous surveys: groups with fewer answers are withheld. */
  minimum_group: number | null;
  periods: PeriodResults[];
}

export const COMMENT_LIMIT = 100;
const DAWN = new Date('0001-01-01T00:00:00Z');
const DUSK = new Date('9999-12-31T00:00:00Z');

/**
 * The results of a survey. Anonymous (employee) surveys: per whole calendar period (month unless `period` says
 * otherwise), the top level only when the range is one such period; no per-person data.
 * @example await surveyResults(store, survey, { period: 'month', now: new Date(), minimumGroup: 5 })
 */
export async function surveyResults(
  store: Store,
  survey: Survey,
  options: ResultsOptions,
): Promise<SurveyResults> {
  const kind = options.period ?? (survey.anonymous ? 'month' : undefined);
  const from = options.from ?? (kind ? calendarStart(new Date(survey.created_at), kind, 0) : undefined);
  const to = options.to ?? (kind ? calendarStart(options.now, kind, 1) : undefined);
  const cells = kind && from && to ? calendarPeriods(from, to, kind, 'UTC') : [];
  const head = {
    survey_id: survey.survey_id,
    name: survey.name,
    anonymous: survey.anonymous,
    from: from?.toISOString() ?? null,
    to: to?.toISOString() ?? null,
    period: kind ?? null,
    minimum_group: survey.anonymous ? options.minimumGroup : null,
  };
  return survey.anonymous
    ? { ...head, ...(await anonymousResults(store, survey, cells, kind ?? 'month', options)) }
    : { ...head, ...(await customerResults(store, survey, { start: from ?? DAWN, end: to ?? DUSK }, cells)) };
}

/** The start of the UTC calendar period of `kind` containing `instant`, moved by `offset` periods. */
function calendarStart(instant: Date, kind: CalendarKind, offset: number): Date {
  const months = { month: 1, quarter: 3, year: 12 }[kind];
  const month = instant.getUTCMonth() - (instant.getUTCMonth() % months) + offset * months;
  return new Date(Date.UTC(instant.getUTCFullYear(), month, 1));
}

async function customerResults(
  store: Store,
  survey: Survey,
  range: Period,
  cells: Period[],
): Promise<ResultsBlock & { periods: PeriodResults[] }> {
  const buckets = cells.length > 0 ? cells : [range];
  const tallies = await tallyBuckets(store, survey, buckets, false);
  // Comments of the range (index −1) and of each period.
  const targets = [
    { idx: -1, start: range.start, end: range.end, team: null },
    ...cells.map((cell, idx) => ({ idx, start: cell.start, end: cell.end, team: null })),
  ];
  const comments = await commentsOf(store, survey, targets);
  const total = sumTallies(tallies.map((t) => t.get(null) ?? emptyTally()));
  return {
    ...blockOf(survey, total, comments.get(-1) ?? []),
    periods:
      cells.length === 0
        ? []
        : cells.map((cell, i) => ({
            start: cell.start.toISOString(),
            end: cell.end.toISOString(),
            team: null,
            ...blockOf(survey, tallies[i]!.get(null) ?? emptyTally(), comments.get(i) ?? []),
          })),
  };
}

async function anonymousResults(
  store: Store,
  survey: Survey,
  cells: Period[],
  kind: CalendarKind,
  options: ResultsOptions,
): Promise<ResultsBlock & { periods: PeriodResults[] }> {
  const minimum = options.minimumGroup;
  const months =
    cells.length === 0 ? [] : calendarPeriods(cells[0]!.start, cells[cells.length - 1]!.end, 'month');
  const tallies = await tallyBuckets(store, survey, months, true);
  const disclosure = await loadEmployeeDisclosure(store, {
    years: cells
      .filter((c) => periodWithheld(c, kind, 'UTC', options.now) === null)
      .map((c) => c.start.getUTCFullYear()),
    now: options.now,
    minimum,
  });
  const teams = options.byTeam
    ? [
        ...new Set(tallies.flatMap((t) => [...t.keys()]).filter((team): team is string => team !== null)),
      ].sort()
    : [];
  const targets = cells.flatMap((cell) =>
    [null, ...teams].map((team) => {
      const within = months.flatMap((m, i) =>
        m.start >= cell.start && m.end <= cell.end ? [tallies[i]!] : [],
      );
      const tally = sumTallies(
        within.map((t) => (team === null ? sumTallies([...t.values()]) : (t.get(team) ?? emptyTally()))),
      );
      const reason = periodWithheld(cell, kind, 'UTC', options.now);
      const decision: CellDecision = reason
        ? { shown: false, code: reason }
        : disclosure.decision(kind, cell.start, team, survey.survey_id);
      return { cell, team, tally, decision };
    }),
  );
  const listed = targets.flatMap((t, idx) =>
    t.decision.shown && t.decision.answers >= minimum
      ? [{ idx, start: t.cell.start, end: t.cell.end, team: t.team }]
      : [],
  );
  const comments = await commentsOf(store, survey, listed);
  const blockFor = (t: (typeof targets)[number], idx: number): ResultsBlock => {
    const block = t.decision.shown
      ? blockOf(survey, t.tally, commentsShown(t.decision.answers, comments.get(idx) ?? [], minimum))
      : withheldBlock(survey, t.tally, withheld(t.decision.code, minimum));
    return { ...block, opened: t.team === null ? block.opened : null };
  };
  const company = targets.filter((t) => t.team === null);
  return {
    ...(cells.length === 1
      ? blockFor(targets[0]!, 0)
      : withheldBlock(
          survey,
          sumTallies(company.map((t) => t.tally)),
          withheld('whole_periods_only', minimum),
        )),
    periods: targets.map((t, idx) => ({
      start: t.cell.start.toISOString(),
      end: t.cell.end.toISOString(),
      team: t.team,
      ...blockFor(t, idx),
    })),
  };
}

/** Comments of a shown anonymous cell: only with at least `minimum` answers (a cell of 0 has none). */
function commentsShown(answers: number, listed: SurveyComment[], minimum: number): Shown<SurveyComment[]> {
  if (answers >= minimum) return listed;
  return answers === 0 ? [] : withheld('small_group', minimum);
}

/** What happened in one bucket (and team): counts, and per question the answers per stored value. */
interface Tally {
  sent: number;
  opened: number;
  started: number;
  answered: number;
  /** Question id → the value as JSON text ("text" for any text answer) → answers. */
  values: Map<string, Map<string, number>>;
}

const emptyTally = (): Tally => ({ sent: 0, opened: 0, started: 0, answered: 0, values: new Map() });

function sumTallies(tallies: readonly Tally[]): Tally {
  const sum = emptyTally();
  for (const t of tallies) {
    sum.sent += t.sent;
    sum.opened += t.opened;
    sum.started += t.started;
    sum.answered += t.answered;
    for (const [question, values] of t.values) {
      const into = sum.values.get(question) ?? new Map<string, number>();
      for (const [value, n] of values) into.set(value, (into.get(value) ?? 0) + n);
      sum.values.set(question, into);
    }
  }
  return sum;
}

/**
 * One set-based query: per bucket (and team), invitations sent and opened, answers started and completed, and
 * each question's answers per value. A KPI question's answers are its `responses` rows (as reports count them,
 * by when they were submitted); the other questions are read from completed answers.
 */
async function tallyBuckets(
  store: Store,
  survey: Survey,
  buckets: readonly Period[],
  byTeam: boolean,
): Promise<Map<string | null, Tally>[]> {
  const tallies = buckets.map(() => new Map<string | null, Tally>());
  if (buckets.length === 0) return tallies;
  const ids = (type: (q: Question) => boolean) => survey.questions.filter(type).map((q) => sqlString(q.id));
  const metricIds = ids((q) => q.metric !== undefined);
  const textIds = ids((q) => q.type === 'text');
  const value =
    textIds.length > 0
      ? `CASE WHEN j.key IN (${textIds.join(', ')}) THEN 'text' ELSE CAST(j.value AS VARCHAR) END`
      : 'CAST(j.value AS VARCHAR)';
  const notMetric = metricIds.length > 0 ? `AND j.key NOT IN (${metricIds.join(', ')})` : '';
  const metricValues =
    metricIds.length > 0
      ? `UNION ALL SELECT 'value', r.submitted_at, r.team, q.question_id, CAST(r.score AS VARCHAR), 1
         FROM answers a JOIN (VALUES (${metricIds.join('), (')})) AS q(question_id) ON true
         JOIN responses r ON r.response_id = a.answer_id || '.' || q.question_id`
      : '';
  const opened = survey.anonymous
    ? `SELECT 'opened', started_at, CAST(NULL AS VARCHAR), NULL, NULL, opened FROM survey_waves WHERE survey_id = $1`
    : `SELECT 'opened', i.opened_at, c.team, NULL, NULL, 1 FROM survey_invitations i
       LEFT JOIN contacts c ON c.contact_id = i.contact_id WHERE i.survey_id = $1 AND i.opened_at IS NOT NULL`;
  const bucketRows = buckets.map((b, i) => `(${i}, ${sqlTimestamp(b.start)}, ${sqlTimestamp(b.end)})`);
  const rows = await store.query<{
    kind: 'sent' | 'opened' | 'started' | 'answered' | 'value';
    idx: number;
    team: string | null;
    question_id: string | null;
    value: string | null;
    n: number | bigint;
  }>(
    `WITH buckets(idx, b_start, b_end) AS (VALUES ${bucketRows.join(', ')}),
     answers AS (SELECT * FROM survey_answers WHERE survey_id = $1),
     facts(kind, instant, team, question_id, value, weight) AS (
       SELECT 'answered', completed_at, team, NULL, NULL, 1 FROM answers WHERE completed_at IS NOT NULL
       UNION ALL SELECT 'started', started_at, team, NULL, NULL, 1 FROM answers
       UNION ALL SELECT 'value', a.completed_at, a.team, j.key, ${value}, 1
       FROM answers a, json_each(CAST(a.answers AS JSON)) AS j
       WHERE a.completed_at IS NOT NULL AND CAST(j.value AS VARCHAR) <> 'null' ${notMetric}
       ${metricValues}
       UNION ALL SELECT 'sent', i.sent_at, c.team, NULL, NULL, 1 FROM survey_invitations i
       LEFT JOIN contacts c ON c.contact_id = i.contact_id WHERE i.survey_id = $1 AND i.sent_at IS NOT NULL
       UNION ALL ${opened})
     SELECT f.kind, b.idx, ${byTeam ? 'f.team' : 'CAST(NULL AS VARCHAR)'} AS team, f.question_id, f.value,
       SUM(f.weight) AS n
     FROM facts f JOIN buckets b ON f.instant >= b.b_start AND f.instant < b.b_end
     GROUP BY f.kind, b.idx, 3, f.question_id, f.value`,
    [survey.survey_id],
  );
  for (const row of rows) {
    const bucket = tallies[Number(row.idx)]!;
    const tally = bucket.get(row.team) ?? emptyTally();
    bucket.set(row.team, tally);
    const n = Number(row.n);
    if (row.kind === 'value') {
      const values = tally.values.get(String(row.question_id)) ?? new Map<string, number>();
      values.set(String(row.value), (values.get(String(row.value)) ?? 0) + n);
      tally.values.set(String(row.question_id), values);
    } else {
      tally[row.kind] += n;
    }
  }
  return tallies;
}

/** Everything shown of a tally. */
function blockOf(survey: Survey, tally: Tally, comments: Shown<SurveyComment[]>): ResultsBlock {
  const scored = survey.questions.filter((q) => q.metric !== undefined);
  const kpis = scored.flatMap((q) => kpisOf(q, scoresOf(tally.values.get(q.id))));
  const first = scored[0];
  return {
    sent: tally.sent,
    opened: tally.opened,
    started: tally.started,
    answered: tally.answered,
    response_rate: pct(tally.answered, tally.sent),
    kpi: kpis[0] ?? null,
    kpis,
    distribution: first ? countsOverRange(first, scoresOf(tally.values.get(first.id))) : [],
    questions: survey.questions.map((q) => questionResult(q, tally.values.get(q.id))),
    comments,
  };
}

/** A block whose answers are withheld; invitations sent and opened stay (they say nothing of the answers). */
function withheldBlock(survey: Survey, tally: Tally, why: Withheld): ResultsBlock {
  return {
    sent: tally.sent,
    opened: tally.opened,
    started: why,
    answered: why,
    response_rate: why,
    kpi: survey.questions.some((q) => q.metric !== undefined) ? why : null,
    kpis: why,
    distribution: why,
    questions: survey.questions.map((q) => ({
      question_id: q.id,
      type: q.type,
      answered: why,
      ...(scoreRange(q) ? { mean: why } : {}),
      ...(q.type === 'text' ? {} : { counts: why }),
    })),
    comments: why,
  };
}

/** Answers per score of a scale or yes/no question (yes = 1, no = 0, as `responses` stores fcr). */
function scoresOf(values: ReadonlyMap<string, number> | undefined): Map<number, number> {
  const scores = new Map<number, number>();
  for (const [text, n] of values ?? []) {
    const score = Number(JSON.parse(text));
    if (Number.isFinite(score)) scores.set(score, (scores.get(score) ?? 0) + n);
  }
  return scores;
}

/** Every score of the question's range (0–1 for yes/no), with its answers. */
function countsOverRange(
  q: Question,
  scores: ReadonlyMap<number, number>,
): { score: number; count: number }[] {
  const [low, high] = scoreRange(q) ?? [0, 1];
  return Array.from({ length: high - low + 1 }, (_, i) => ({
    score: low + i,
    count: scores.get(low + i) ?? 0,
  }));
}

function questionResult(q: Question, values: ReadonlyMap<string, number> | undefined): QuestionResult {
  const base = { question_id: q.id, type: q.type };
  if (q.type === 'text') return { ...base, answered: values?.get('text') ?? 0 };
  if (q.type === 'single_choice' || q.type === 'multiple_choice') {
    const counts = new Map((q.choices ?? []).map((c) => [c.id, 0]));
    let answered = 0;
    for (const [text, n] of values ?? []) {
      const picked: unknown = JSON.parse(text);
      for (const id of Array.isArray(picked) ? picked : [picked])
        counts.set(String(id), (counts.get(String(id)) ?? 0) + n);
      answered += n;
    }
    return { ...base, answered, counts: [...counts].map(([value, count]) => ({ value, count })) };
  }
  const scores = scoresOf(values);
  const answered = [...scores.values()].reduce((sum, n) => sum + n, 0);
  if (q.type === 'yes_no') {
    return {
      ...base,
      answered,
      counts: [
        { value: 'true', count: scores.get(1) ?? 0 },
        { value: 'false', count: scores.get(0) ?? 0 },
      ],
    };
  }
  const total = [...scores].reduce((sum, [score, n]) => sum + score * n, 0);
  return {
    ...base,
    answered,
    mean: answered === 0 ? null : total / answered,
    counts: countsOverRange(q, scores).map(({ score, count }) => ({ value: String(score), count })),
  };
}

/** The KPIs a question feeds, per docs/metrics.md, with their 95 % confidence intervals. */
function kpisOf(q: Question, scores: ReadonlyMap<number, number>): KpiResult[] {
  const metric = q.metric;
  if (!metric) return [];
  const answers = [...scores.values()].reduce((sum, n) => sum + n, 0);
  const result = (id: string, estimate: Estimate): KpiResult => ({
    metric,
    id,
    question_id: q.id,
    value: estimate.value,
    ci_low: estimate.low,
    ci_high: estimate.high,
    answers,
  });
  const count = (test: (score: number) => boolean) =>
    [...scores].reduce((sum, [score, n]) => sum + (test(score) ? n : 0), 0);
  switch (metric) {
    case 'nps':
    case 'enps':
      return [
        result(
          metric,
          netPromoterInterval(
            count((s) => s >= 9),
            count((s) => s <= 6),
            answers,
          ),
        ),
      ];
    case 'csat': {
      const weighted = [...scores].map(([score, n]) => ({ value: score, count: n }));
      return [
        result(
          'csat',
          wilsonInterval(
            count((s) => s >= 4),
            answers,
          ),
        ),
        result('csat_mean', meanInterval(weighted, [1, 5])),
      ];
    }
    case 'ces': {
      const scale = q.scale ?? 7;
      return [
        result(
          'ces',
          meanInterval(
            [...scores].map(([s, n]) => ({ value: cesOnSevenPoints(s, scale), count: n })),
            [1, 7],
          ),
        ),
      ];
    }
    case 'fcr':
      return [
        result(
          'fcr_perceived',
          wilsonInterval(
            count((s) => s === 1),
            answers,
          ),
        ),
      ];
  }
}

interface CommentTarget {
  idx: number;
  start: Date;
  end: Date;
  team: string | null;
}

/**
 * The newest COMMENT_LIMIT text answers of completed answers per target cell (period, and team when given), with
 * the score they explain. Anonymous surveys get neither answer ids nor times.
 */
async function commentsOf(
  store: Store,
  survey: Survey,
  targets: readonly CommentTarget[],
): Promise<Map<number, SurveyComment[]>> {
  const first = survey.questions.find((q) => q.metric !== undefined);
  const texts = survey.questions
    .filter((q) => q.type === 'text')
    .map((q) => `(${sqlString(q.id)}, ${sqlString(q.comment_for ?? first?.id ?? '')})`);
  const comments = new Map<number, SurveyComment[]>();
  if (texts.length === 0 || targets.length === 0) return comments;
  const rows = await store.query<{
    idx: number;
    answer_id: string;
    completed_at: Date;
    locale: string | null;
    question_id: string;
    text: string;
    score: string | null;
  }>(
    `WITH cells(idx, c_start, c_end, team) AS (VALUES ${targets
      .map(
        (t) =>
          `(${t.idx}, ${sqlTimestamp(t.start)}, ${sqlTimestamp(t.end)}, ${t.team === null ? 'CAST(NULL AS VARCHAR)' : sqlString(t.team)})`,
      )
      .join(', ')}),
     texts AS (
       SELECT a.answer_id, a.completed_at, a.locale, a.team, q.question_id,
         CAST(a.answers AS JSON) ->> q.question_id AS text, CAST(a.answers AS JSON) ->> q.score_id AS score
       FROM survey_answers a JOIN (VALUES ${texts.join(', ')}) AS q(question_id, score_id) ON true
       WHERE a.survey_id = $1 AND a.completed_at IS NOT NULL),
     ranked AS (
       SELECT c.idx, t.answer_id, t.completed_at, t.locale, t.question_id, t.text, t.score,
         ROW_NUMBER() OVER (PARTITION BY c.idx ORDER BY t.completed_at DESC, t.answer_id, t.question_id) AS rank
       FROM texts t JOIN cells c ON t.completed_at >= c.c_start AND t.completed_at < c.c_end
         AND (c.team IS NULL OR t.team = c.team)
       WHERE t.text IS NOT NULL AND t.text <> '')
     SELECT * FROM ranked WHERE rank <= ${COMMENT_LIMIT} ORDER BY idx, rank`,
    [survey.survey_id],
  );
  for (const row of rows) {
    const list = comments.get(Number(row.idx)) ?? [];
    const score =
      row.score === null ? null : Number(row.score === 'true' ? 1 : row.score === 'false' ? 0 : row.score);
    list.push({
      ...(survey.anonymous ? {} : { answer_id: row.answer_id }),
      question_id: row.question_id,
      text: row.text,
      score: score !== null && Number.isFinite(score) ? score : null,
      locale: row.locale,
      submitted_at: survey.anonymous ? null : row.completed_at.toISOString(),
    });
    comments.set(Number(row.idx), list);
  }
  return comments;
}
