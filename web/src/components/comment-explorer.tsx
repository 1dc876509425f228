// The comment explorer: customers' answers with their comments (GET /api/v1/responses), searched by text and
// filtered by metric, score, segment and the page's date range. Comments are plain text: React escapes them.
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { query } from '../api/client';
import type { ResponseItem } from '../api/types';
import { usePaged } from '../api/use-paged';
import { useFormat } from '../format';
import { LANGUAGE_NAMES, LANGUAGES } from '../i18n';
import { Link, navigate, useLocation, withParams } from '../router';
import type { Range } from './range-controls';
import { ErrorState, Loading } from './status';

const METRICS = ['nps', 'csat', 'ces', 'fcr'] as const;
const PAGE_SIZE = 25;

/** A text or number field written to the address a moment after the last key. */
function useDeferredParam(name: string): [string, (value: string) => void] {
  const { params } = useLocation();
  const value = params.get(name) ?? '';
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    if (text === value) return;
    const timer = window.setTimeout(() => navigate(withParams({ [name]: text.trim() || null }), true), 300);
    return () => window.clearTimeout(timer);
  }, [text, value, name]);
  return [text, setText];
}

function scoreLabel(item: ResponseItem): string {
  return item.scale ? `${item.score}/${item.scale}` : String(item.score);
}

export function CommentExplorer({
  range,
  segment,
  segments,
}: {
  range: Range;
  segment: string | null;
  segments: string[];
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const id = useId();
  const { params } = useLocation();
  const [q, setQ] = useDeferredParam('q');
  const [min, setMin] = useDeferredParam('score_min');
  const [max, setMax] = useDeferredParam('score_max');
  const metric = params.get('metric') ?? '';
  const language = params.get('locale') ?? '';
  const integer = (v: string | null) => (v !== null && /^-?\d+$/.test(v) ? v : undefined);
  const url = `/api/v1/responses${query({
    q: params.get('q'),
    metric: metric || undefined,
    locale: language || undefined,
    score_min: integer(params.get('score_min')),
    score_max: integer(params.get('score_max')),
    segment,
    from: range.from,
    to: range.to,
    limit: PAGE_SIZE,
  })}`;
  const list = usePaged<ResponseItem>(url);

  return (
    <section className="card comments" aria-labelledby={`${id}-title`} data-comment-explorer="">
      <h2 id={`${id}-title`}>{t('comments.title')}</h2>
      <search className="filters">
        <div>
          <label htmlFor={`${id}-q`}>{t('comments.search')}</label>
          <input
            id={`${id}-q`}
            type="search"
            data-control="comment-q"
            value={q}
            onChange={(e) => setQ(e.target.value)}
          />
        </div>
        <div>
          <label htmlFor={`${id}-metric`}>{t('comments.metric')}</label>
          <select
            id={`${id}-metric`}
            data-control="metric"
            value={metric}
            onChange={(e) => navigate(withParams({ metric: e.target.value || null }), true)}
          >
            <option value="">{t('comments.allMetrics')}</option>
            {METRICS.map((m) => (
              <option key={m} value={m}>
                {t(`comments.metrics.${m}`)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${id}-locale`}>{t('comments.language')}</label>
          <select
            id={`${id}-locale`}
            data-control="locale"
            value={language}
            onChange={(e) => navigate(withParams({ locale: e.target.value || null }), true)}
          >
            <option value="">{t('comments.allLanguages')}</option>
            {LANGUAGES.map((lang) => (
              <option key={lang} value={lang} lang={lang}>
                {LANGUAGE_NAMES[lang]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${id}-min`}>{t('comments.scoreMin')}</label>
          <input
            id={`${id}-min`}
            type="number"
            inputMode="numeric"
            step={1}
            data-control="score_min"
            value={min}
            onChange={(e) => setMin(e.target.value)}
          />
        </div>
        <div>
          <label htmlFor={`${id}-max`}>{t('comments.scoreMax')}</label>
          <input
            id={`${id}-max`}
            type="number"
            inputMode="numeric"
            step={1}
            data-control="score_max"
            value={max}
            onChange={(e) => setMax(e.target.value)}
          />
        </div>
        {segments.length > 0 ? (
          <div>
            <label htmlFor={`${id}-segment`}>{t('range.segment')}</label>
            <select
              id={`${id}-segment`}
              value={segment ?? ''}
              onChange={(e) => navigate(withParams({ segment: e.target.value || null }), true)}
            >
              <option value="">{t('range.allSegments')}</option>
              {segments.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </div>
        ) : null}
      </search>
      <p className="hint">{t('comments.hint')}</p>
      {list.state.status === 'loading' ? (
        <Loading />
      ) : list.state.status === 'error' ? (
        <ErrorState error={list.state.error} retry={list.retry} />
      ) : (
        <>
          <p role="status" data-total={list.total}>
            {t('comments.count', { count: list.total, total: format.number(list.total, 0) })}
          </p>
          <ol className="answers">
            {list.items.map((a) => (
              <li key={a.response_id} data-response-id={a.response_id}>
                <div className="answer-head">
                  <span className={`score-badge ${a.metric}`}>
                    {t(`comments.metrics.${a.metric}`)} {scoreLabel(a)}
                  </span>
                  <time dateTime={a.submitted_at}>{format.dateTime(a.submitted_at)}</time>
                  {a.account_id ? (
                    <Link to={`/accounts/${encodeURIComponent(a.account_id)}`}>
                      {a.account_name ?? a.account_id}
                    </Link>
                  ) : (
                    <span className="muted">{t('comments.anonymous')}</span>
                  )}
                  {a.segment ? <span className="muted">{a.segment}</span> : null}
                  {a.locale ? <span className="muted">{a.locale}</span> : null}
                </div>
                {a.comment ? (
                  <p className="comment" lang={a.locale ?? undefined} data-comment="">
                    {a.comment}
                  </p>
                ) : (
                  <p className="muted">{t('comments.noComment')}</p>
                )}
              </li>
            ))}
          </ol>
          {list.moreError ? <ErrorState error={list.moreError} retry={list.loadMore} /> : null}
          {list.hasMore ? (
            <button type="button" className="button" onClick={list.loadMore} disabled={list.loadingMore}>
              {list.loadingMore ? t('status.loading') : t('accounts.more')}
            </button>
          ) : null}
        </>
      )}
    </section>
  );
}
