// One survey (GET /api/v1/surveys/{id}): its settings and questions, status actions (activate, pause, close:
// PATCH), the anonymous link and widget snippet, sending it to contacts, its results, and where its KPI shows.
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../api/client';
import type { Survey, SurveyStatus } from '../api/types';
import { useApi } from '../api/use-api';
import { Page } from '../components/page';
import { ErrorState, Loading } from '../components/status';
import {
  canManageSurveys,
  kpiPage,
  StatusBadge,
  scheduleText,
  surveyMetric,
} from '../components/survey-meta';
import { QuestionList } from '../components/survey-questions';
import { SurveyResultsView } from '../components/survey-results';
import { anonymousLink, CopyField, SendForm, widgetSnippet } from '../components/survey-share';
import { useFormat } from '../format';
import { LANGUAGE_NAMES } from '../i18n';
import { Link } from '../router';
import { useSession } from '../session';

/** The status changes each status allows (a closed survey stays closed). */
const NEXT: Record<SurveyStatus, SurveyStatus[]> = {
  draft: ['active', 'closed'],
  active: ['paused', 'closed'],
  paused: ['active', 'closed'],
  closed: [],
};

function StatusActions({ survey, onChanged }: { survey: Survey; onChanged: (survey: Survey) => void }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const change = (status: SurveyStatus) => {
    setBusy(true);
    setError(null);
    api<Survey>(`/api/v1/surveys/${encodeURIComponent(survey.survey_id)}`, {
      method: 'PATCH',
      body: { status },
    }).then(
      (updated) => {
        setBusy(false);
        setConfirming(false);
        onChanged(updated);
      },
      (failure: unknown) => {
        setBusy(false);
        setError(failure instanceof ApiError ? failure : new ApiError(0, 'client', String(failure)));
      },
    );
  };
  const next = NEXT[survey.status];
  if (next.length === 0) return <p className="hint">{t('surveys.detail.closedHint')}</p>;
  return (
    <div data-status-actions="">
      <div className="filters">
        {next
          .filter((s) => s !== 'closed')
          .map((s) => (
            <button
              key={s}
              type="button"
              className="button primary"
              disabled={busy}
              data-control={`status-${s}`}
              onClick={() => change(s)}
            >
              {s === 'active' && survey.status === 'paused'
                ? t('surveys.detail.resume')
                : t(`surveys.detail.to.${s}`)}
            </button>
          ))}
        {confirming ? (
          <>
            <span role="alert">{t('surveys.detail.closeConfirm')}</span>
            <button
              type="button"
              className="button danger"
              disabled={busy}
              data-control="status-closed-confirm"
              onClick={() => change('closed')}
            >
              {t('surveys.detail.closeYes')}
            </button>
            <button type="button" className="button" onClick={() => setConfirming(false)}>
              {t('surveys.detail.closeNo')}
            </button>
          </>
        ) : (
          <button
            type="button"
            className="button danger"
            disabled={busy}
            data-control="status-closed"
            onClick={() => setConfirming(true)}
          >
            {t('surveys.detail.to.closed')}
          </button>
        )}
      </div>
      {error ? <ErrorState error={error} /> : null}
    </div>
  );
}

function Settings({ survey }: { survey: Survey }) {
  const { t } = useTranslation();
  const format = useFormat();
  const filter = survey.audience_filter;
  const filterText = [
    filter.segments?.length ? t('surveys.detail.segments', { list: filter.segments.join(', ') }) : '',
    filter.account_ids?.length ? t('surveys.detail.accounts', { count: filter.account_ids.length }) : '',
    filter.teams?.length ? t('surveys.detail.teams', { list: filter.teams.join(', ') }) : '',
  ].filter(Boolean);
  return (
    <dl className="kv" data-survey-settings="">
      <div>
        <dt>{t('surveys.columns.template')}</dt>
        <dd data-template={survey.template}>{t(`surveys.templates.${survey.template}.name`)}</dd>
      </div>
      <div>
        <dt>{t('surveys.columns.audience')}</dt>
        <dd>
          {t(`surveys.audiences.${survey.audience}`)}
          {survey.anonymous ? ` · ${t('surveys.anonymous')}` : ''}
          {filterText.length > 0 ? ` (${filterText.join('; ')})` : ''}
        </dd>
      </div>
      <div>
        <dt>{t('surveys.form.defaultLocale')}</dt>
        <dd>{LANGUAGE_NAMES[survey.default_locale]}</dd>
      </div>
      <div>
        <dt>{t('surveys.columns.channels')}</dt>
        <dd>{survey.channels.map((c) => t(`surveys.channels.${c}`)).join(', ')}</dd>
      </div>
      <div>
        <dt>{t('surveys.columns.schedule')}</dt>
        <dd>{scheduleText(t, format, survey.schedule)}</dd>
      </div>
      <div>
        <dt>{t('surveys.form.reminders')}</dt>
        <dd>
          {survey.reminders.count === 0
            ? t('surveys.detail.noReminders')
            : t('surveys.detail.reminders', {
                count: survey.reminders.count,
                days: survey.reminders.after_days.join(', '),
              })}
        </dd>
      </div>
      <div>
        <dt>{t('surveys.detail.created')}</dt>
        <dd>
          {format.dateTime(survey.created_at)}
          {survey.created_by ? ` · ${survey.created_by}` : ''}
        </dd>
      </div>
    </dl>
  );
}

