// New survey: pick a template (GET /api/v1/surveys/templates), see its questions in a survey language or write
// them (pulse, custom), choose the audience, default language, channels, schedule and reminders, and save it as
// a draft or active (POST /api/v1/surveys). The server's field problems are shown beside the fields they name.
import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../api/client';
import {
  type Audience,
  CHANNELS,
  type Channel,
  type Question,
  SURVEY_LOCALES,
  type Survey,
  type SurveyInput,
  type SurveyLocale,
  type SurveyTemplate,
  TEMPLATES,
  type Template,
} from '../api/types';
import { useApi } from '../api/use-api';
import { Page } from '../components/page';
import { ErrorState, Loading } from '../components/status';
import { canManageSurveys, FieldProblems, problemsAt } from '../components/survey-meta';
import {
  blankQuestion,
  cleanQuestions,
  metricFor,
  QuestionEditor,
  QuestionList,
  questionTypes,
} from '../components/survey-questions';
import {
  newScheduleDraft,
  ReminderFields,
  type RemindersDraft,
  remindersOf,
  type ScheduleDraft,
  ScheduleFields,
  scheduleOf,
} from '../components/survey-schedule';
import { LANGUAGE_NAMES } from '../i18n';
import { Link, navigate } from '../router';
import { useSession } from '../session';

/** Channels an employee survey cannot use (it is anonymous, through personal tokens). */
const CUSTOMER_ONLY: readonly Channel[] = ['widget', 'anonymous_link'];

/** The templates whose questions one writes, and whose audience one chooses. */
const editable = (template: Template) => template === 'pulse' || template === 'custom';

