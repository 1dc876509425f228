// Survey settings, follow-up notices: the e-mail addresses told about each new follow-up
// (GET /api/v1/follow-up-recipients), one added or removed at a time (PUT with the whole new list); the server's
// problem with a new address ($.recipients[n]) or with the list ($.recipients) appears beside the address field.
import { type FormEvent, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, api } from '../api/client';
import { type FollowUpRecipients, MAX_FOLLOW_UP_RECIPIENTS } from '../api/types';
import { useApi } from '../api/use-api';
import { ErrorState, Loading } from './status';
import { asApiError, described, Problems } from './survey-settings-fields';

type Change = { kind: 'add' | 'remove'; address: string; sent: string[] };

function RecipientList({ initial, headingId }: { initial: string[]; headingId: string }) {
  const { t } = useTranslation();
  const id = useId();
  const [list, setList] = useState(initial);
  const [email, setEmail] = useState('');
  const [busy, setBusy] = useState(false);
  const [local, setLocal] = useState<string | null>(null);
  const [error, setError] = useState<{ change: Change; error: ApiError } | null>(null);
  const [done, setDone] = useState<Change | null>(null);
  const input = useRef<HTMLInputElement>(null);

  const put = (change: Change) => {
    setBusy(true);
    setError(null);
    setLocal(null);
    setDone(null);
    api<FollowUpRecipients>('/api/v1/follow-up-recipients', {
      method: 'PUT',
      body: { recipients: change.sent },
    }).then(
      (answer) => {
        setBusy(false);
        setList(answer.recipients);
        setDone(change);
        if (change.kind === 'add') setEmail('');
        input.current?.focus();
      },
      (failure: unknown) => {
        setBusy(false);
        setError({ change, error: asApiError(failure) });
        input.current?.focus();
      },
    );
  };

  const add = (event: FormEvent) => {
    event.preventDefault();
    const address = email.trim();
    setDone(null);
    setError(null);
    if (address === '') setLocal(t('surveySettings.recipients.empty'));
    else if (list.some((a) => a.toLowerCase() === address.toLowerCase()))
      setLocal(t('surveySettings.recipients.duplicate', { address }));
    else put({ kind: 'add', address, sent: [...list, address] });
  };

  // The server names an address by its index in the list sent ($.recipients[3]), the list by $.recipients.
  const failed = error?.error ?? null;
  const server = error
    ? error.error.errors.map((e) => {
        const index = /^\$\.recipients\[(\d+)\]/.exec(e.path)?.[1];
        const address = index === undefined ? undefined : error.change.sent[Number(index)];
        return address === undefined || address === error.change.address
          ? e.message
          : `${address}: ${e.message}`;
      })
    : [];
  const unexplained = failed !== null && failed.errors.length === 0;
  const invalid = local !== null || server.length > 0;

  return (
    <>
      {list.length === 0 ? (
        <p className="notice" data-empty="">
          {t('surveySettings.recipients.none')}
        </p>
      ) : (
        <ul className="target-list" data-recipients="" aria-labelledby={headingId}>
          {list.map((address) => (
            <li key={address} data-recipient={address}>
              <span style={{ overflowWrap: 'anywhere' }}>{address}</span>
              <button
                type="button"
                className="button danger"
                disabled={busy}
                aria-label={t('surveySettings.recipients.removeLabel', { address })}
                data-control="recipient-remove"
                onClick={() => put({ kind: 'remove', address, sent: list.filter((a) => a !== address) })}
              >
                {t('surveySettings.recipients.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="filters"
        onSubmit={add}
        noValidate
        data-recipient-form=""
        aria-label={t('surveySettings.recipients.formLabel')}
      >
        <div>
          <label htmlFor={`${id}-email`}>{t('surveySettings.recipients.email')}</label>
          <input
            ref={input}
            id={`${id}-email`}
            type="email"
            inputMode="email"
            autoComplete="off"
            maxLength={320}
            value={email}
            placeholder="cs-lead@example.com"
            data-control="recipient-email"
            onChange={(e) => setEmail(e.target.value)}
            {...described(`${id}-problems`, invalid, `${id}-hint`)}
          />
          <span id={`${id}-hint`} className="hint">
            {t('surveySettings.recipients.max', { max: MAX_FOLLOW_UP_RECIPIENTS })}
          </span>
          <Problems id={`${id}-problems`} server={server} local={local ? [local] : []} />
        </div>
        <button type="submit" className="button primary" disabled={busy} data-control="recipient-add">
          {t('surveySettings.recipients.add')}
        </button>
        <span role="status" className="muted" data-recipients-saved={done?.kind ?? ''}>
          {done
            ? t(`surveySettings.recipients.${done.kind === 'add' ? 'added' : 'removed'}`, {
                address: done.address,
              })
            : busy
              ? t('surveySettings.saving')
              : ''}
        </span>
      </form>
      {unexplained ? <ErrorState error={failed} /> : null}
    </>
  );
}

export function RecipientsSection({ headingId }: { headingId: string }) {
  const { t } = useTranslation();
  const recipients = useApi('survey-settings:recipients', (signal) =>
    api<FollowUpRecipients>('/api/v1/follow-up-recipients', { signal }),
  );
  return (
    <section className="card" aria-labelledby={headingId} data-settings-section="recipients">
      <h2 id={headingId}>{t('surveySettings.recipients.title')}</h2>
      <p className="hint">{t('surveySettings.recipients.hint')}</p>
      {recipients.state.status === 'loading' ? (
        <Loading />
      ) : recipients.state.status === 'error' ? (
        <ErrorState error={recipients.state.error} retry={recipients.retry} />
      ) : (
        <RecipientList initial={recipients.state.data.recipients} headingId={headingId} />
      )}
    </section>
  );
}