/** Where the survey's answers show in the KPIs: its KPI's page and the overview. */
function KpiEffect({ survey }: { survey: Survey }) {
  const { t } = useTranslation();
  const metric = surveyMetric(survey);
  const label = metric ? t(`comments.metrics.${metric}`) : '';
  return (
    <section className="card" aria-labelledby="survey-kpi-effect" data-kpi-effect={metric ?? ''}>
      <h2 id="survey-kpi-effect">{t('surveys.detail.effectTitle')}</h2>
      {metric ? (
        <>
          <p>{t('surveys.detail.effect', { kpi: label })}</p>
          <p className="filters">
            <Link to={kpiPage(metric)} data-kpi-link={metric}>
              {t(metric === 'enps' ? 'surveys.detail.onEmployees' : 'surveys.detail.onSatisfaction', {
                kpi: label,
              })}
            </Link>
            <Link to="/" data-kpi-link="overview">
              {t('surveys.detail.onOverview', { kpi: label })}
            </Link>
          </p>
        </>
      ) : (
        <p className="muted">{t('surveys.detail.noKpi')}</p>
      )}
    </section>
  );
}

function SurveyView({ initial }: { initial: Survey }) {
  const { t } = useTranslation();
  const session = useSession();
  const manage = canManageSurveys(session);
  const [survey, setSurvey] = useState(initial);
  const shareable = survey.channels.includes('anonymous_link') || survey.channels.includes('widget');
  return (
    <Page
      name="survey"
      title={survey.name}
      attributes={{
        'data-survey-id': survey.survey_id,
        'data-status': survey.status,
        'data-manage': String(manage),
      }}
      actions={
        <Link to="/surveys" className="button subtle">
          {t('surveys.back')}
        </Link>
      }
    >
      <section className="card" aria-labelledby="survey-settings">
        <h2 id="survey-settings">
          {t('surveys.detail.settings')} <StatusBadge status={survey.status} />
        </h2>
        <Settings survey={survey} />
        {manage ? <StatusActions survey={survey} onChanged={setSurvey} /> : null}
        <details>
          <summary>{t('surveys.detail.questions', { count: survey.questions.length })}</summary>
          <QuestionList questions={survey.questions} locale={survey.default_locale} />
        </details>
      </section>
      {shareable || manage ? (
        <section className="card" aria-labelledby="survey-share" data-share="">
          <h2 id="survey-share">{t('surveys.share.title')}</h2>
          {survey.status !== 'active' ? <p className="notice">{t('surveys.share.notActive')}</p> : null}
          {survey.channels.includes('anonymous_link') ? (
            <CopyField
              name="link"
              label={t('surveys.share.anonymousLink')}
              value={anonymousLink(session.workspace, survey)}
            />
          ) : null}
          {survey.channels.includes('widget') ? (
            <CopyField
              name="widget"
              label={t('surveys.share.widget')}
              value={widgetSnippet(session.workspace, survey)}
            />
          ) : null}
          {manage && survey.status === 'active' ? <SendForm survey={survey} /> : null}
        </section>
      ) : null}
      <SurveyResultsView survey={survey} />
      <KpiEffect survey={survey} />
    </Page>
  );
}

export function SurveyDetailPage({ id }: { id: string }) {
  const { t } = useTranslation();
  const survey = useApi(`survey:${id}`, (signal) =>
    api<Survey>(`/api/v1/surveys/${encodeURIComponent(id)}`, { signal }),
  );
  let body: ReactNode;
  if (survey.state.status === 'ok') return <SurveyView key={id} initial={survey.state.data} />;
  if (survey.state.status === 'loading') body = <Loading />;
  else if (survey.state.status === 'error' && survey.state.error.status === 404)
    body = <p className="notice">{t('surveys.detail.unknown', { id })}</p>;
  else body = <ErrorState error={survey.state.error} retry={survey.retry} />;
  return (
    <Page name="survey" title={t('nav.surveys')}>
      {body}
    </Page>
  );
}
