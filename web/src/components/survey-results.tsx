// A survey's results (GET /api/v1/surveys/{id}/results): sent, opened, answered and response rate, the KPI with
// its 95 % confidence interval, the score distribution, each question's answers, and the comments. For an
// anonymous survey the server withholds small groups: such a cell says why and shows no count.
import { type ReactNode, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import {
  isSuppressed,
  type QuestionResult,
  type Suppressed,
  type Survey,
  type SurveyResults,
} from '../api/types';
import { useApi } from '../api/use-api';
import { useFormat } from '../format';
import { Chart, PALETTE } from './chart';
import { ErrorState, Loading } from './status';
import { textIn } from './survey-meta';
import { TableWrap } from './table-wrap';
import { Tip } from './tip';

/** NPS groups: detractors 0–6, passives 7–8, promoters 9–10 (as on the satisfaction page). */
function npsColour(score: number): string {
  return score >= 9 ? '#1a7336' : score >= 7 ? '#8a919c' : '#b42318';
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

function ResultTile({
  name,
  label,
  value,
  children,
}: {
  name: string;
  label: string;
  value: number | null | Suppressed;
  children: ReactNode;
}) {
  const suppressed = isSuppressed(value);
  return (
    <article
      className="tile"
      data-survey-result={name}
      data-value={suppressed || value === null ? '' : String(value)}
      data-suppressed={suppressed ? 'true' : undefined}
    >
      <h3>{label}</h3>
      <p className="tile-value">{suppressed ? <SuppressedValue cell={value} /> : children}</p>
    </article>
  );
}

function Distribution({ survey, results }: { survey: Survey; results: SurveyResults }) {
  const { t } = useTranslation();
  const format = useFormat();
  const data = isSuppressed(results.distribution) ? null : results.distribution;
  const nps =
    results.kpi !== null && !isSuppressed(results.kpi) && ['nps', 'enps'].includes(results.kpi.metric);
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
  if (isSuppressed(results.distribution)) {
    return (
      <p data-suppressed="true">
        <SuppressedValue cell={results.distribution} />
      </p>
    );
  }
  if (!data || !option || data.length === 0) return <p className="muted">{t('surveys.results.noScores')}</p>;
  const total = data.reduce((sum, d) => sum + d.count, 0);
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
  const choiceText = (value: string) => {
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
          <dd data-answered={isSuppressed(result.answered) ? '' : String(result.answered)}>
            {isSuppressed(result.answered) ? (
              <SuppressedValue cell={result.answered} />
            ) : (
              format.number(result.answered, 0)
            )}
          </dd>
        </div>
        {result.mean !== undefined ? (
          <div>
            <dt>{t('surveys.results.mean')}</dt>
            <dd>
              {isSuppressed(result.mean) ? (
                <SuppressedValue cell={result.mean} />
              ) : (
                format.number(result.mean, 2)
              )}
            </dd>
          </div>
        ) : null}
      </dl>
      {result.counts === undefined ? null : isSuppressed(result.counts) ? (
        <p data-suppressed="true">
          <SuppressedValue cell={result.counts} />
        </p>
      ) : result.counts.length > 0 ? (
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
                  <th scope="row">{choiceText(c.value)}</th>
                  <td className="num">{format.number(c.count, 0)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
    </li>
  );
}

function Comments({ results }: { results: SurveyResults }) {
  const { t } = useTranslation();
  const format = useFormat();
  if (isSuppressed(results.comments)) {
    return (
      <p data-suppressed="true">
        <SuppressedValue cell={results.comments} />
      </p>
    );
  }
  if (results.comments.length === 0) return <p className="muted">{t('surveys.results.noComments')}</p>;
  return (
    <ol className="answers" data-survey-comments="">
      {results.comments.map((c) => (
        <li key={`${c.submitted_at}:${c.question_id}:${c.text}`} data-survey-comment="">
          <div className="answer-head">
            {c.score !== null ? <span className="score-badge">{c.score}</span> : null}
            <time dateTime={c.submitted_at}>{format.dateTime(c.submitted_at)}</time>
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

export function SurveyResultsView({ survey }: { survey: Survey }) {
  const { t } = useTranslation();
  const format = useFormat();
  const url = `/api/v1/surveys/${encodeURIComponent(survey.survey_id)}/results`;
  const results = useApi(`${url}:${survey.status}`, (signal) => api<SurveyResults>(url, { signal }));

  let body: ReactNode;
  if (results.state.status === 'loading') body = <Loading />;
  else if (results.state.status === 'error')
    body = <ErrorState error={results.state.error} retry={results.retry} />;
  else {
    const r = results.state.data;
    const count = (v: number | Suppressed) => (isSuppressed(v) ? '' : format.number(v, 0));
    const kpi = r.kpi;
    body = (
      <>
        <div className="tiles">
          <ResultTile name="sent" label={t('surveys.results.sent')} value={r.sent}>
            {count(r.sent)}
          </ResultTile>
          <ResultTile name="opened" label={t('surveys.results.opened')} value={r.opened}>
            {count(r.opened)}
          </ResultTile>
          <ResultTile name="answered" label={t('surveys.results.answered')} value={r.answered}>
            {count(r.answered)}
          </ResultTile>
          <ResultTile name="response_rate" label={t('surveys.results.responseRate')} value={r.response_rate}>
            {isSuppressed(r.response_rate) ? null : format.value(r.response_rate, 'percent')}
          </ResultTile>
          {kpi === null ? null : isSuppressed(kpi) ? (
            <ResultTile name="kpi" label={t('surveys.results.kpi')} value={kpi}>
              {null}
            </ResultTile>
          ) : (
            <article
              className="tile"
              data-survey-result="kpi"
              data-kpi={kpi.metric}
              data-value={kpi.value === null ? '' : String(kpi.value)}
              data-ci-low={kpi.ci_low === null ? '' : String(kpi.ci_low)}
              data-ci-high={kpi.ci_high === null ? '' : String(kpi.ci_high)}
            >
              <h3>{t(`comments.metrics.${kpi.metric}`)}</h3>
              <p className="tile-value">{format.number(kpi.value, 1)}</p>
              <p className="tile-period">
                {kpi.ci_low !== null && kpi.ci_high !== null
                  ? t('surveys.results.ci', {
                      low: format.number(kpi.ci_low, 1),
                      high: format.number(kpi.ci_high, 1),
                    })
                  : t('surveys.results.noCi')}
              </p>
            </article>
          )}
        </div>
        <h3>{t('surveys.results.distribution')}</h3>
        <Distribution survey={survey} results={r} />
        <h3>{t('surveys.results.questions')}</h3>
        <ol className="answers" data-question-results="">
          {r.questions.map((q) => (
            <QuestionBreakdown key={q.question_id} survey={survey} result={q} />
          ))}
        </ol>
        <h3>{t('surveys.results.comments')}</h3>
        <Comments results={r} />
      </>
    );
  }

  return (
    <section className="card" aria-labelledby="survey-results" data-survey-results="">
      <h2 id="survey-results">{t('surveys.results.title')}</h2>
      {survey.anonymous ? <p className="hint">{t('employees.privacy')}</p> : null}
      {body}
    </section>
  );
}
