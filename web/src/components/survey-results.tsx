// A survey's results (GET /api/v1/surveys/{id}/results) for a range in the address (?from&to, by ?period, and
// per team with ?team=true for employee surveys): sent, opened, answered, response rate and each KPI with its
// 95 % confidence interval, the same per calendar period, the score distribution, each question's answers and the
// comments. They refresh every 30 s while the survey is active, so answers can be watched arriving. The server
// withholds small groups of employee answers: such a cell says why and shows no count.
import type { TFunction } from 'i18next';
import { type ReactNode, useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, query } from '../api/client';
import {
  isSuppressed,
  type KpiInfo,
  type PeriodResults,
  type QuestionResult,
  type ResultsBlock,
  type Shown,
  type Suppressed,
  type Survey,
  type SurveyKpi,
  type SurveyResults,
} from '../api/types';
import { useApi, useLatest } from '../api/use-api';
import { useCatalogue } from '../data';
import { addDays, useFormat } from '../format';
import { kpiLabel } from '../kpi-meta';
import { Link, navigate, useLocation, withParams } from '../router';
import { Chart, PALETTE } from './chart';
import { ErrorState, Loading } from './status';
import { surveyMetric, textIn } from './survey-meta';
import { TableWrap } from './table-wrap';
import { Tip } from './tip';

const KINDS = ['month', 'quarter', 'year'] as const;
type Kind = (typeof KINDS)[number];
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const REFRESH_MS = 30_000;

/** NPS groups: detractors 0–6, passives 7–8, promoters 9–10 (as on the satisfaction page). */
function npsColour(score: number): string {
  return score >= 9 ? '#1a7336' : score >= 7 ? '#8a919c' : '#b42318';
}

/** The name of the KPI the survey feeds, or "KPI". */
function metricLabel(t: TFunction, survey: Survey): string {
  const metric = surveyMetric(survey);
  return metric ? t(`comments.metrics.${metric}`) : t('surveys.results.kpi');
}

/** A withheld number: the reason in the reader's language (the server's words for a code it adds), no count. */
export function SuppressedValue({ cell }: { cell: Suppressed }) {
  const { t } = useTranslation();
  return (
    <Tip tip={t(`surveys.withheld.${cell.code}`, { defaultValue: cell.reason })} className="suppressed">
      {t('employees.suppressed')}
    </Tip>
  );
}

/** The data-* hooks of a number as the API gave it: String(value), empty for null or withheld. */
function valueHooks(value: Shown<number | null>) {
  return isSuppressed(value)
    ? { 'data-value': '', 'data-suppressed': 'true' }
    : { 'data-value': value === null ? '' : String(value) };
}

/** A KPI value with its interval in the KPI's unit. */
function useKpiText() {
  const { t } = useTranslation();
  const format = useFormat();
  const catalogue = useCatalogue();
  const units = new Map(
    (catalogue.state.status === 'ok' ? catalogue.state.data : []).map((k): [string, KpiInfo] => [k.id, k]),
  );
  return {
    label: (kpi: SurveyKpi) => {
      const info = units.get(kpi.id);
      return info ? kpiLabel(t, info) : t(`kpi.${kpi.id}`, { defaultValue: kpi.id });
    },
    value: (v: number | null, kpi: SurveyKpi) => format.value(v, units.get(kpi.id)?.unit ?? 'score'),
  };
}

function Tile({
  name,
  label,
  children,
  hooks,
}: {
  name: string;
  label: string;
  children: ReactNode;
  hooks: object;
}) {
  return (
    <article className="tile" data-survey-result={name} {...hooks}>
      <h3>{label}</h3>
      <p className="tile-value">{children}</p>
    </article>
  );
}

