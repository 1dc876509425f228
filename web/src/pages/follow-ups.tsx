// Follow-ups: the detractors (NPS ≤ 6) and low CSAT answers (≤ 2) to call back (GET /api/v1/follow-ups),
// filtered by status, assignee and survey in the address. Analysts and admins change the status, assignee and
// note in place (PATCH /api/v1/follow-ups/{id}); viewers read them.
import { type FormEvent, type ReactNode, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, query } from '../api/client';
import { FOLLOW_UP_STATUSES, type FollowUp, type FollowUpStatus, type Survey } from '../api/types';
import { useApi } from '../api/use-api';
import { Page } from '../components/page';
import { ErrorState, Loading } from '../components/status';
import { canManageSurveys, FieldProblems, problemsAt } from '../components/survey-meta';
import { useFormat } from '../format';
import { Link, navigate, useLocation, withParams } from '../router';
import { useSession } from '../session';

const PAGE_SIZE = 50;

interface FollowUpPage {
  items: FollowUp[];
  total: number;
}

/** "NPS 3/10" or "CSAT 2/5". */
function scoreText(item: FollowUp): string {
  return item.reason === 'detractor' ? `NPS ${item.score}/10` : `CSAT ${item.score}/5`;
}

function FollowUpForm({ item, onSaved }: { item: FollowUp; onSaved: (item: FollowUp) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [status, setStatus] = useState<FollowUpStatus>(item.status);
  const [assignee, setAssignee] = useState(item.assignee ?? '');
  const [note, setNote] = useState(item.note ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);

  const save = (event: FormEvent) => {
    event.preventDefault();
    const change: { status?: FollowUpStatus; assignee?: string | null; note?: string | null } = {};
    if (status !== item.status) change.status = status;
    if (assignee.trim() !== (item.assignee ?? '')) change.assignee = assignee.trim() || null;
    if (note !== (item.note ?? '')) change.note = note.trim() === '' ? null : note;
    if (Object.keys(change).length === 0) return;
    setBusy(true);
    setError(null);
    setSaved(false);
    api<FollowUp>(`/api/v1/follow-ups/${encodeURIComponent(item.followup_id)}`, {
      method: 'PATCH',
      body: change,
    }).then(
      (updated) => {
        setBusy(false);
        setSaved(true);
        onSaved(updated);
      },
      (failure: unknown) => {
        setBusy(false);
        setError(failure instanceof ApiError ? failure : new ApiError(0, 'client', String(failure)));
      },
    );
  };

  const problems = (path: string) => problemsAt(error, path);
  return (
    <form
      className="filters"
      onSubmit={save}
      aria-label={t('followUps.formLabel', { score: scoreText(item) })}
    >
      <div>
        <label htmlFor={`${id}-status`}>{t('followUps.status')}</label>
        <select
          id={`${id}-status`}
          value={status}
          data-control="followup-status"
          onChange={(e) => setStatus(e.target.value as FollowUpStatus)}
        >
          {FOLLOW_UP_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`followUps.statuses.${s}`)}
            </option>
          ))}
        </select>
        <FieldProblems id={`${id}-status-problems`} messages={problems('$.status')} />
      </div>
      <div>
        <label htmlFor={`${id}-assignee`}>{t('followUps.assignee')}</label>
        <input
          id={`${id}-assignee`}
          value={assignee}
          maxLength={200}
          placeholder={t('followUps.unassigned')}
          data-control="followup-assignee"
          onChange={(e) => setAssignee(e.target.value)}
        />
        <FieldProblems id={`${id}-assignee-problems`} messages={problems('$.assignee')} />
      </div>
      <div>
        <label htmlFor={`${id}-note`}>{t('followUps.note')}</label>
        <textarea
          id={`${id}-note`}
          value={note}
          rows={2}
          maxLength={10_000}
          data-control="followup-note"
          onChange={(e) => setNote(e.target.value)}
        />
        <FieldProblems id={`${id}-note-problems`} messages={problems('$.note')} />
      </div>
      <button type="submit" className="button primary" disabled={busy} data-control="followup-save">
        {t('followUps.save')}
      </button>
      {saved ? (
        <span role="status" className="muted">
          {t('followUps.saved')}
        </span>
      ) : null}
      {error && error.errors.length === 0 ? (
        <span role="alert" className="form-error">
          {error.status === 403 ? t('status.forbidden') : error.message}
        </span>
      ) : null}
    </form>
  );
}

function FollowUpItem({
  item,
  manage,
  onSaved,
}: {
  item: FollowUp;
  manage: boolean;
  onSaved: (item: FollowUp) => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <li data-followup-id={item.followup_id} data-status={item.status} data-assignee={item.assignee ?? ''}>
      <div className="answer-head">
        <span className={`score-badge ${item.reason === 'detractor' ? 'nps' : 'csat'}`}>
          {scoreText(item)}
        </span>
        <span>{t(`followUps.reasons.${item.reason}`)}</span>
        <time dateTime={item.created_at}>{format.dateTime(item.created_at)}</time>
        <Link to={`/surveys/${encodeURIComponent(item.survey_id)}`}>
          {item.survey_name ?? item.survey_id}
        </Link>
        {item.account_id ? (
          <Link to={`/accounts/${encodeURIComponent(item.account_id)}`}>{item.account_id}</Link>
        ) : null}
        {item.contact_id ? <span className="muted">{item.contact_id}</span> : null}
      </div>
      {item.comment ? (
        <p className="comment" data-comment="">
          {item.comment}
        </p>
      ) : (
        <p className="muted">{t('comments.noComment')}</p>
      )}
      {manage ? (
        <FollowUpForm item={item} onSaved={onSaved} />
      ) : (
        <dl className="kv">
          <div>
            <dt>{t('followUps.status')}</dt>
            <dd data-value={item.status}>{t(`followUps.statuses.${item.status}`)}</dd>
          </div>
          <div>
            <dt>{t('followUps.assignee')}</dt>
            <dd>{item.assignee ?? t('followUps.unassigned')}</dd>
          </div>
          <div>
            <dt>{t('followUps.note')}</dt>
            <dd className="comment">{item.note ?? '—'}</dd>
          </div>
        </dl>
      )}
    </li>
  );
}