/** "a, b\nc" → ['a', 'b', 'c']. */
function listOf(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Feeds-KPI choices that fit the audience: eNPS for employees, the customer KPIs otherwise. */
function fitAudience(questions: Question[], audience: Audience): Question[] {
  return questions.map((q) => {
    if (!q.metric) return q;
    const metric = metricFor(q.type, audience);
    const { metric: _old, ...rest } = q;
    return metric ? { ...rest, metric } : rest;
  });
}

function Field({
  id,
  label,
  problems,
  hint,
  children,
}: {
  id: string;
  label: string;
  problems: string[];
  hint?: string;
  children: ReactNode;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {hint ? (
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
      ) : null}
      <FieldProblems id={`${id}-problems`} messages={problems} />
    </div>
  );
}

/** aria-describedby and aria-invalid of a field with an optional hint and the server's problems. */
function described(id: string, problems: string[], hint = false) {
  const ids = [hint ? `${id}-hint` : '', problems.length > 0 ? `${id}-problems` : ''].filter(Boolean);
  return {
    'aria-describedby': ids.length > 0 ? ids.join(' ') : undefined,
    'aria-invalid': problems.length > 0 ? true : undefined,
  };
}

function SurveyForm({ templates }: { templates: SurveyTemplate[] }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [template, setTemplate] = useState<Template | null>(null);
  const [name, setName] = useState('');
  const [audience, setAudience] = useState<Audience>('customers');
  const [locale, setLocale] = useState<SurveyLocale>(
    (SURVEY_LOCALES as readonly string[]).includes(i18n.resolvedLanguage ?? '')
      ? (i18n.resolvedLanguage as SurveyLocale)
      : 'en',
  );
  const [preview, setPreview] = useState<SurveyLocale>(locale);
  const [cesScale, setCesScale] = useState<5 | 7>(7);
  const [questions, setQuestions] = useState<Question[]>([]);
  const [channels, setChannels] = useState<Channel[]>(['link']);
  const [segments, setSegments] = useState('');
  const [accounts, setAccounts] = useState('');
  const [teams, setTeams] = useState('');
  const [schedule, setSchedule] = useState<ScheduleDraft>(() => newScheduleDraft());
  const [reminders, setReminders] = useState<RemindersDraft>({ count: 0, afterDays: ['3', '7'] });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const summary = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (error) summary.current?.focus();
  }, [error]);

  const spec = templates.find((s) => s.template === template) ?? null;
  const shown: Question[] = spec
    ? editable(spec.template)
      ? questions
      : spec.questions.map((q) => (q.type === 'ces' ? { ...q, scale: cesScale } : q))
    : [];

  const pickTemplate = (next: Template) => {
    const nextSpec = templates.find((s) => s.template === next);
    if (!nextSpec) return;
    setTemplate(next);
    setAudience(nextSpec.audience);
    if (nextSpec.audience === 'employees') setChannels((c) => c.filter((x) => !CUSTOMER_ONLY.includes(x)));
    if (editable(next)) {
      setQuestions((current) =>
        current.length > 0
          ? fitAudience(
              current.map((q) =>
                questionTypes(next).includes(q.type) ? q : blankQuestion(questionTypes(next)[0]!, q.id, q),
              ),
              nextSpec.audience,
            )
          : [blankQuestion(questionTypes(next)[0]!, 'q1')],
      );
    }
  };

  const pickAudience = (next: Audience) => {
    setAudience(next);
    setQuestions((current) => fitAudience(current, next));
    if (next === 'employees') setChannels((c) => c.filter((x) => !CUSTOMER_ONLY.includes(x)));
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!template) return;
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    const status = submitter?.value === 'active' ? 'active' : 'draft';
    const filter =
      audience === 'customers'
        ? {
            ...(listOf(segments).length > 0 ? { segments: listOf(segments) } : {}),
            ...(listOf(accounts).length > 0 ? { account_ids: listOf(accounts) } : {}),
          }
        : listOf(teams).length > 0
          ? { teams: listOf(teams) }
          : {};
    const body: SurveyInput = {
      name: name.trim(),
      template,
      audience,
      default_locale: locale,
      channels,
      audience_filter: filter,
      reminders: remindersOf(reminders),
      status,
    };
    if (editable(template)) body.questions = cleanQuestions(questions);
    if (template === 'ces') body.ces_scale = cesScale;
    const when = scheduleOf(schedule);
    if (when) body.schedule = when;
    setBusy(true);
    setError(null);
    api<Survey>('/api/v1/surveys', { method: 'POST', body }).then(
      (created) => navigate(`/surveys/${encodeURIComponent(created.survey_id)}`),
      (failure: unknown) => {
        setBusy(false);
        setError(
          failure instanceof ApiError
            ? failure
            : new ApiError(0, 'client', String((failure as Error).message)),
        );
      },
    );
  };

  const nameProblems = problemsAt(error, '$.name');
  const localeProblems = problemsAt(error, '$.default_locale');
  const channelProblems = problemsAt(error, '$.channels');
  const filterProblems = problemsAt(error, '$.audience_filter');
  const audienceProblems = [...problemsAt(error, '$.template'), ...problemsAt(error, '$.audience')];
  const shownPaths = [
    '$.name',
    '$.default_locale',
    '$.channels',
    '$.audience_filter',
    '$.template',
    '$.audience',
    '$.questions',
    '$.ces_scale',
    '$.schedule',
    '$.reminders',
  ];
  const otherProblems = (error?.errors ?? [])
    .filter(
      (e) =>
        !shownPaths.some((p) => e.path === p || e.path.startsWith(`${p}.`) || e.path.startsWith(`${p}[`)),
    )
    .map((e) => `${e.path}: ${e.message}`);

  return (
    <form onSubmit={submit} noValidate data-survey-form="" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="visually-hidden">
        {t('surveys.new')}
      </h2>
      {error ? (
        <div ref={summary} tabIndex={-1} data-form-error={error.code}>
          <ErrorState error={error} />
          {error.errors.length > 0 ? (
            <p className="form-error">{t('surveys.form.problems', { count: error.errors.length })}</p>
          ) : null}
          <FieldProblems id={`${id}-other`} messages={otherProblems} />
        </div>
      ) : null}

      <fieldset className="card" data-template-picker="">
        <legend>{t('surveys.form.template')}</legend>
        <div className="tiles">
          {TEMPLATES.map((tpl) => (
            <label key={tpl} className="tile" data-template={tpl}>
              <span>
                <input
                  type="radio"
                  name={`${id}-template`}
                  value={tpl}
                  checked={template === tpl}
                  disabled={!templates.some((s) => s.template === tpl)}
                  data-control="template"
                  onChange={() => pickTemplate(tpl)}
                />{' '}
                <strong>{t(`surveys.templates.${tpl}.name`)}</strong>
              </span>
              <span className="small muted">{t(`surveys.templates.${tpl}.description`)}</span>
            </label>
          ))}
        </div>
      </fieldset>

      {spec && template ? (
        <>
          <div className="card">
            <Field id={`${id}-name`} label={t('surveys.form.name')} problems={nameProblems}>
              <input
                id={`${id}-name`}
                value={name}
                maxLength={200}
                autoComplete="off"
                data-control="name"
                onChange={(e) => setName(e.target.value)}
                {...described(`${id}-name`, nameProblems)}
              />
            </Field>
            <Field
              id={`${id}-locale`}
              label={t('surveys.form.defaultLocale')}
              problems={localeProblems}
              hint={t('surveys.form.defaultLocaleHint')}
            >
              <select
                id={`${id}-locale`}
                value={locale}
                data-control="default_locale"
                onChange={(e) => {
                  setLocale(e.target.value as SurveyLocale);
                  setPreview(e.target.value as SurveyLocale);
                }}
                {...described(`${id}-locale`, localeProblems, true)}
              >
                {SURVEY_LOCALES.map((l) => (
                  <option key={l} value={l} lang={l}>
                    {LANGUAGE_NAMES[l]}
                  </option>
                ))}
              </select>
            </Field>
          </div>

          <fieldset
            className="card"
            data-audience=""
            aria-describedby={audienceProblems.length > 0 ? `${id}-audience-problems` : undefined}
          >
            <legend>{t('surveys.form.audience')}</legend>
            {editable(template) ? (
              <div className="filters">
                {(['customers', 'employees'] as const).map((a) => (
                  <label key={a}>
                    <input
                      type="radio"
                      name={`${id}-audience`}
                      value={a}
                      checked={audience === a}
                      data-control="audience"
                      onChange={() => pickAudience(a)}
                    />{' '}
                    {t(`surveys.audiences.${a}`)}
                  </label>
                ))}
              </div>
            ) : (
              <p data-control="audience" data-value={audience}>
                {t(`surveys.audiences.${audience}`)}
              </p>
            )}
            <p className="hint">
              {audience === 'employees' ? t('surveys.form.employeesHint') : t('surveys.form.customersHint')}
            </p>
            {audience === 'customers' ? (
              <div className="filters">
                <div>
                  <label htmlFor={`${id}-segments`}>{t('surveys.form.segments')}</label>
                  <input
                    id={`${id}-segments`}
                    value={segments}
                    data-control="segments"
                    onChange={(e) => setSegments(e.target.value)}
                    {...described(`${id}-audience`, filterProblems)}
                  />
                </div>
                <div>
                  <label htmlFor={`${id}-accounts`}>{t('surveys.form.accounts')}</label>
                  <input
                    id={`${id}-accounts`}
                    value={accounts}
                    data-control="account_ids"
                    onChange={(e) => setAccounts(e.target.value)}
                    {...described(`${id}-audience`, filterProblems)}
                  />
                </div>
              </div>
            ) : (
              <div className="filters">
                <div>
                  <label htmlFor={`${id}-teams`}>{t('surveys.form.teams')}</label>
                  <input
                    id={`${id}-teams`}
                    value={teams}
                    data-control="teams"
                    onChange={(e) => setTeams(e.target.value)}
                    {...described(`${id}-audience`, filterProblems)}
                  />
                </div>
              </div>
            )}
            <p className="hint">{t('surveys.form.filterHint')}</p>
            <FieldProblems
              id={`${id}-audience-problems`}
              messages={[...audienceProblems, ...filterProblems]}
            />
          </fieldset>

          <fieldset className="card" data-questions="">
            <legend>{t('surveys.form.questions')}</legend>
            {editable(template) ? (
              <QuestionEditor
                template={template}
                audience={audience}
                questions={questions}
                onChange={setQuestions}
                error={error}
              />
            ) : (
              <>
                <div className="filters">
                  <div>
                    <label htmlFor={`${id}-preview`}>{t('surveys.form.previewIn')}</label>
                    <select
                      id={`${id}-preview`}
                      value={preview}
                      data-control="preview-locale"
                      onChange={(e) => setPreview(e.target.value as SurveyLocale)}
                    >
                      {SURVEY_LOCALES.map((l) => (
                        <option key={l} value={l} lang={l}>
                          {LANGUAGE_NAMES[l]}
                        </option>
                      ))}
                    </select>
                  </div>
                  {template === 'ces' ? (
                    <div>
                      <label htmlFor={`${id}-ces`}>{t('surveys.editor.scale')}</label>
                      <select
                        id={`${id}-ces`}
                        value={cesScale}
                        data-control="ces_scale"
                        onChange={(e) => setCesScale(Number(e.target.value) === 5 ? 5 : 7)}
                      >
                        <option value={7}>{t('surveys.editor.cesScale', { scale: 7 })}</option>
                        <option value={5}>{t('surveys.editor.cesScale', { scale: 5 })}</option>
                      </select>
                    </div>
                  ) : null}
                </div>
                <p className="hint">{t('surveys.form.fixedQuestions')}</p>
                <QuestionList questions={shown} locale={preview} />
                <FieldProblems
                  id={`${id}-questions-problems`}
                  messages={[...problemsAt(error, '$.questions'), ...problemsAt(error, '$.ces_scale')]}
                />
              </>
            )}
          </fieldset>

          <fieldset
            className="card"
            data-channels=""
            aria-describedby={channelProblems.length > 0 ? `${id}-channels-problems` : undefined}
          >
            <legend>{t('surveys.form.channels')}</legend>
            <ul className="target-list">
              {CHANNELS.map((c) => {
                const blocked = audience === 'employees' && CUSTOMER_ONLY.includes(c);
                return (
                  <li key={c}>
                    <label>
                      <input
                        type="checkbox"
                        value={c}
                        checked={channels.includes(c)}
                        disabled={blocked}
                        data-control="channel"
                        onChange={(e) =>
                          setChannels((current) =>
                            e.target.checked
                              ? CHANNELS.filter((x) => x === c || current.includes(x))
                              : current.filter((x) => x !== c),
                          )
                        }
                      />{' '}
                      <strong>{t(`surveys.channels.${c}`)}</strong>
                    </label>
                    <span className="small muted">
                      {blocked ? t('surveys.form.customerOnly') : t(`surveys.channelHints.${c}`)}
                    </span>
                  </li>
                );
              })}
            </ul>
            <FieldProblems id={`${id}-channels-problems`} messages={channelProblems} />
          </fieldset>

          <ScheduleFields draft={schedule} onChange={setSchedule} error={error} />
          <ReminderFields draft={reminders} onChange={setReminders} error={error} />

          <div className="filters">
            <button type="submit" value="draft" className="button" disabled={busy} data-control="save-draft">
              {t('surveys.form.saveDraft')}
            </button>
            <button
              type="submit"
              value="active"
              className="button primary"
              disabled={busy}
              data-control="activate"
            >
              {t('surveys.form.activate')}
            </button>
            <Link to="/surveys" className="button subtle">
              {t('surveys.form.cancel')}
            </Link>
            {busy ? <Loading label={t('surveys.form.saving')} /> : null}
          </div>
        </>
      ) : (
        <p className="hint">{t('surveys.form.pickTemplate')}</p>
      )}
    </form>
  );
}

export function SurveyNewPage() {
  const { t } = useTranslation();
  const session = useSession();
  const manage = canManageSurveys(session);
  const templates = useApi(manage ? 'survey-templates' : null, (signal) =>
    api<{ templates: SurveyTemplate[] }>('/api/v1/surveys/templates', { signal }),
  );
  let body: ReactNode;
  if (!manage) body = <p className="notice">{t('surveys.readOnly')}</p>;
  else if (templates.state.status === 'loading') body = <Loading />;
  else if (templates.state.status === 'error')
    body = <ErrorState error={templates.state.error} retry={templates.retry} />;
  else body = <SurveyForm templates={templates.state.data.templates} />;
  return (
    <Page
      name="survey-new"
      title={t('surveys.new')}
      actions={
        <Link to="/surveys" className="button subtle">
          {t('surveys.back')}
        </Link>
      }
    >
      {body}
    </Page>
  );
}
