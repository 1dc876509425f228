// How a survey reaches people: its anonymous link and widget snippet (each with a copy button), and sending it
// to contacts of its audience through a channel (POST /api/v1/surveys/{id}/send), with who was invited and
// who was not, and why.
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, query } from '../api/client';
import type { Channel, Contact, SendResult, Survey } from '../api/types';
import { usePaged } from '../api/use-paged';
import { useFormat } from '../format';
import { ErrorState, Loading } from './status';
import { FieldProblems, problemsAt } from './survey-meta';
import { TableWrap } from './table-wrap';

/** Channels that POST /send can use; anonymous links are shared, not sent. */
const SEND_CHANNELS: readonly Channel[] = ['email', 'link', 'api', 'widget'];
const CONTACTS_PAGE = 50;

/** The public answer page of a survey anyone with the link may answer. */
export function anonymousLink(workspace: string, survey: Survey): string {
  return `${window.location.origin}/s/${encodeURIComponent(workspace)}/a/${encodeURIComponent(survey.public_id)}`;
}

/** The one script tag that embeds a survey in a product. */
export function widgetSnippet(workspace: string, survey: Survey): string {
  const attribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  return `<script src="${window.location.origin}/widget.js" data-workspace="${attribute(workspace)}" data-survey="${attribute(survey.public_id)}" async></script>`;
}

/** A read-only text with a button that copies it (a selected field when the clipboard is refused). */
export function CopyField({ label, value, name }: { label: string; value: string; name: string }) {
  const { t } = useTranslation();
  const id = useId();
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const field = useRef<HTMLTextAreaElement>(null);
  const copy = async () => {
    try {
      // Missing outside secure contexts (plain http on another host): the text is selected instead.
      await navigator.clipboard.writeText(value);
      setCopied('yes');
    } catch {
      field.current?.select();
      setCopied('no');
    }
  };
  return (
    <div className="field" data-copy={name}>
      <label htmlFor={id}>{label}</label>
      <textarea
        ref={field}
        id={id}
        readOnly
        value={value}
        rows={name === 'widget' ? 3 : 1}
        spellCheck={false}
      />
      <div className="filters">
        <button type="button" className="button" onClick={() => void copy()} data-control={`copy-${name}`}>
          {t('surveys.share.copy')}
        </button>
        <span role="status" className="muted">
          {copied === 'yes'
            ? t('surveys.share.copied')
            : copied === 'no'
              ? t('surveys.share.copyManually')
              : ''}
        </span>
      </div>
    </div>
  );
}

/** "a, b\nc" → ['a', 'b', 'c']. */
function idsOf(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,]+/)
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    ),
  ];
}

