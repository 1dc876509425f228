// A survey's questions: read-only in a language (the templates' fixed questions), or edited (pulse and custom):
// add, remove and reorder up to 10 questions of the allowed types, each with its text in every survey language,
// its scale or choices, the KPI it feeds and, for a text question, the answer it explains.
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../api/client';
import {
  type Audience,
  type LocalisedText,
  MAX_QUESTIONS,
  type Metric,
  type Question,
  type QuestionType,
  SURVEY_LOCALES,
  type SurveyLocale,
  type Template,
} from '../api/types';
import { useFormat } from '../format';
import { FieldProblems, languageName, problemsAt, textIn } from './survey-meta';

const PULSE_TYPES: readonly QuestionType[] = ['rating', 'nps', 'single_choice', 'multiple_choice', 'text'];
const CUSTOM_TYPES: readonly QuestionType[] = [
  'nps',
  'rating',
  'csat',
  'ces',
  'yes_no',
  'single_choice',
  'multiple_choice',
  'text',
];
const MAX_CHOICES = 20;

/** The question types a template lets one write (pulse: rating, NPS, choices, text; custom: all). */
export function questionTypes(template: Template): readonly QuestionType[] {
  return template === 'pulse' ? PULSE_TYPES : CUSTOM_TYPES;
}

/** The KPI a question of this type can feed for this audience (employees feed eNPS only). */
export function metricFor(type: QuestionType, audience: Audience): Metric | null {
  if (audience === 'employees') return type === 'nps' ? 'enps' : null;
  switch (type) {
    case 'nps':
      return 'nps';
    case 'csat':
      return 'csat';
    case 'ces':
      return 'ces';
    case 'yes_no':
      return 'fcr';
    default:
      return null;
  }
}

/** The next free id of the form `q1`, `q2`… (ids stay put when questions move). */
function nextId(prefix: string, ids: readonly string[]): string {
  for (let n = ids.length + 1; ; n += 1) if (!ids.includes(`${prefix}${n}`)) return `${prefix}${n}`;
}

/** A new question of `type` that keeps the id, text and required flag of `from`. */
export function blankQuestion(type: QuestionType, id: string, from?: Question): Question {
  const question: Question = { id, type, text: from?.text ?? { en: '' }, required: from?.required ?? false };
  if (type === 'rating') question.max = 5;
  if (type === 'ces') question.scale = 7;
  if (type === 'single_choice' || type === 'multiple_choice') {
    question.choices = from?.choices ?? [
      { id: 'c1', text: { en: '' } },
      { id: 'c2', text: { en: '' } },
    ];
  }
  return question;
}

/** The questions as the API takes them: empty translations left out (each falls back to English). */
export function cleanQuestions(questions: readonly Question[]): Question[] {
  const clean = (text: LocalisedText): LocalisedText => {
    const out: LocalisedText = { en: text.en.trim() };
    for (const locale of SURVEY_LOCALES) {
      const value = text[locale]?.trim();
      if (locale !== 'en' && value) out[locale] = value;
    }
    return out;
  };
  return questions.map((q) => ({
    ...q,
    text: clean(q.text),
    ...(q.choices ? { choices: q.choices.map((c) => ({ ...c, text: clean(c.text) })) } : {}),
  }));
}

/** Scale, metric and "explains" of a question in words. */
function Details({ question, questions }: { question: Question; questions: readonly Question[] }) {
  const { t } = useTranslation();
  const parts = [t(`surveys.questionTypes.${question.type}`)];
  if (question.type === 'ces') parts.push(t('surveys.editor.cesScale', { scale: question.scale ?? 7 }));
  if (question.type === 'rating') parts.push(t('surveys.editor.ratingScale', { max: question.max ?? 5 }));
  if (question.metric)
    parts.push(t('surveys.editor.feeds', { kpi: t(`comments.metrics.${question.metric}`) }));
  if (question.comment_for) {
    const target = questions.findIndex((q) => q.id === question.comment_for);
    parts.push(t('surveys.editor.explains', { number: target + 1 }));
  }
  if (question.required) parts.push(t('surveys.editor.required'));
  return <span className="muted small">{parts.join(' · ')}</span>;
}

