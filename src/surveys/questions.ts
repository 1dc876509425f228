// What a survey asks: question types, their texts in each language, and the checks an answer must pass.
// A question with `metric` feeds the `responses` table (so every KPI sees it); the others stay in the survey.
import { z } from 'zod';
import type { Metric } from '../domain/import-format.js';

export const SURVEY_LOCALES = ['en', 'it', 'fr', 'ms'] as const;
export type SurveyLocale = (typeof SURVEY_LOCALES)[number];

export const QUESTION_TYPES = [
  'nps',
  'rating',
  'csat',
  'ces',
  'yes_no',
  'single_choice',
  'multiple_choice',
  'text',
] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

export const MAX_QUESTIONS = 10;
export const MAX_TEXT_ANSWER = 2000;

/** A text in each language; English is required, the others fall back to it. */
export const localisedText = z
  .object({
    en: z.string().min(1).max(500),
    it: z.string().min(1).max(500).optional(),
    fr: z.string().min(1).max(500).optional(),
    ms: z.string().min(1).max(500).optional(),
  })
  .strict();
export type LocalisedText = z.infer<typeof localisedText>;

const choice = z.object({ id: z.string().regex(/^[a-z0-9_]{1,40}$/), text: localisedText }).strict();

export const question = z
  .object({
    id: z.string().regex(/^[a-z0-9_]{1,40}$/, 'a question id is 1–40 of a–z, 0–9 and _'),
    type: z.enum(QUESTION_TYPES),
    text: localisedText,
    required: z.boolean().default(false),
    /** The KPI this answer feeds: nps/enps for `nps`, csat, ces, fcr for a `yes_no` (yes = 1). */
    metric: z.enum(['nps', 'enps', 'csat', 'ces', 'fcr']).optional(),
    /** `ces` only: a 5- or 7-point scale, 1 = very easy (KPI-SPEC stores it so). */
    scale: z.union([z.literal(5), z.literal(7)]).optional(),
    /** `rating` only: 1 to max (3–10). */
    max: z.number().int().min(3).max(10).optional(),
    choices: z.array(choice).min(2).max(20).optional(),
    /** `text` only: the question whose answer this text explains; it becomes that response's comment. */
    comment_for: z.string().optional(),
    /** Labels of the scale's two ends ("Not at all likely", "Extremely likely"). */
    low_label: localisedText.optional(),
    high_label: localisedText.optional(),
  })
  .strict();
export type Question = z.infer<typeof question>;

/** The metric types each question type may feed. */
const METRIC_OF_TYPE: Record<QuestionType, readonly Metric[]> = {
  nps: ['nps', 'enps'],
  rating: [],
  csat: ['csat'],
  ces: ['ces'],
  yes_no: ['fcr'],
  single_choice: [],
  multiple_choice: [],
  text: [],
};

/** Problems of a question list, as "questions[2].metric: …" lines; empty when it is sound. */
export function questionListIssues(questions: readonly Question[]): string[] {
  const issues: string[] = [];
  const at = (i: number, field: string, message: string) =>
    issues.push(`questions[${i}].${field}: ${message}`);
  if (questions.length < 1 || questions.length > MAX_QUESTIONS) {
    issues.push(`questions: a survey has 1 to ${MAX_QUESTIONS} questions, not ${questions.length}`);
  }
  const ids = new Set<string>();
  const metrics = new Set<string>();
  questions.forEach((q, i) => {
    if (ids.has(q.id)) at(i, 'id', `"${q.id}" is used twice`);
    ids.add(q.id);
    if (q.metric) {
      if (!METRIC_OF_TYPE[q.type].includes(q.metric)) {
        at(i, 'metric', `a ${q.type} question cannot feed ${q.metric}`);
      }
      if (metrics.has(q.metric)) at(i, 'metric', `only one question may feed ${q.metric}`);
      metrics.add(q.metric);
    }
    const needsChoices = q.type === 'single_choice' || q.type === 'multiple_choice';
    if (needsChoices !== (q.choices !== undefined)) {
      at(
        i,
        'choices',
        needsChoices ? 'a choice question lists its choices' : 'only choice questions have choices',
      );
    }
    if (q.scale !== undefined && q.type !== 'ces') at(i, 'scale', 'only ces questions have a scale');
    if (q.max !== undefined && q.type !== 'rating') at(i, 'max', 'only rating questions have a max');
    if (q.comment_for !== undefined) {
      if (q.type !== 'text') at(i, 'comment_for', 'only text questions explain another answer');
      const target = questions.findIndex((other) => other.id === q.comment_for);
      if (target < 0 || target >= i) at(i, 'comment_for', `"${q.comment_for}" is not an earlier question`);
      else if (!questions[target]!.metric) at(i, 'comment_for', `"${q.comment_for}" feeds no KPI`);
    }
  });
  return issues;
}

