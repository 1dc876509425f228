// Survey settings, outgoing webhooks: the list (GET /api/v1/webhooks), a new one (POST; its signing secret is
// shown once, right after), how to verify the Fidelio-Signature header, deleting one after a confirmation
// (DELETE /api/v1/webhooks/{id}) and each one's deliveries (GET /api/v1/webhooks/{id}/deliveries). A URL the
// server refuses (a private or loopback address, a name that does not resolve) shows its reason beside the field.
import {
  type FormEvent,
  type KeyboardEvent,
  type ReactNode,
  useEffect,
  useId,
  useRef,
  useState,
} from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, api, query } from '../api/client';
import {
  type CreatedWebhook,
  WEBHOOK_EVENTS,
  type Webhook,
  type WebhookDeliveries,
  type WebhookEvent,
} from '../api/types';
import { useApi, useLatest } from '../api/use-api';
import { NULL_SIGN, useFormat } from '../format';
import { ErrorState, Loading } from './status';
import { asApiError, described, FormError, Problems, problemsFor } from './survey-settings-fields';
import { CopyField } from './survey-share';
import { TableWrap } from './table-wrap';

const DELIVERIES_PAGE = 20;
const DELIVERIES_REFRESH_MS = 30_000;

/** An event's i18n key: `followup.created` → `followup_created` (i18next reads dots as nesting). */
const eventKey = (event: string) => event.replace(/\./g, '_');

