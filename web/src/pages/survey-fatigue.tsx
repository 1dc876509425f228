// Fatigue audit: why each person was or was not asked by a survey (GET /api/v1/survey-fatigue/audit), searched
// by contact and survey in the address, newest first, older decisions page by page; and the limit of each
// template (GET /api/v1/survey-fatigue/settings).
import { type ReactNode, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, query } from '../api/client';
import { type FatigueDecision, type Survey, TEMPLATES, type Template } from '../api/types';
import { useApi } from '../api/use-api';
import { Page } from '../components/page';
import { ErrorState, Loading } from '../components/status';
import { TableWrap } from '../components/table-wrap';
import { useFormat } from '../format';
import { Link, navigate, useLocation, withParams } from '../router';

const PAGE_SIZE = 100;

interface AuditPage {
  items: FatigueDecision[];
  next: string | null;
}

function Limits() {
  const { t } = useTranslation();
  const settings = useApi('fatigue-settings', (signal) =>
    api<{ fatigue_days: Record<Template, number> }>('/api/v1/survey-fatigue/settings', { signal }),
  );
  if (settings.state.status === 'loading') return <Loading />;
  if (settings.state.status === 'error')
    return <ErrorState error={settings.state.error} retry={settings.retry} />;
  const days = settings.state.data.fatigue_days;
  return (
    <dl className="kv" data-fatigue-limits="">
      {TEMPLATES.map((tpl) => (
        <div key={tpl} data-template={tpl} data-days={days[tpl]}>
          <dt>{t(`surveys.templates.${tpl}.name`)}</dt>
          <dd>{days[tpl] === 0 ? t('fatigue.off') : t('fatigue.days', { count: days[tpl] })}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The contact searched for, written to the address a moment after the last key. */
function ContactSearch({ value }: { value: string }) {
  const { t } = useTranslation();
  const id = useId();
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    if (text === value) return;
    const timer = window.setTimeout(
      () => navigate(withParams({ contact_id: text.trim() || null }), true),
      300,
    );
    return () => window.clearTimeout(timer);
  }, [text, value]);
  return (
    <div>
      <label htmlFor={id}>{t('fatigue.contact')}</label>
      <input
        id={id}
        type="search"
        value={text}
        placeholder={t('fatigue.contactHint')}
        data-control="contact_id"
        onChange={(e) => setText(e.target.value)}
      />
    </div>
  );
}

export function SurveyFatiguePage() {
  const { t } = useTranslation();
  const format = useFormat();
  const id = useId();
  const { params } = useLocation();
  const contact = params.get('contact_id') ?? '';
  const surveyId = params.get('survey_id') ?? '';
  const url = `/api/v1/survey-fatigue/audit${query({
    contact_id: contact || undefined,
    survey_id: surveyId || undefined,
    limit: PAGE_SIZE,
  })}`;
  const audit = useApi(url, (signal) => api<AuditPage>(url, { signal }));
  const surveys = useApi('surveys', (signal) => api<{ surveys: Survey[] }>('/api/v1/surveys', { signal }));
  const names = new Map(
    (surveys.state.status === 'ok' ? surveys.state.data.surveys : []).map((s) => [s.survey_id, s.name]),
  );
  // Older pages, read with the cursor of the last page read (undefined: the first page's).
  const [older, setOlder] = useState<FatigueDecision[]>([]);
  const [olderNext, setOlderNext] = useState<string | null | undefined>(undefined);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<ApiError | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new search starts again from the newest rows.
  useEffect(() => {
    setOlder([]);
    setOlderNext(undefined);
    setMoreError(null);
  }, [url]);

  const first = audit.state.status === 'ok' ? audit.state.data.items : [];
  const rows = [...first, ...older];
  const next =
    olderNext === undefined ? (audit.state.status === 'ok' ? audit.state.data.next : null) : olderNext;
  const more = next !== null;
  const loadMore = () => {
    if (next === null) return;
    setLoadingMore(true);
    setMoreError(null);
    api<AuditPage>(`${url}&cursor=${encodeURIComponent(next)}`).then(
      (page) => {
        setLoadingMore(false);
        setOlder((o) => [...o, ...page.items]);
        setOlderNext(page.next);
      },
      (failure: unknown) => {
        setLoadingMore(false);
        setMoreError(failure instanceof ApiError ? failure : new ApiError(0, 'client', String(failure)));
      },
    );
  };

  let body: ReactNode;
  if (audit.state.status === 'loading') body = <Loading />;
  else if (audit.state.status === 'error')
    body = <ErrorState error={audit.state.error} retry={audit.retry} />;
  else if (rows.length === 0) {
    body = (
      <p className="notice" data-empty="">
        {contact ? t('fatigue.noneFor', { contact }) : t('fatigue.none')}
      </p>
    );
  } else {
    body = (
      <>
        <TableWrap label={t('fatigue.caption')}>
          <table data-fatigue-table="">
            <caption className="visually-hidden">{t('fatigue.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('fatigue.decidedAt')}</th>
                <th scope="col">{t('fatigue.contact')}</th>
                <th scope="col">{t('fatigue.survey')}</th>
                <th scope="col">{t('fatigue.channel')}</th>
                <th scope="col">{t('fatigue.decision')}</th>
                <th scope="col">{t('fatigue.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr
                  key={`${r.decided_at}:${r.survey_id}:${r.contact_id}:${r.channel}`}
                  data-fatigue-contact={r.contact_id}
                  data-asked={String(r.asked)}
                >
                  <td>
                    <time dateTime={r.decided_at}>{format.dateTime(r.decided_at)}</time>
                  </td>
                  <td>
                    <Link to={withParams({ contact_id: r.contact_id })}>{r.contact_id}</Link>
                  </td>
                  <td>
                    <Link to={`/surveys/${encodeURIComponent(r.survey_id)}`}>
                      {names.get(r.survey_id) ?? r.survey_id}
                    </Link>
                  </td>
                  <td>{t(`surveys.channels.${r.channel}`, { defaultValue: r.channel })}</td>
                  <td>{r.asked ? t('fatigue.asked') : t('fatigue.notAsked')}</td>
                  {/* The server writes the reason in English, for the audit's record. */}
                  <td lang="en">{r.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
        {moreError ? <ErrorState error={moreError} retry={loadMore} /> : null}
        {more ? (
          <button type="button" className="button more" onClick={loadMore} disabled={loadingMore}>
            {loadingMore ? t('status.loading') : t('fatigue.older')}
          </button>
        ) : null}
      </>
    );
  }

  return (
    <Page
      name="survey-fatigue"
      title={t('fatigue.title')}
      actions={
        <Link to="/surveys" className="button subtle">
          {t('surveys.back')}
        </Link>
      }
    >
      <p className="hint">{t('fatigue.hint')}</p>
      <section className="card" aria-labelledby={`${id}-limits`}>
        <h2 id={`${id}-limits`}>{t('fatigue.limits')}</h2>
        <p className="hint">{t('fatigue.limitsHint')}</p>
        <Limits />
      </section>
      <search className="filters">
        <ContactSearch value={contact} />
        <div>
          <label htmlFor={`${id}-survey`}>{t('fatigue.survey')}</label>
          <select
            id={`${id}-survey`}
            value={surveyId}
            data-control="survey_id"
            onChange={(e) => navigate(withParams({ survey_id: e.target.value || null }), true)}
          >
            <option value="">{t('followUps.anySurvey')}</option>
            {[...names].map(([sid, name]) => (
              <option key={sid} value={sid}>
                {name}
              </option>
            ))}
          </select>
        </div>
      </search>
      {body}
    </Page>
  );
}