/** An answer as stored: a number for scales, true/false for yes/no, choice ids, or text. */
export type AnswerValue = number | boolean | string | string[];

/** The smallest and largest score of a scale question. */
export function scoreRange(q: Question): [number, number] | null {
  switch (q.type) {
    case 'nps':
      return [0, 10];
    case 'csat':
      return [1, 5];
    case 'ces':
      return [1, q.scale ?? 7];
    case 'rating':
      return [1, q.max ?? 5];
    default:
      return null;
  }
}

/**
 * The stored value of a submitted answer (form fields arrive as text), or an error message saying what is
 * wrong. `null` means "no answer" (allowed unless the question is required).
 */
export function parseAnswer(q: Question, raw: unknown): { value: AnswerValue | null } | { error: string } {
  const blank = raw === undefined || raw === null || raw === '' || (Array.isArray(raw) && raw.length === 0);
  if (blank) return q.required ? { error: 'an answer is required' } : { value: null };
  const range = scoreRange(q);
  if (range) {
    const n =
      typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d{1,2}$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isInteger(n) || n < range[0] || n > range[1]) {
      return { error: `the answer is a whole number from ${range[0]} to ${range[1]}` };
    }
    return { value: n };
  }
  switch (q.type) {
    case 'yes_no':
      if (raw === true || raw === 'yes') return { value: true };
      if (raw === false || raw === 'no') return { value: false };
      return { error: 'the answer is yes or no' };
    case 'single_choice': {
      const id = String(raw);
      return q.choices?.some((c) => c.id === id)
        ? { value: id }
        : { error: `"${id}" is not one of the choices` };
    }
    case 'multiple_choice': {
      const ids = (Array.isArray(raw) ? raw : [raw]).map(String);
      const unknown = ids.find((id) => !q.choices?.some((c) => c.id === id));
      if (unknown !== undefined) return { error: `"${unknown}" is not one of the choices` };
      return { value: [...new Set(ids)] };
    }
    default: {
      if (typeof raw !== 'string') return { error: 'the answer is text' };
      const text = raw.trim();
      if (text.length > MAX_TEXT_ANSWER)
        return { error: `the answer is at most ${MAX_TEXT_ANSWER} characters` };
      return text === '' && q.required
        ? { error: 'an answer is required' }
        : { value: text === '' ? null : text };
    }
  }
}

/** The text of `text` in `locale`, falling back to English. */
export function textIn(text: LocalisedText, locale: SurveyLocale): string {
  return text[locale] ?? text.en;
}

/** The survey locale for a requested one ("fr-CA" → fr), else the fallback. */
export function surveyLocaleOf(tag: string | null | undefined, fallback: SurveyLocale): SurveyLocale {
  const primary = (tag ?? '').toLowerCase().split(/[-_]/)[0] ?? '';
  return (SURVEY_LOCALES as readonly string[]).includes(primary) ? (primary as SurveyLocale) : fallback;
}