/** The assignee filter, written to the address a moment after the last key. */
function AssigneeFilter({ value }: { value: string }) {
  const { t } = useTranslation();
  const id = useId();
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    if (text === value) return;
    const timer = window.setTimeout(() => navigate(withParams({ assignee: text.trim() || null }), true), 300);
    return () => window.clearTimeout(timer);
  }, [text, value]);
  return (
    <div>
      <label htmlFor={id}>{t('followUps.assignee')}</label>
      <input
        id={id}
        type="search"
        value={text}
        data-control="assignee"
        onChange={(e) => setText(e.target.value)}
      />
    </div>
  );
}

export function FollowUpsPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const session = useSession();
  const manage = canManageSurveys(session);
  const id = useId();
  const { params } = useLocation();
  const status = params.get('status') ?? '';
  const surveyId = params.get('survey_id') ?? '';
  const filters = {
    status: status || undefined,
    assignee: params.get('assignee') || undefined,
    survey_id: surveyId || undefined,
  };
  const url = `/api/v1/follow-ups${query({ ...filters, limit: PAGE_SIZE })}`;
  const list = useApi(url, (signal) => api<FollowUpPage>(url, { signal }));
  const surveys = useApi('surveys', (signal) => api<{ surveys: Survey[] }>('/api/v1/surveys', { signal }));
  // Pages after the first (by offset), and items changed here since the list loaded.
  const [extra, setExtra] = useState<FollowUp[]>([]);
  const [edited, setEdited] = useState<Map<string, FollowUp>>(new Map());
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<ApiError | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: new filters start again from the first page.
  useEffect(() => {
    setExtra([]);
    setEdited(new Map());
    setMoreError(null);
  }, [url]);

  const first = list.state.status === 'ok' ? list.state.data : null;
  const seen = new Set(first?.items.map((i) => i.followup_id));
  const items = first ? [...first.items, ...extra.filter((i) => !seen.has(i.followup_id))] : [];
  const loadMore = () => {
    setLoadingMore(true);
    setMoreError(null);
    api<FollowUpPage>(`${url}&offset=${first!.items.length + extra.length}`).then(
      (page) => {
        setLoadingMore(false);
        setExtra((e) => [...e, ...page.items]);
      },
      (failure: unknown) => {
        setLoadingMore(false);
        setMoreError(failure instanceof ApiError ? failure : new ApiError(0, 'client', String(failure)));
      },
    );
  };

  let body: ReactNode;
  if (list.state.status === 'loading') body = <Loading />;
  else if (list.state.status === 'error') body = <ErrorState error={list.state.error} retry={list.retry} />;
  else {
    const { total } = list.state.data;
    body = (
      <>
        <p className="as-of" role="status" data-total={total}>
          {t('followUps.count', { count: total, total: format.number(total, 0) })}
        </p>
        {items.length === 0 ? (
          <p className="notice" data-empty="">
            {t('followUps.none')}
          </p>
        ) : (
          <ol className="answers" data-followups="">
            {items.map((item) => (
              <FollowUpItem
                key={item.followup_id}
                item={edited.get(item.followup_id) ?? item}
                manage={manage}
                onSaved={(updated) => setEdited((m) => new Map(m).set(updated.followup_id, updated))}
              />
            ))}
          </ol>
        )}
        {moreError ? <ErrorState error={moreError} retry={loadMore} /> : null}
        {items.length < total ? (
          <button type="button" className="button" onClick={loadMore} disabled={loadingMore}>
            {loadingMore ? t('status.loading') : t('accounts.more')}
          </button>
        ) : null}
      </>
    );
  }

  return (
    <Page name="follow-ups" title={t('nav.follow-ups')} attributes={{ 'data-manage': String(manage) }}>
      <p className="hint">{manage ? t('followUps.hintManager') : t('followUps.hintViewer')}</p>
      <search className="filters">
        <div>
          <label htmlFor={`${id}-status`}>{t('followUps.status')}</label>
          <select
            id={`${id}-status`}
            value={status}
            data-control="status"
            onChange={(e) => navigate(withParams({ status: e.target.value || null }), true)}
          >
            <option value="">{t('followUps.anyStatus')}</option>
            {FOLLOW_UP_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`followUps.statuses.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <AssigneeFilter value={params.get('assignee') ?? ''} />
        <div>
          <label htmlFor={`${id}-survey`}>{t('followUps.survey')}</label>
          <select
            id={`${id}-survey`}
            value={surveyId}
            data-control="survey_id"
            onChange={(e) => navigate(withParams({ survey_id: e.target.value || null }), true)}
          >
            <option value="">{t('followUps.anySurvey')}</option>
            {(surveys.state.status === 'ok' ? surveys.state.data.surveys : []).map((s) => (
              <option key={s.survey_id} value={s.survey_id}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
      </search>
      {body}
    </Page>
  );
}