function SendResultView({ result }: { result: SendResult }) {
  const { t } = useTranslation();
  return (
    <div data-send-result="" data-invited={result.invited.length} data-not-asked={result.not_asked.length}>
      <p role="status">
        {t('surveys.send.invited', { count: result.invited.length })}{' '}
        {t('surveys.send.notAsked', { count: result.not_asked.length })}
        {result.emails_queued > 0
          ? ` ${t('surveys.send.emailsQueued', { count: result.emails_queued })}`
          : ''}
      </p>
      {result.invited.length > 0 ? (
        <TableWrap label={t('surveys.send.invitedTitle')}>
          <table>
            <caption>{t('surveys.send.invitedTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('surveys.send.contact')}</th>
                <th scope="col">{t('surveys.send.link')}</th>
              </tr>
            </thead>
            <tbody>
              {result.invited.map((i) => (
                <tr key={i.invitation_id} data-invited-contact={i.contact_id}>
                  <td>{i.contact_id}</td>
                  <td className="comment">{i.link ? <code>{i.link}</code> : t('surveys.send.noLink')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
      {result.not_asked.length > 0 ? (
        <TableWrap label={t('surveys.send.notAskedTitle')}>
          <table>
            <caption>{t('surveys.send.notAskedTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('surveys.send.contact')}</th>
                <th scope="col">{t('fatigue.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {result.not_asked.map((n) => (
                <tr key={n.contact_id} data-not-asked-contact={n.contact_id}>
                  <td>{n.contact_id}</td>
                  <td lang="en">{n.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
    </div>
  );
}

/** Contacts of the audience, searched by name or e-mail, page by page, each with a check box. */
function ContactPicker({
  kind,
  chosen,
  onToggle,
}: {
  kind: Contact['kind'];
  chosen: Set<string>;
  onToggle: (contactId: string, on: boolean) => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const id = useId();
  const [text, setText] = useState('');
  const [search, setSearch] = useState('');
  useEffect(() => {
    const timer = window.setTimeout(() => setSearch(text.trim()), 300);
    return () => window.clearTimeout(timer);
  }, [text]);
  const list = usePaged<Contact>(`/api/v1/contacts${query({ kind, q: search, limit: CONTACTS_PAGE })}`);
  return (
    <fieldset data-contact-picker="">
      <legend>{t('surveys.send.contactsTitle')}</legend>
      <div className="field">
        <label htmlFor={`${id}-q`}>{t('surveys.send.search')}</label>
        <input
          id={`${id}-q`}
          type="search"
          value={text}
          data-control="contact-q"
          onChange={(e) => setText(e.target.value)}
        />
      </div>
      {list.state.status === 'loading' ? <Loading /> : null}
      {list.state.status === 'error' ? <ErrorState error={list.state.error} retry={list.retry} /> : null}
      {list.state.status === 'ok' ? (
        <>
          <p className="hint" role="status">
            {t('surveys.send.contacts', { count: list.total, total: format.number(list.total, 0) })}{' '}
            {t('surveys.send.chosenCount', { count: chosen.size })}
          </p>
          <ul className="target-list">
            {list.items.map((c) => (
              <li key={c.contact_id}>
                <label>
                  <input
                    type="checkbox"
                    checked={chosen.has(c.contact_id)}
                    data-contact-id={c.contact_id}
                    onChange={(e) => onToggle(c.contact_id, e.target.checked)}
                  />
                  {c.name ?? c.email ?? c.contact_id}
                </label>
                <span className="small muted">
                  {[c.contact_id, c.account_id ?? c.team, c.locale].filter(Boolean).join(' · ')}
                  {c.unsubscribed_at
                    ? ` · ${t('surveys.send.unsubscribed', { date: format.date(c.unsubscribed_at) })}`
                    : ''}
                </span>
              </li>
            ))}
          </ul>
          {list.moreError ? <ErrorState error={list.moreError} retry={list.loadMore} /> : null}
          {list.hasMore ? (
            <button type="button" className="button" onClick={list.loadMore} disabled={list.loadingMore}>
              {list.loadingMore ? t('status.loading') : t('accounts.more')}
            </button>
          ) : null}
        </>
      ) : null}
    </fieldset>
  );
}

/** Send the survey now to everyone of its audience or to chosen contacts, through one of its channels. */
export function SendForm({ survey }: { survey: Survey }) {
  const { t } = useTranslation();
  const id = useId();
  const channels = SEND_CHANNELS.filter((c) => survey.channels.includes(c));
  const [channel, setChannel] = useState<Channel | undefined>(channels[0]);
  const [everyone, setEveryone] = useState(true);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [result, setResult] = useState<SendResult | null>(null);
  const toggle = (contactId: string, on: boolean) =>
    setChosen((set) => {
      const next = new Set(set);
      if (on) next.add(contactId);
      else next.delete(contactId);
      return next;
    });

  if (channels.length === 0 || channel === undefined) {
    return <p className="muted">{t('surveys.send.noChannel')}</p>;
  }

  const send = (event: FormEvent) => {
    event.preventDefault();
    const ids = [...new Set([...chosen, ...idsOf(typed)])];
    setBusy(true);
    setError(null);
    setResult(null);
    api<SendResult>(`/api/v1/surveys/${encodeURIComponent(survey.survey_id)}/send`, {
      method: 'POST',
      body: everyone ? { all: true, channel } : { contact_ids: ids, channel },
    }).then(
      (answer) => {
        setBusy(false);
        setResult(answer);
      },
      (failure: unknown) => {
        setBusy(false);
        setError(failure instanceof ApiError ? failure : new ApiError(0, 'client', String(failure)));
      },
    );
  };

  const contactProblems = [...problemsAt(error, '$.contact_ids'), ...problemsAt(error, '$.all')];
  return (
    <form onSubmit={send} data-send-form="" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t('surveys.send.title')}</h3>
      <p className="hint">{t('surveys.send.hint')}</p>
      <div className="filters">
        <div>
          <label htmlFor={`${id}-channel`}>{t('surveys.send.channel')}</label>
          <select
            id={`${id}-channel`}
            value={channel}
            data-control="send-channel"
            onChange={(e) => setChannel(e.target.value as Channel)}
          >
            {channels.map((c) => (
              <option key={c} value={c}>
                {t(`surveys.channels.${c}`)}
              </option>
            ))}
          </select>
          <FieldProblems id={`${id}-channel-problems`} messages={problemsAt(error, '$.channel')} />
        </div>
      </div>
      <fieldset className="filters">
        <legend>{t('surveys.send.to')}</legend>
        <label>
          <input
            type="radio"
            name={`${id}-who`}
            checked={everyone}
            data-control="send-all"
            onChange={() => setEveryone(true)}
          />{' '}
          {t('surveys.send.everyone')}
        </label>
        <label>
          <input
            type="radio"
            name={`${id}-who`}
            checked={!everyone}
            data-control="send-chosen"
            onChange={() => setEveryone(false)}
          />{' '}
          {t('surveys.send.chosen')}
        </label>
      </fieldset>
      {everyone ? null : (
        <div>
          <ContactPicker
            kind={survey.audience === 'employees' ? 'employee' : 'customer'}
            chosen={chosen}
            onToggle={toggle}
          />
          <div className="field">
            <label htmlFor={`${id}-ids`}>{t('surveys.send.typeIds')}</label>
            <textarea
              id={`${id}-ids`}
              value={typed}
              rows={2}
              data-control="send-contact-ids"
              onChange={(e) => setTyped(e.target.value)}
            />
          </div>
          <FieldProblems id={`${id}-contacts-problems`} messages={contactProblems} />
        </div>
      )}
      <div className="filters">
        <button type="submit" className="button primary" disabled={busy} data-control="send">
          {t('surveys.send.submit')}
        </button>
        {busy ? <Loading label={t('surveys.send.sending')} /> : null}
      </div>
      {error && error.errors.length === 0 ? <ErrorState error={error} /> : null}
      {result ? <SendResultView result={result} /> : null}
    </form>
  );
}