function Tiles({ survey, block }: { survey: Survey; block: ResultsBlock }) {
  const { t } = useTranslation();
  const format = useFormat();
  const kpi = useKpiText();
  const count = (v: Shown<number | null>) =>
    isSuppressed(v) ? <SuppressedValue cell={v} /> : format.number(v, 0);
  return (
    <div className="tiles">
      <Tile name="sent" label={t('surveys.results.sent')} hooks={valueHooks(block.sent)}>
        {count(block.sent)}
      </Tile>
      {block.opened === null ? null : (
        <Tile name="opened" label={t('surveys.results.opened')} hooks={valueHooks(block.opened)}>
          {count(block.opened)}
        </Tile>
      )}
      <Tile name="answered" label={t('surveys.results.answered')} hooks={valueHooks(block.answered)}>
        {count(block.answered)}
      </Tile>
      <Tile
        name="response_rate"
        label={t('surveys.results.responseRate')}
        hooks={valueHooks(block.response_rate)}
      >
        {isSuppressed(block.response_rate) ? (
          <SuppressedValue cell={block.response_rate} />
        ) : (
          format.value(block.response_rate, 'percent')
        )}
      </Tile>
      {isSuppressed(block.kpis) ? (
        <Tile name="kpi" label={metricLabel(t, survey)} hooks={valueHooks(block.kpis)}>
          <SuppressedValue cell={block.kpis} />
        </Tile>
      ) : (
        block.kpis.map((k) => (
          <article
            key={k.id}
            className="tile"
            data-survey-result="kpi"
            data-kpi={k.id}
            data-value={k.value === null ? '' : String(k.value)}
            data-ci-low={k.ci_low === null ? '' : String(k.ci_low)}
            data-ci-high={k.ci_high === null ? '' : String(k.ci_high)}
            data-answers={k.answers}
          >
            <h3>{kpi.label(k)}</h3>
            <p className="tile-value">{kpi.value(k.value, k)}</p>
            <p className="tile-period">
              {k.ci_low !== null && k.ci_high !== null
                ? t('surveys.results.ci', { low: kpi.value(k.ci_low, k), high: kpi.value(k.ci_high, k) })
                : t('surveys.results.noCi')}
            </p>
            <p className="tile-period">{t('surveys.results.kpiAnswers', { count: k.answers })}</p>
          </article>
        ))
      )}
    </div>
  );
}

function Distribution({ survey, block }: { survey: Survey; block: ResultsBlock }) {
  const { t } = useTranslation();
  const format = useFormat();
  const data = isSuppressed(block.distribution) ? null : block.distribution;
  const first = block.kpi !== null && !isSuppressed(block.kpi) ? block.kpi : null;
  const nps = first !== null && (first.metric === 'nps' || first.metric === 'enps');
  const option = useMemo(
    () =>
      data && {
        tooltip: { trigger: 'axis' },
        grid: { left: 8, right: 8, top: 16, bottom: 8, containLabel: true },
        xAxis: { type: 'category', data: data.map((d) => String(d.score)), name: t('satisfaction.score') },
        yAxis: { type: 'value', minInterval: 1 },
        series: [
          {
            type: 'bar',
            name: t('satisfaction.answers'),
            data: data.map((d) => ({
              value: d.count,
              itemStyle: { color: nps ? npsColour(d.score) : PALETTE[0] },
            })),
          },
        ],
      },
    [data, nps, t],
  );
  if (isSuppressed(block.distribution)) {
    return (
      <p data-suppressed="true">
        <SuppressedValue cell={block.distribution} />
      </p>
    );
  }
  const total = data?.reduce((sum, d) => sum + d.count, 0) ?? 0;
  if (!data || !option || total === 0) return <p className="muted">{t('surveys.results.noScores')}</p>;
  return (
    <Chart
      name="survey-distribution"
      option={option}
      summary={t('surveys.results.distributionSummary', {
        name: survey.name,
        total: format.number(total, 0),
      })}
      table={{
        columns: [t('satisfaction.score'), t('satisfaction.answers')],
        rows: data.map((d) => [String(d.score), format.number(d.count, 0)]),
      }}
      height={240}
    />
  );
}

