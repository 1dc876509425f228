// Survey settings, fatigue limits: the days that must pass between two asks, per survey template
// (GET /api/v1/survey-fatigue/settings), changed together in one save (PUT, naming only the templates changed);
// the server's problems appear beside the template they name ($.fatigue_days.nps).
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, api } from '../api/client';
import { type FatigueSettings, MAX_FATIGUE_DAYS, TEMPLATES, type Template } from '../api/types';
import { useApi } from '../api/use-api';
import { Link } from '../router';
import { ErrorState, Loading } from './status';
import { asApiError, described, FormError, Problems, problemsFor } from './survey-settings-fields';

type Drafts = Record<Template, string>;

const draftsOf = (days: Record<Template, number>): Drafts =>
  Object.fromEntries(TEMPLATES.map((tpl) => [tpl, String(days[tpl])])) as Drafts;

const pathOf = (tpl: Template) => `$.fatigue_days.${tpl}`;

function FatigueForm({ initial, headingId }: { initial: Record<Template, number>; headingId: string }) {
  const { t } = useTranslation();
  const id = useId();
  const [saved, setSaved] = useState(initial);
  const [drafts, setDrafts] = useState<Drafts>(() => draftsOf(initial));
  const [local, setLocal] = useState<Partial<Record<Template, string>>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<'saved' | 'unchanged' | null>(null);
  const summary = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (error) summary.current?.focus();
  }, [error]);

  const save = (event: FormEvent) => {
    event.preventDefault();
    setMessage(null);
    setError(null);
    // Only what can be sent at all is checked here; the server judges the numbers.
    const wrong: Partial<Record<Template, string>> = {};
    const changed: Partial<Record<Template, number>> = {};
    for (const tpl of TEMPLATES) {
      const text = drafts[tpl].trim();
      const value = Number(text);
      if (text === '' || !Number.isFinite(value)) wrong[tpl] = t('surveySettings.fatigue.invalid');
      else if (value !== saved[tpl]) changed[tpl] = value;
    }
    setLocal(wrong);
    const firstWrong = TEMPLATES.find((tpl) => wrong[tpl]);
    if (firstWrong) {
      document.getElementById(`${id}-${firstWrong}`)?.focus();
      return;
    }
    if (Object.keys(changed).length === 0) {
      setMessage('unchanged');
      return;
    }
    setBusy(true);
    api<FatigueSettings>('/api/v1/survey-fatigue/settings', {
      method: 'PUT',
      body: { fatigue_days: changed },
    }).then(
      (answer) => {
        setBusy(false);
        setSaved(answer.fatigue_days);
        setDrafts(draftsOf(answer.fatigue_days));
        setMessage('saved');
      },
      (failure: unknown) => {
        setBusy(false);
        setError(asApiError(failure));
      },
    );
  };

  return (
    <form
      onSubmit={save}
      noValidate
      data-fatigue-form=""
      aria-labelledby={headingId}
      aria-describedby={`${id}-hint`}
    >
      {error ? (
        <FormError
          ref={summary}
          error={error}
          fieldPaths={(path) => TEMPLATES.some((tpl) => path === pathOf(tpl))}
        />
      ) : null}
      <p id={`${id}-hint`} className="hint">
        {t('surveySettings.fatigue.hint', { max: MAX_FATIGUE_DAYS })}
      </p>
      <div className="filters">
        {TEMPLATES.map((tpl) => {
          const server = problemsFor(error, pathOf(tpl));
          const mine = local[tpl] ? [local[tpl]] : [];
          const field = `${id}-${tpl}`;
          return (
            <div key={tpl} data-fatigue-template={tpl} data-days={saved[tpl]}>
              <label htmlFor={field}>{t(`surveys.templates.${tpl}.name`)}</label>
              <input
                id={field}
                type="number"
                inputMode="numeric"
                min={0}
                max={MAX_FATIGUE_DAYS}
                step={1}
                value={drafts[tpl]}
                data-control="fatigue-days"
                data-template={tpl}
                onChange={(e) => {
                  setDrafts((d) => ({ ...d, [tpl]: e.target.value }));
                  setMessage(null);
                }}
                {...described(`${field}-problems`, server.length + mine.length > 0, `${field}-unit`)}
              />
              <span id={`${field}-unit`} className="hint">
                {drafts[tpl].trim() === '0'
                  ? t('surveySettings.fatigue.off')
                  : t('surveySettings.fatigue.unit')}
              </span>
              <Problems id={`${field}-problems`} server={server} local={mine} />
            </div>
          );
        })}
      </div>
      <div className="filters">
        <button type="submit" className="button primary" disabled={busy} data-control="fatigue-save">
          {busy ? t('surveySettings.saving') : t('surveySettings.fatigue.save')}
        </button>
        <span role="status" className="muted" data-fatigue-saved={message ?? ''}>
          {message === 'saved'
            ? t('surveySettings.saved')
            : message === 'unchanged'
              ? t('surveySettings.unchanged')
              : ''}
        </span>
      </div>
      <p className="hint">
        <Link to="/surveys/fatigue">{t('surveySettings.fatigue.audit')}</Link>
      </p>
    </form>
  );
}

export function FatigueSettingsSection({ headingId }: { headingId: string }) {
  const { t } = useTranslation();
  const settings = useApi('survey-settings:fatigue', (signal) =>
    api<FatigueSettings>('/api/v1/survey-fatigue/settings', { signal }),
  );
  return (
    <section className="card" aria-labelledby={headingId} data-settings-section="fatigue">
      <h2 id={headingId}>{t('surveySettings.fatigue.title')}</h2>
      {settings.state.status === 'loading' ? (
        <Loading />
      ) : settings.state.status === 'error' ? (
        <ErrorState error={settings.state.error} retry={settings.retry} />
      ) : (
        <FatigueForm initial={settings.state.data.fatigue_days} headingId={headingId} />
      )}
    </section>
  );
}
