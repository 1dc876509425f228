// Surveys: every survey of the workspace with its template, audience, status, channels, schedule and how many
// answered (GET /api/v1/surveys, then each survey's results); "New survey" for those who may create one, and
// "Survey settings" for admins and owners.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import type { Survey } from '../api/types';
import { useApi } from '../api/use-api';
import { Page } from '../components/page';
import { ErrorState, Loading } from '../components/status';
import { SurveyAnswered } from '../components/survey-counts';
import { canManageSurveys, StatusBadge, scheduleText } from '../components/survey-meta';
import { TableWrap } from '../components/table-wrap';
import { useFormat } from '../format';
import { Link } from '../router';
import { isAdmin, useSession } from '../session';

export function SurveysPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const session = useSession();
  const manage = canManageSurveys(session);
  const list = useApi('surveys', (signal) => api<{ surveys: Survey[] }>('/api/v1/surveys', { signal }));

  let body: ReactNode;
  if (list.state.status === 'loading') body = <Loading />;
  else if (list.state.status === 'error') body = <ErrorState error={list.state.error} retry={list.retry} />;
  else if (list.state.data.surveys.length === 0) {
    body = (
      <p className="notice" data-empty="">
        {manage ? t('surveys.emptyManager') : t('surveys.emptyViewer')}
      </p>
    );
  } else {
    const surveys = list.state.data.surveys;
    body = (
      <>
        <p className="as-of" role="status" data-total={surveys.length}>
          {t('surveys.count', { count: surveys.length, total: format.number(surveys.length, 0) })}
        </p>
        <TableWrap label={t('surveys.caption')}>
          <table data-surveys-table="">
            <caption className="visually-hidden">{t('surveys.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('surveys.columns.name')}</th>
                <th scope="col">{t('surveys.columns.template')}</th>
                <th scope="col">{t('surveys.columns.audience')}</th>
                <th scope="col">{t('surveys.columns.status')}</th>
                <th scope="col">{t('surveys.columns.channels')}</th>
                <th scope="col">{t('surveys.columns.schedule')}</th>
                <th scope="col" className="num">
                  {t('surveys.columns.answered')}
                </th>
                <th scope="col" className="num">
                  {t('surveys.columns.responseRate')}
                </th>
              </tr>
            </thead>
            <tbody>
              {surveys.map((s) => (
                <tr key={s.survey_id} data-survey-id={s.survey_id} data-status={s.status}>
                  <td>
                    <Link to={`/surveys/${encodeURIComponent(s.survey_id)}`} data-survey-link="">
                      {s.name}
                    </Link>
                    <div className="muted small">{format.date(s.created_at)}</div>
                  </td>
                  <td data-template={s.template}>{t(`surveys.templates.${s.template}.name`)}</td>
                  <td>
                    {t(`surveys.audiences.${s.audience}`)}
                    {s.anonymous ? <div className="muted small">{t('surveys.anonymous')}</div> : null}
                  </td>
                  <td>
                    <StatusBadge status={s.status} />
                  </td>
                  <td>{s.channels.map((c) => t(`surveys.channels.${c}`)).join(', ')}</td>
                  <td>{scheduleText(t, format, s.schedule)}</td>
                  <SurveyAnswered survey={s} />
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </>
    );
  }

  return (
    <Page
      name="surveys"
      title={t('nav.surveys')}
      attributes={{ 'data-manage': String(manage) }}
      actions={
        <div className="actions">
          <Link to="/surveys/fatigue" className="button subtle" data-nav-fatigue="">
            {t('fatigue.title')}
          </Link>{' '}
          {isAdmin(session) ? (
            <>
              <Link to="/surveys/settings" className="button subtle" data-nav-settings="">
                {t('surveySettings.title')}
              </Link>{' '}
            </>
          ) : null}
          {manage ? (
            <Link to="/surveys/new" className="button primary" data-control="new-survey">
              {t('surveys.new')}
            </Link>
          ) : null}
        </div>
      }
    >
      <p className="hint">{manage ? t('surveys.hintManager') : t('surveys.hintViewer')}</p>
      {body}
    </Page>
  );
}