/** The questions in `locale`, numbered, with their ends of scale and choices. */
export function QuestionList({
  questions,
  locale,
}: {
  questions: readonly Question[];
  locale: SurveyLocale;
}) {
  const { t } = useTranslation();
  if (questions.length === 0) return <p className="muted">{t('surveys.editor.none')}</p>;
  return (
    <ol className="answers" data-question-list="">
      {questions.map((q) => (
        <li key={q.id} data-question-id={q.id} data-question-type={q.type}>
          <p lang={q.text[locale] ? locale : 'en'}>
            <strong>{textIn(q.text, locale)}</strong>
          </p>
          <Details question={q} questions={questions} />
          {q.low_label && q.high_label ? (
            <p className="small" lang={q.low_label[locale] ? locale : 'en'}>
              {t('surveys.editor.ends', {
                low: textIn(q.low_label, locale),
                high: textIn(q.high_label, locale),
              })}
            </p>
          ) : null}
          {q.choices ? (
            <ul className="small">
              {q.choices.map((c) => (
                <li key={c.id} lang={c.text[locale] ? locale : 'en'}>
                  {textIn(c.text, locale)}
                </li>
              ))}
            </ul>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

/** One text in each survey language; English required. */
function TextFields({
  label,
  text,
  onChange,
  control,
}: {
  label: string;
  text: LocalisedText;
  onChange: (text: LocalisedText) => void;
  control: string;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const id = useId();
  return (
    <fieldset className="filters">
      <legend>{label}</legend>
      {SURVEY_LOCALES.map((locale) => (
        <div key={locale}>
          <label htmlFor={`${id}-${locale}`}>
            {t(locale === 'en' ? 'surveys.editor.inLanguageRequired' : 'surveys.editor.inLanguage', {
              language: languageName(locale, format.locale),
            })}
          </label>
          <input
            id={`${id}-${locale}`}
            lang={locale}
            value={text[locale] ?? ''}
            maxLength={500}
            data-control={`${control}-${locale}`}
            onChange={(e) => onChange({ ...text, [locale]: e.target.value })}
          />
        </div>
      ))}
    </fieldset>
  );
}

interface EditorProps {
  template: Template;
  audience: Audience;
  questions: Question[];
  onChange: (questions: Question[]) => void;
  /** The rejected save, whose `$.questions…` problems are shown beside each question. */
  error: ApiError | null;
}

export function QuestionEditor({ template, audience, questions, onChange, error }: EditorProps) {
  const { t } = useTranslation();
  const id = useId();
  const types = questionTypes(template);
  // Problems of the list as a whole (too many, none); those of one question are shown beside it.
  const listProblems = (error?.errors ?? []).filter((e) => e.path === '$.questions').map((e) => e.message);

  const update = (index: number, question: Question) =>
    onChange(questions.map((q, i) => (i === index ? question : q)));
  const move = (index: number, by: -1 | 1) => {
    const next = [...questions];
    const [moved] = next.splice(index, 1);
    next.splice(index + by, 0, moved!);
    onChange(next);
  };
  const remove = (index: number) => {
    const gone = questions[index]!.id;
    onChange(
      questions
        .filter((_, i) => i !== index)
        .map((q) => {
          if (q.comment_for !== gone) return q;
          const { comment_for: _dropped, ...rest } = q;
          return rest;
        }),
    );
  };
  const add = () => {
    const ids = questions.map((q) => q.id);
    onChange([...questions, blankQuestion(types[0]!, nextId('q', ids))]);
  };

  return (
    <div data-question-editor="">
      <p className="hint">{t('surveys.editor.hint', { max: MAX_QUESTIONS })}</p>
      <FieldProblems id={`${id}-list`} messages={listProblems} />
      <ol className="answers">
        {questions.map((q, index) => {
          const problems = problemsAt(error, `$.questions[${index}]`);
          const metric = metricFor(q.type, audience);
          const explainable = questions.slice(0, index).filter((other) => other.metric !== undefined);
          const qid = `${id}-${q.id}`;
          return (
            <li key={q.id} data-question-id={q.id} data-question-type={q.type}>
              <fieldset
                className="card"
                aria-describedby={problems.length > 0 ? `${qid}-problems` : undefined}
              >
                <legend>{t('surveys.editor.question', { number: index + 1 })}</legend>
                <FieldProblems id={`${qid}-problems`} messages={problems} />
                <div className="filters">
                  <div>
                    <label htmlFor={`${qid}-type`}>{t('surveys.editor.type')}</label>
                    <select
                      id={`${qid}-type`}
                      value={q.type}
                      data-control="question-type"
                      onChange={(e) => update(index, blankQuestion(e.target.value as QuestionType, q.id, q))}
                    >
                      {types.map((type) => (
                        <option key={type} value={type}>
                          {t(`surveys.questionTypes.${type}`)}
                        </option>
                      ))}
                    </select>
                  </div>
                  {q.type === 'rating' ? (
                    <div>
                      <label htmlFor={`${qid}-max`}>{t('surveys.editor.max')}</label>
                      <select
                        id={`${qid}-max`}
                        value={q.max ?? 5}
                        onChange={(e) => update(index, { ...q, max: Number(e.target.value) })}
                      >
                        {[3, 4, 5, 6, 7, 8, 9, 10].map((n) => (
                          <option key={n} value={n}>
                            {t('surveys.editor.ratingScale', { max: n })}
                          </option>
                        ))}
                      </select>
                    </div>
                  ) : null}
                  {q.type === 'ces' ? (
                    <div>
                      <label htmlFor={`${qid}-scale`}>{t('surveys.editor.scale')}</label>
                      <select
                        id={`${qid}-scale`}
                        value={q.scale ?? 7}
                        onChange={(e) => update(index, { ...q, scale: Number(e.target.value) === 5 ? 5 : 7 })}
                      >
                        <option value={7}>{t('surveys.editor.cesScale', { scale: 7 })}</option>
                        <option value={5}>{t('surveys.editor.cesScale', { scale: 5 })}</option>
                      </select>
                    </div>
                  ) : null}
                  {q.type === 'text' && explainable.length > 0 ? (
                    <div>
                      <label htmlFor={`${qid}-for`}>{t('surveys.editor.commentFor')}</label>
                      <select
                        id={`${qid}-for`}
                        value={q.comment_for ?? ''}
                        onChange={(e) => {
                          const { comment_for: _old, ...rest } = q;
                          update(index, e.target.value ? { ...rest, comment_for: e.target.value } : rest);
                        }}
                      >
                        <option value="">{t('surveys.editor.commentForNone')}</option>
                        {explainable.map((other) => (
                          <option key={other.id} value={other.id}>
                            {t('surveys.editor.question', { number: questions.indexOf(other) + 1 })}
                          </option>
                        ))}
                      </select>
                    </div>
                  ) : null}
                </div>
                <div className="filters">
                  <label>
                    <input
                      type="checkbox"
                      checked={q.required ?? false}
                      onChange={(e) => update(index, { ...q, required: e.target.checked })}
                    />{' '}
                    {t('surveys.editor.required')}
                  </label>
                  {metric ? (
                    <label>
                      <input
                        type="checkbox"
                        checked={q.metric === metric}
                        data-control="question-metric"
                        onChange={(e) => {
                          const { metric: _old, ...rest } = q;
                          update(index, e.target.checked ? { ...rest, metric } : rest);
                        }}
                      />{' '}
                      {t('surveys.editor.feeds', { kpi: t(`comments.metrics.${metric}`) })}
                    </label>
                  ) : null}
                </div>
                <TextFields
                  label={t('surveys.editor.text')}
                  text={q.text}
                  control="question-text"
                  onChange={(text) => update(index, { ...q, text })}
                />
                {q.choices?.map((choice, c) => (
                  <div key={choice.id} data-choice-id={choice.id}>
                    <TextFields
                      label={t('surveys.editor.choice', { number: c + 1 })}
                      text={choice.text}
                      control="choice-text"
                      onChange={(text) =>
                        update(index, {
                          ...q,
                          choices: q.choices!.map((other, i) => (i === c ? { ...other, text } : other)),
                        })
                      }
                    />
                    {q.choices!.length > 2 ? (
                      <button
                        type="button"
                        className="button subtle danger"
                        onClick={() => update(index, { ...q, choices: q.choices!.filter((_, i) => i !== c) })}
                      >
                        {t('surveys.editor.removeChoice', { number: c + 1 })}
                      </button>
                    ) : null}
                  </div>
                ))}
                <div className="filters">
                  {q.choices && q.choices.length < MAX_CHOICES ? (
                    <button
                      type="button"
                      className="button"
                      onClick={() => {
                        const ids = q.choices!.map((c) => c.id);
                        const choice = { id: nextId('c', ids), text: { en: '' } };
                        update(index, { ...q, choices: [...q.choices!, choice] });
                      }}
                    >
                      {t('surveys.editor.addChoice')}
                    </button>
                  ) : null}
                  <button
                    type="button"
                    className="button"
                    disabled={index === 0}
                    onClick={() => move(index, -1)}
                    aria-label={t('surveys.editor.moveUpLabel', { number: index + 1 })}
                    data-control="question-up"
                  >
                    {t('surveys.editor.moveUp')}
                  </button>
                  <button
                    type="button"
                    className="button"
                    disabled={index === questions.length - 1}
                    onClick={() => move(index, 1)}
                    aria-label={t('surveys.editor.moveDownLabel', { number: index + 1 })}
                    data-control="question-down"
                  >
                    {t('surveys.editor.moveDown')}
                  </button>
                  <button
                    type="button"
                    className="button danger"
                    disabled={questions.length === 1}
                    onClick={() => remove(index)}
                    aria-label={t('surveys.editor.removeLabel', { number: index + 1 })}
                    data-control="question-remove"
                  >
                    {t('surveys.editor.remove')}
                  </button>
                </div>
              </fieldset>
            </li>
          );
        })}
      </ol>
      <button
        type="button"
        className="button"
        disabled={questions.length >= MAX_QUESTIONS}
        onClick={add}
        data-control="question-add"
      >
        {t('surveys.editor.add')}
      </button>
      {questions.length >= MAX_QUESTIONS ? (
        <p className="hint" role="status">
          {t('surveys.editor.full', { max: MAX_QUESTIONS })}
        </p>
      ) : null}
    </div>
  );
}