function QuestionBreakdown({ survey, result }: { survey: Survey; result: QuestionResult }) {
  const { t } = useTranslation();
  const format = useFormat();
  const question = survey.questions.find((q) => q.id === result.question_id);
  const locale = survey.default_locale;
  const answerText = (value: string) => {
    const choice = question?.choices?.find((c) => c.id === value);
    if (choice) return textIn(choice.text, locale);
    if (value === 'true') return t('accounts.yes');
    if (value === 'false') return t('accounts.no');
    return value;
  };
  const title = question ? textIn(question.text, locale) : result.question_id;
  return (
    <li data-question-result={result.question_id}>
      <p lang={question?.text[locale] ? locale : 'en'}>
        <strong>{title}</strong>
      </p>
      <dl className="kv">
        <div>
          <dt>{t('surveys.results.answered')}</dt>
          <dd {...valueHooks(result.answered)}>
            {isSuppressed(result.answered) ? (
              <SuppressedValue cell={result.answered} />
            ) : (
              format.number(result.answered, 0)
            )}
          </dd>
        </div>
        {result.mean === undefined ? null : (
          <div>
            <dt>{t('surveys.results.mean')}</dt>
            <dd {...valueHooks(result.mean)}>
              {isSuppressed(result.mean) ? (
                <SuppressedValue cell={result.mean} />
              ) : (
                format.number(result.mean, 2)
              )}
            </dd>
          </div>
        )}
      </dl>
      {result.counts === undefined ? null : isSuppressed(result.counts) ? (
        <p data-suppressed="true">
          <SuppressedValue cell={result.counts} />
        </p>
      ) : result.counts.length > 0 ? (
        <details>
          <summary>{t('surveys.results.perValue')}</summary>
          <TableWrap label={title}>
            <table>
              <caption className="visually-hidden">{title}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('surveys.results.answer')}</th>
                  <th scope="col" className="num">
                    {t('satisfaction.answers')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {result.counts.map((c) => (
                  <tr key={c.value} data-value={c.value}>
                    <th scope="row">{answerText(c.value)}</th>
                    <td className="num">{format.number(c.count, 0)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </details>
      ) : null}
    </li>
  );
}

function Comments({ block }: { block: ResultsBlock }) {
  const { t } = useTranslation();
  const format = useFormat();
  if (isSuppressed(block.comments)) {
    return (
      <p data-suppressed="true">
        <SuppressedValue cell={block.comments} />
      </p>
    );
  }
  if (block.comments.length === 0) return <p className="muted">{t('surveys.results.noComments')}</p>;
  return (
    <ol className="answers" data-survey-comments="">
      {block.comments.map((c, i) => (
        // Anonymous comments carry no id: their place keys them (the list is replaced whole, never reordered).
        <li key={c.answer_id ?? i} data-survey-comment="">
          <div className="answer-head">
            {c.score !== null ? <span className="score-badge">{c.score}</span> : null}
            {c.submitted_at ? <time dateTime={c.submitted_at}>{format.dateTime(c.submitted_at)}</time> : null}
            {c.locale ? <span className="muted">{c.locale}</span> : null}
          </div>
          <p className="comment" lang={c.locale ?? undefined} data-comment="">
            {c.text}
          </p>
        </li>
      ))}
    </ol>
  );
}

/** Each period (and team) in a row; a period's label opens it alone. */
function Periods({ survey, results, kind }: { survey: Survey; results: SurveyResults; kind: Kind }) {
  const { t } = useTranslation();
  const format = useFormat();
  const kpi = useKpiText();
  const teams = results.periods.some((p) => p.team !== null);
  const cell = (value: Shown<number | null>, text: (v: number | null) => string) => (
    <td className="num" {...valueHooks(value)}>
      {isSuppressed(value) ? <SuppressedValue cell={value} /> : text(value)}
    </td>
  );
  const kpiCell = (p: PeriodResults) => {
    if (p.kpi === null) return <td className="num">—</td>;
    if (isSuppressed(p.kpi)) return cell(p.kpi, () => '');
    const k = p.kpi;
    return (
      <td className="num" data-value={k.value === null ? '' : String(k.value)}>
        {kpi.value(k.value, k)}
        {k.ci_low !== null && k.ci_high !== null ? (
          <div className="muted small">
            {kpi.value(k.ci_low, k)} – {kpi.value(k.ci_high, k)}
          </div>
        ) : null}
      </td>
    );
  };
  const first = results.periods.find((p) => p.kpi !== null && !isSuppressed(p.kpi))?.kpi as
    | SurveyKpi
    | undefined;
  const single = results.periods.filter((p) => p.team === null).length === 1;
  return (
    <TableWrap label={t('surveys.results.periods')}>
      <table data-survey-periods="">
        <caption className="visually-hidden">{t('surveys.results.periods')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('chart.period')}</th>
            {teams ? <th scope="col">{t('employees.team')}</th> : null}
            <th scope="col" className="num">
              {t('surveys.results.sent')}
            </th>
            <th scope="col" className="num">
              {t('surveys.results.answered')}
            </th>
            <th scope="col" className="num">
              {t('surveys.results.responseRate')}
            </th>
            <th scope="col" className="num">
              {first ? kpi.label(first) : metricLabel(t, survey)}
            </th>
          </tr>
        </thead>
        <tbody>
          {results.periods.map((p) => (
            <tr key={`${p.start}:${p.team ?? ''}`} data-period-start={p.start} data-team={p.team ?? ''}>
              <th scope="row">
                {single || p.team !== null ? (
                  format.period(p.start, kind)
                ) : (
                  <Link to={withParams({ from: p.start.slice(0, 10), to: p.end.slice(0, 10), period: kind })}>
                    {format.period(p.start, kind)}
                  </Link>
                )}
              </th>
              {teams ? <td>{p.team ?? t('employees.company')}</td> : null}
              {cell(p.sent, (v) => format.number(v, 0))}
              {cell(p.answered, (v) => format.number(v, 0))}
              {cell(p.response_rate, (v) => format.value(v, 'percent'))}
              {kpiCell(p)}
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

/** The range, the periods and the team breakdown, kept in the address. */
function Controls({ survey, results }: { survey: Survey; results: SurveyResults | null }) {
  const { t } = useTranslation();
  const id = useId();
  const { params } = useLocation();
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const set = (changes: Record<string, string | null>) => navigate(withParams(changes), true);
  return (
    <search className="filters" data-results-controls="">
      <div>
        <label htmlFor={`${id}-period`}>{t('surveys.results.byPeriod')}</label>
        <select
          id={`${id}-period`}
          value={params.get('period') ?? (survey.anonymous ? 'month' : '')}
          data-control="results-period"
          onChange={(e) => set({ period: e.target.value || null })}
        >
          {survey.anonymous ? null : <option value="">{t('surveys.results.noPeriods')}</option>}
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`range.kinds.${k}`)}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor={`${id}-from`}>{t('range.from')}</label>
        <input
          id={`${id}-from`}
          type="date"
          value={from || (results?.from?.slice(0, 10) ?? '')}
          data-control="results-from"
          onChange={(e) => set({ from: e.target.value || null })}
        />
      </div>
      <div>
        <label htmlFor={`${id}-to`}>{t('range.to')}</label>
        <input
          id={`${id}-to`}
          type="date"
          value={to ? addDays(to, -1) : results?.to ? addDays(results.to.slice(0, 10), -1) : ''}
          data-control="results-to"
          onChange={(e) => set({ to: e.target.value ? addDays(e.target.value, 1) : null })}
        />
      </div>
      {survey.anonymous ? (
        <div>
          <label>
            <input
              type="checkbox"
              checked={params.get('team') === 'true'}
              data-control="results-team"
              onChange={(e) => set({ team: e.target.checked ? 'true' : null })}
            />{' '}
            {t('surveys.results.byTeam')}
          </label>
        </div>
      ) : null}
      {from || to || params.get('period') || params.get('team') ? (
        <button
          type="button"
          className="button subtle"
          onClick={() => set({ from: null, to: null, period: null, team: null })}
        >
          {t('surveys.results.wholeSurvey')}
        </button>
      ) : null}
    </search>
  );
}

export function SurveyResultsView({ survey }: { survey: Survey }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { params } = useLocation();
  const day = (name: string) => {
    const value = params.get(name);
    return value !== null && DAY.test(value) ? value : undefined;
  };
  const kind = (KINDS as readonly string[]).includes(params.get('period') ?? '')
    ? (params.get('period') as Kind)
    : undefined;
  const url = `/api/v1/surveys/${encodeURIComponent(survey.survey_id)}/results${query({
    from: day('from'),
    to: day('to'),
    period: kind,
    team: survey.anonymous && params.get('team') === 'true' ? 'true' : undefined,
  })}`;
  // While the survey is active, read the results again every 30 s (when the page is in view).
  const [tick, setTick] = useState(0);
  const [readAt, setReadAt] = useState<string | null>(null);
  useEffect(() => {
    if (survey.status !== 'active') return;
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') setTick((n) => n + 1);
    }, REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [survey.status]);
  const results = useApi(`${url}#${survey.status}:${tick}`, (signal) =>
    api<SurveyResults>(url, { signal }).then((answer) => {
      setReadAt(new Date().toISOString());
      return answer;
    }),
  );
  const latest = useLatest(results.state);
  const data = latest && latest.survey_id === survey.survey_id ? latest : null;

  let body: ReactNode;
  if (results.state.status === 'error')
    body = <ErrorState error={results.state.error} retry={results.retry} />;
  else if (!data) body = <Loading />;
  else {
    const wholeOnly = isSuppressed(data.answered) && data.answered.code === 'whole_periods_only';
    body = (
      <div aria-busy={results.state.status === 'loading'}>
        {wholeOnly ? (
          <p className="notice" data-suppressed="true" data-reason="whole_periods_only">
            {t('surveys.withheld.whole_periods_only')}
          </p>
        ) : (
          <Tiles survey={survey} block={data} />
        )}
        {data.periods.length > 0 && data.period ? (
          <>
            <h3>{t('surveys.results.periods')}</h3>
            <Periods survey={survey} results={data} kind={data.period} />
          </>
        ) : null}
        {wholeOnly ? null : (
          <>
            <h3>{t('surveys.results.distribution')}</h3>
            <Distribution survey={survey} block={data} />
            <h3>{t('surveys.results.questions')}</h3>
            <ol className="answers" data-question-results="">
              {data.questions.map((q) => (
                <QuestionBreakdown key={q.question_id} survey={survey} result={q} />
              ))}
            </ol>
            <h3>{t('surveys.results.comments')}</h3>
            <Comments block={data} />
          </>
        )}
      </div>
    );
  }

  return (
    <section className="card" aria-labelledby="survey-results" data-survey-results="">
      <h2 id="survey-results">{t('surveys.results.title')}</h2>
      {survey.anonymous ? (
        <p className="hint">{t('surveys.results.anonymousHint', { minimum: data?.minimum_group ?? 5 })}</p>
      ) : null}
      <Controls survey={survey} results={data} />
      <p className="as-of">
        {readAt ? t('surveys.results.readAt', { time: format.dateTime(readAt) }) : null}
        {survey.status === 'active' ? ` ${t('surveys.results.live')}` : ''}{' '}
        <button
          type="button"
          className="button subtle"
          onClick={() => setTick((n) => n + 1)}
          data-control="results-refresh"
        >
          {t('surveys.results.refresh')}
        </button>
      </p>
      {body}
    </section>
  );
}