function WebhookForm({ onCreated }: { onCreated: (created: CreatedWebhook) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<WebhookEvent[]>(['followup.created']);
  const [allowPrivate, setAllowPrivate] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [local, setLocal] = useState<{ url?: string; events?: string }>({});
  const urlField = useRef<HTMLInputElement>(null);
  const summary = useRef<HTMLDivElement>(null);

  const urlProblems = problemsFor(error, '$.url');
  const eventProblems = (error?.errors ?? [])
    .filter((e) => e.path === '$.events' || e.path.startsWith('$.events['))
    .map((e) => e.message);
  const privateProblems = problemsFor(error, '$.allow_private');
  const urlInvalid = urlProblems.length > 0 || local.url !== undefined;

  useEffect(() => {
    if (!error) return;
    // The URL's problem is read out with the field; anything else from the line at the top.
    if (error.errors.some((e) => e.path === '$.url')) urlField.current?.focus();
    else summary.current?.focus();
  }, [error]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const wrong: { url?: string; events?: string } = {};
    if (url.trim() === '') wrong.url = t('surveySettings.webhooks.urlEmpty');
    if (events.length === 0) wrong.events = t('surveySettings.webhooks.eventsEmpty');
    setLocal(wrong);
    if (wrong.url) {
      urlField.current?.focus();
      return;
    }
    if (wrong.events) return;
    setBusy(true);
    api<CreatedWebhook>('/api/v1/webhooks', {
      method: 'POST',
      body: { url: url.trim(), events, allow_private: allowPrivate },
    }).then(
      (created) => {
        setBusy(false);
        setUrl('');
        setAllowPrivate(false);
        onCreated(created);
      },
      (failure: unknown) => {
        setBusy(false);
        setError(asApiError(failure));
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate data-webhook-form="" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t('surveySettings.webhooks.addTitle')}</h3>
      {error ? (
        <FormError
          ref={summary}
          error={error}
          fieldPaths={(path) =>
            path === '$.url' ||
            path === '$.allow_private' ||
            path === '$.events' ||
            path.startsWith('$.events[')
          }
        />
      ) : null}
      <div className="field">
        <label htmlFor={`${id}-url`}>{t('surveySettings.webhooks.url')}</label>
        <input
          ref={urlField}
          id={`${id}-url`}
          type="url"
          inputMode="url"
          autoComplete="off"
          spellCheck={false}
          maxLength={2000}
          value={url}
          placeholder="https://hooks.example.com/fidelio"
          data-control="webhook-url"
          onChange={(e) => setUrl(e.target.value)}
          {...described(`${id}-url-problems`, urlInvalid, `${id}-url-hint`)}
        />
        <span id={`${id}-url-hint`} className="hint">
          {t('surveySettings.webhooks.urlHint')}
        </span>
        <Problems id={`${id}-url-problems`} server={urlProblems} local={local.url ? [local.url] : []} />
      </div>
      <fieldset
        className="filters"
        aria-describedby={eventProblems.length > 0 || local.events ? `${id}-events-problems` : undefined}
      >
        <legend>
          <strong>{t('surveySettings.webhooks.events')}</strong>
        </legend>
        {WEBHOOK_EVENTS.map((name) => (
          <label key={name}>
            <input
              type="checkbox"
              value={name}
              checked={events.includes(name)}
              data-control="webhook-event"
              onChange={(e) =>
                setEvents((current) =>
                  e.target.checked
                    ? WEBHOOK_EVENTS.filter((x) => x === name || current.includes(x))
                    : current.filter((x) => x !== name),
                )
              }
            />{' '}
            <code>{name}</code>{' '}
            <span className="muted small">{t(`surveySettings.webhooks.eventHints.${eventKey(name)}`)}</span>
          </label>
        ))}
        <Problems
          id={`${id}-events-problems`}
          server={eventProblems}
          local={local.events ? [local.events] : []}
        />
      </fieldset>
      <div className="field">
        <label>
          <input
            type="checkbox"
            checked={allowPrivate}
            data-control="webhook-allow-private"
            onChange={(e) => setAllowPrivate(e.target.checked)}
            {...described(`${id}-private-problems`, privateProblems.length > 0, `${id}-private-warning`)}
          />
          {t('surveySettings.webhooks.allowPrivate')}
        </label>
        <p id={`${id}-private-warning`} className={allowPrivate ? 'notice' : 'hint'} data-private-warning="">
          {t('surveySettings.webhooks.allowPrivateWarning')}
        </p>
        <Problems id={`${id}-private-problems`} server={privateProblems} />
      </div>
      <div className="filters">
        <button type="submit" className="button primary" disabled={busy} data-control="webhook-add">
          {busy ? t('surveySettings.webhooks.checking') : t('surveySettings.webhooks.add')}
        </button>
      </div>
    </form>
  );
}

/** The new webhook's secret, shown once: the API never returns it again. */
function SecretPanel({ created, onDone }: { created: CreatedWebhook; onDone: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="card" aria-labelledby={`${id}-title`} data-webhook-secret={created.webhook_id}>
      <h3 id={`${id}-title`} ref={heading} tabIndex={-1}>
        {t('surveySettings.webhooks.secretTitle')}
      </h3>
      <p>
        {t('surveySettings.webhooks.secretFor')}{' '}
        <code style={{ overflowWrap: 'anywhere' }}>{created.url}</code>
      </p>
      <p className="notice" data-secret-once="">
        <strong>{t('surveySettings.webhooks.secretOnce')}</strong>
      </p>
      <CopyField label={t('surveySettings.webhooks.secret')} value={created.secret} name="webhook-secret" />
      <p className="hint">{t('surveySettings.webhooks.secretUse')}</p>
      <button type="button" className="button" onClick={onDone} data-control="webhook-secret-done">
        {t('surveySettings.webhooks.secretDone')}
      </button>
    </section>
  );
}

const VERIFY_SNIPPET = `import { createHmac, timingSafeEqual } from 'node:crypto';

function verify(rawBody, header, secret, toleranceSeconds = 300) {
  const fields = Object.fromEntries(header.split(',').map((part) => part.split('=', 2)));
  const t = Number(fields.t);
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(\`\${fields.t}.\${rawBody}\`).digest();
  const given = Buffer.from(fields.v1 ?? '', 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}`;

/** How a receiver checks that a delivery came from this server (docs/surveys.md, "Outgoing webhooks"). */
function SignatureHelp() {
  const { t } = useTranslation();
  return (
    <details className="card" data-signature-help="">
      <summary>
        <strong>{t('surveySettings.webhooks.verifyTitle')}</strong>
      </summary>
      <p>{t('surveySettings.webhooks.verifyHeaders')}</p>
      <pre>
        <code>Fidelio-Signature: t=1748851200,v1=5257a8…</code>
      </pre>
      <p>{t('surveySettings.webhooks.verifyHow')}</p>
      <pre>
        <code>{VERIFY_SNIPPET}</code>
      </pre>
      <p>{t('surveySettings.webhooks.verifyRetries')}</p>
      <p>
        {t('surveySettings.webhooks.verifyDocs')} <code>docs/surveys.md</code> (
        <span lang="en">Close the loop → Outgoing webhooks</span>) ·{' '}
        <a href="/api/docs" data-docs-link="">
          {t('surveySettings.webhooks.apiReference')}
        </a>
      </p>
    </details>
  );
}

/** Delete, then a confirmation in place of the button (Escape or Cancel goes back). */
function DeleteWebhook({ webhook, onDeleted }: { webhook: Webhook; onDeleted: () => void }) {
  const { t } = useTranslation();
  const [step, setStep] = useState<'idle' | 'confirm' | 'busy'>('idle');
  const [error, setError] = useState<ApiError | null>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const deleteButton = useRef<HTMLButtonElement>(null);
  const moved = useRef(false);

  useEffect(() => {
    if (step === 'confirm') confirmButton.current?.focus();
    else if (step === 'idle' && moved.current) deleteButton.current?.focus();
  }, [step]);

  const cancel = () => {
    moved.current = true;
    setStep('idle');
  };
  const remove = () => {
    setStep('busy');
    setError(null);
    api(`/api/v1/webhooks/${encodeURIComponent(webhook.webhook_id)}`, { method: 'DELETE' }).then(
      onDeleted,
      (failure: unknown) => {
        const problem = asApiError(failure);
        // Already gone (deleted elsewhere): what was asked for is done.
        if (problem.status === 404) onDeleted();
        else {
          setError(problem);
          setStep('confirm');
        }
      },
    );
  };

  if (step === 'idle') {
    return (
      <button
        ref={deleteButton}
        type="button"
        className="button danger"
        aria-label={t('surveySettings.webhooks.deleteLabel', { url: webhook.url })}
        data-control="webhook-delete"
        onClick={() => setStep('confirm')}
      >
        {t('surveySettings.webhooks.delete')}
      </button>
    );
  }
  return (
    <fieldset
      className="filters"
      data-delete-confirm=""
      onKeyDown={(e: KeyboardEvent) => {
        if (e.key === 'Escape' && step === 'confirm') cancel();
      }}
    >
      <legend className="small">{t('surveySettings.webhooks.confirm')}</legend>
      <button
        ref={confirmButton}
        type="button"
        className="button danger"
        disabled={step === 'busy'}
        data-control="webhook-delete-confirm"
        onClick={remove}
      >
        {t('surveySettings.webhooks.confirmDelete')}
      </button>
      <button
        type="button"
        className="button subtle"
        disabled={step === 'busy'}
        data-control="webhook-delete-cancel"
        onClick={cancel}
      >
        {t('surveySettings.webhooks.cancel')}
      </button>
      {error ? <ErrorState error={error} /> : null}
    </fieldset>
  );
}

/** A webhook's deliveries, newest first, read again every 30 s while shown and on request. */
function Deliveries({ webhook, id }: { webhook: Webhook; id: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const [limit, setLimit] = useState(DELIVERIES_PAGE);
  const [round, setRound] = useState(0);
  const url = `/api/v1/webhooks/${encodeURIComponent(webhook.webhook_id)}/deliveries${query({ limit })}`;
  const { state, retry } = useApi(`${url}#${round}`, (signal) => api<WebhookDeliveries>(url, { signal }));
  const latest = useLatest(state);

  useEffect(() => {
    const timer = window.setInterval(() => setRound((n) => n + 1), DELIVERIES_REFRESH_MS);
    return () => window.clearInterval(timer);
  }, []);

  let body: ReactNode;
  if (!latest && state.status === 'loading') body = <Loading />;
  else if (!latest && state.status === 'error') body = <ErrorState error={state.error} retry={retry} />;
  else if (latest && latest.items.length === 0) {
    body = (
      <p className="notice" data-empty="">
        {t('surveySettings.webhooks.noDeliveries')}
      </p>
    );
  } else if (latest) {
    body = (
      <>
        <p className="as-of" data-total={latest.total}>
          {t('surveySettings.webhooks.deliveryCount', {
            count: latest.total,
            shown: format.number(latest.items.length, 0),
            total: format.number(latest.total, 0),
          })}
        </p>
        <TableWrap label={t('surveySettings.webhooks.deliveriesCaption', { url: webhook.url })}>
          <table data-deliveries-table="">
            <caption className="visually-hidden">
              {t('surveySettings.webhooks.deliveriesCaption', { url: webhook.url })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('surveySettings.webhooks.columns.created')}</th>
                <th scope="col">{t('surveySettings.webhooks.columns.event')}</th>
                <th scope="col">{t('surveySettings.webhooks.columns.status')}</th>
                <th scope="col" className="num">
                  {t('surveySettings.webhooks.columns.attempts')}
                </th>
                <th scope="col">{t('surveySettings.webhooks.columns.last')}</th>
                <th scope="col">{t('surveySettings.webhooks.columns.next')}</th>
                <th scope="col">{t('surveySettings.webhooks.columns.delivered')}</th>
              </tr>
            </thead>
            <tbody>
              {latest.items.map((d) => (
                <tr key={d.delivery_id} data-delivery-id={d.delivery_id} data-status={d.status}>
                  <td>
                    <time dateTime={d.created_at}>{format.dateTime(d.created_at)}</time>
                  </td>
                  <td>
                    <code>{d.event}</code>
                  </td>
                  <td>
                    <span className="badge" data-status={d.status}>
                      {t(`surveySettings.webhooks.statuses.${d.status}`)}
                    </span>
                  </td>
                  <td className="num" data-attempts={d.attempts}>
                    {format.number(d.attempts, 0)}
                  </td>
                  <td data-last-status={d.last_status ?? ''}>
                    {d.last_status !== null ? (
                      <span>{t('surveySettings.webhooks.httpStatus', { status: d.last_status })}</span>
                    ) : null}
                    {d.last_error !== null ? (
                      // The server writes the error in English.
                      <div className="small" lang="en" data-last-error="">
                        {d.last_error}
                      </div>
                    ) : null}
                    {d.last_status === null && d.last_error === null ? NULL_SIGN : null}
                  </td>
                  <td>
                    {d.next_attempt_at ? (
                      <time dateTime={d.next_attempt_at}>{format.dateTime(d.next_attempt_at)}</time>
                    ) : (
                      NULL_SIGN
                    )}
                  </td>
                  <td data-delivered-at={d.delivered_at ?? ''}>
                    {d.delivered_at ? (
                      <time dateTime={d.delivered_at}>{format.dateTime(d.delivered_at)}</time>
                    ) : (
                      NULL_SIGN
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
        {latest.items.length < latest.total ? (
          <button
            type="button"
            className="button more"
            disabled={state.status === 'loading'}
            onClick={() => setLimit((n) => Math.min(n + DELIVERIES_PAGE, 500))}
          >
            {t('surveySettings.webhooks.moreDeliveries')}
          </button>
        ) : null}
        {state.status === 'error' ? <ErrorState error={state.error} retry={retry} /> : null}
      </>
    );
  }

  return (
    <section id={id} aria-labelledby={`${id}-title`} data-deliveries={webhook.webhook_id}>
      <h3 id={`${id}-title`} style={{ overflowWrap: 'anywhere' }}>
        {t('surveySettings.webhooks.deliveriesTitle', { url: webhook.url })}
      </h3>
      <div className="filters">
        <button
          type="button"
          className="button"
          disabled={state.status === 'loading'}
          data-control="deliveries-refresh"
          onClick={() => setRound((n) => n + 1)}
        >
          {state.status === 'loading' && latest ? t('status.loading') : t('surveySettings.webhooks.refresh')}
        </button>
      </div>
      {body}
    </section>
  );
}

function WebhookTable({
  items,
  open,
  onToggle,
  onDeleted,
  panelId,
}: {
  items: Webhook[];
  open: ReadonlySet<string>;
  onToggle: (webhookId: string) => void;
  onDeleted: (webhook: Webhook) => void;
  panelId: (webhookId: string) => string;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <TableWrap label={t('surveySettings.webhooks.caption')}>
      <table data-webhooks-table="">
        <caption className="visually-hidden">{t('surveySettings.webhooks.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('surveySettings.webhooks.columns.url')}</th>
            <th scope="col">{t('surveySettings.webhooks.columns.events')}</th>
            <th scope="col">{t('surveySettings.webhooks.columns.private')}</th>
            <th scope="col">{t('surveySettings.webhooks.columns.created')}</th>
            <th scope="col">{t('surveySettings.webhooks.columns.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((w) => (
            <tr
              key={w.webhook_id}
              data-webhook-id={w.webhook_id}
              data-allow-private={String(w.allow_private)}
            >
              <td style={{ overflowWrap: 'anywhere' }}>
                <code data-webhook-url="">{w.url}</code>
              </td>
              <td>
                <code data-events={w.events.join(' ')}>{w.events.join(', ')}</code>
              </td>
              <td>
                {w.allow_private
                  ? t('surveySettings.webhooks.privateAllowed')
                  : t('surveySettings.webhooks.privateRefused')}
              </td>
              <td>
                <time dateTime={w.created_at}>{format.dateTime(w.created_at)}</time>
              </td>
              <td>
                <div className="target-form">
                  <button
                    type="button"
                    className="button"
                    aria-expanded={open.has(w.webhook_id)}
                    aria-controls={open.has(w.webhook_id) ? panelId(w.webhook_id) : undefined}
                    aria-label={t('surveySettings.webhooks.deliveriesLabel', { url: w.url })}
                    data-control="webhook-deliveries"
                    onClick={() => onToggle(w.webhook_id)}
                  >
                    {t('surveySettings.webhooks.deliveries')}
                  </button>
                  <DeleteWebhook webhook={w} onDeleted={() => onDeleted(w)} />
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

export function WebhooksSection({ headingId }: { headingId: string }) {
  const { t } = useTranslation();
  const id = useId();
  const loaded = useApi('survey-settings:webhooks', (signal) =>
    api<Webhook[]>('/api/v1/webhooks', { signal }),
  );
  // Changes made here since the list loaded (a new webhook, a deleted one).
  const [items, setItems] = useState<Webhook[] | null>(null);
  // Secrets of webhooks created here, newest first, each shown until "Done" (the API never returns them again).
  const [created, setCreated] = useState<CreatedWebhook[]>([]);
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const [deleted, setDeleted] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  const list = items ?? (loaded.state.status === 'ok' ? loaded.state.data : null);
  const panelId = (webhookId: string) => `${id}-deliveries-${webhookId}`;

  const onCreated = (webhook: CreatedWebhook) => {
    const { secret: _secret, ...shown } = webhook;
    // Before the list is in, it is read again (with the new one) rather than replaced by the new one alone.
    if (list) setItems([...list, shown]);
    else loaded.retry();
    setDeleted(null);
    setCreated((c) => [webhook, ...c]);
  };
  const onDeleted = (webhook: Webhook) => {
    setItems((list ?? []).filter((w) => w.webhook_id !== webhook.webhook_id));
    setOpen((o) => new Set([...o].filter((x) => x !== webhook.webhook_id)));
    setCreated((c) => c.filter((w) => w.webhook_id !== webhook.webhook_id));
    setDeleted(webhook.url);
    heading.current?.focus();
  };
  const toggle = (webhookId: string) =>
    setOpen((o) => {
      const next = new Set(o);
      if (next.has(webhookId)) next.delete(webhookId);
      else next.add(webhookId);
      return next;
    });

  let body: ReactNode;
  if (list) {
    body =
      list.length === 0 ? (
        <p className="notice" data-empty="">
          {t('surveySettings.webhooks.none')}
        </p>
      ) : (
        <>
          <WebhookTable items={list} open={open} onToggle={toggle} onDeleted={onDeleted} panelId={panelId} />
          {list
            .filter((w) => open.has(w.webhook_id))
            .map((w) => (
              <Deliveries key={w.webhook_id} webhook={w} id={panelId(w.webhook_id)} />
            ))}
        </>
      );
  } else if (loaded.state.status === 'error') {
    body = <ErrorState error={loaded.state.error} retry={loaded.retry} />;
  } else body = <Loading />;

  return (
    <section className="card" aria-labelledby={headingId} data-settings-section="webhooks">
      <h2 id={headingId} ref={heading} tabIndex={-1}>
        {t('surveySettings.webhooks.title')}
      </h2>
      <p className="hint">{t('surveySettings.webhooks.hint')}</p>
      <p role="status" className="muted" data-webhook-deleted={deleted ?? ''}>
        {deleted ? t('surveySettings.webhooks.deleted', { url: deleted }) : ''}
      </p>
      {created.map((w) => (
        <SecretPanel
          key={w.webhook_id}
          created={w}
          onDone={() => {
            setCreated((c) => c.filter((x) => x.webhook_id !== w.webhook_id));
            heading.current?.focus();
          }}
        />
      ))}
      {body}
      <WebhookForm onCreated={onCreated} />
      <SignatureHelp />
    </section>
  );
}
