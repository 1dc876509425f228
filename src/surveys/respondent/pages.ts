// The respondent pages as HTML: one question per page in a plain form (it works without JavaScript), progress,
// errors that name the question, and the thank-you, already-answered, closed, unsubscribe and error pages.
import {
  type AnswerValue,
  MAX_TEXT_ANSWER,
  type Question,
  type SurveyLocale,
  scoreRange,
  textIn,
} from '../questions.js';
import type { Survey } from '../survey.js';
import { escapeHtml as e } from './html.js';
import type { Refusal } from './resolve.js';
import { RESPONDENT_STRINGS } from './strings.js';
import { RESPONDENT_CSS_VERSION } from './styles.js';

export const RESPONDENT_CSS_PATH = '/s/assets/respondent.css';

function layout(locale: SurveyLocale, title: string, body: string): string {
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${e(title)}</title>
<link rel="stylesheet" href="${RESPONDENT_CSS_PATH}?v=${RESPONDENT_CSS_VERSION}">
</head>
<body>
<main><div class="card">
${body}
</div></main>
</body>
</html>
`;
}

export interface QuestionPage {
  locale: SurveyLocale;
  survey: Survey;
  question: Question;
  /** Where the form posts (this page's own address). */
  action: string;
  /** The value to show chosen: an earlier answer, or the score of the e-mail's link. */
  value?: AnswerValue | null;
  /** The score came from the e-mail's link: the button says "Confirm". */
  confirm?: boolean;
  /** What is wrong with the value just sent, in the respondent's language. */
  error?: string;
}

/** One question with its progress ("Question 2 of 3") and a button that posts it. */
export function questionPage(page: QuestionPage): string {
  const { locale, survey, question: q } = page;
  const words = RESPONDENT_STRINGS[locale];
  const index = survey.questions.findIndex((other) => other.id === q.id);
  const total = survey.questions.length;
  const text = textIn(q.text, locale);
  const last = index === total - 1;
  const errorId = `${q.id}-error`;
  const summary = page.error
    ? `<div class="error-summary" role="alert">
<h2>${e(words.problem)}</h2>
<ul><li><a href="#${e(firstFieldId(q))}">${e(text)}: ${e(page.error)}</a></li></ul>
</div>`
    : '';
  const button = page.confirm ? words.confirm : last ? words.send : words.next;
  return layout(
    locale,
    `${words.questionOf(index + 1, total)} · ${words.survey}`,
    `<div class="progress">
<p id="progress-label">${e(words.questionOf(index + 1, total))}</p>
<progress max="${total}" value="${index + 1}" aria-labelledby="progress-label">${index + 1} / ${total}</progress>
</div>
${summary}
<form method="post" action="${e(page.action)}">
<input type="hidden" name="question" value="${e(q.id)}">
${field(q, locale, text, page.value ?? null, page.error ? errorId : null, page.error ?? null)}
<button type="submit">${e(button)}</button>
</form>`,
  );
}

function firstFieldId(q: Question): string {
  if (q.type === 'text') return `q-${q.id}`;
  return `q-${q.id}-0`;
}

/** The options of a question that shows them: a scale's numbers, yes/no, or its choices. */
function optionsOf(q: Question, locale: SurveyLocale): { value: string; label: string }[] {
  const range = scoreRange(q);
  if (range) {
    return Array.from({ length: range[1] - range[0] + 1 }, (_, i) => String(range[0] + i)).map((v) => ({
      value: v,
      label: v,
    }));
  }
  if (q.type === 'yes_no') {
    const words = RESPONDENT_STRINGS[locale];
    return [
      { value: 'yes', label: words.yes },
      { value: 'no', label: words.no },
    ];
  }
  return (q.choices ?? []).map((c) => ({ value: c.id, label: textIn(c.text, locale) }));
}

/** Whether an option is the chosen value (scores come as numbers, yes/no as booleans, choices as ids). */
function chosen(value: AnswerValue | null, option: string): boolean {
  if (value === null) return false;
  if (Array.isArray(value)) return value.includes(option);
  if (typeof value === 'boolean') return (value ? 'yes' : 'no') === option;
  return String(value) === option;
}

function field(
  q: Question,
  locale: SurveyLocale,
  text: string,
  value: AnswerValue | null,
  errorId: string | null,
  error: string | null,
): string {
  const words = RESPONDENT_STRINGS[locale];
  const optional = q.required ? '' : ` <span class="hint">${e(words.optional)}</span>`;
  const errorLine = errorId && error ? `<p class="error" id="${errorId}">${e(error)}</p>` : '';
  if (q.type === 'text') {
    const describedBy = errorId ? ` aria-describedby="${errorId}"` : '';
    const current = typeof value === 'string' ? value : '';
    return `<label for="q-${e(q.id)}"><h1>${e(text)}${optional}</h1></label>
${errorLine}
<textarea id="q-${e(q.id)}" name="${e(q.id)}" maxlength="2000" rows="5"${describedBy}${
      errorId ? ' aria-invalid="true"' : ''
    }>${e(current)}</textarea>`;
  }
  const options = optionsOf(q, locale);
  const multiple = q.type === 'multiple_choice';
  const isScale = scoreRange(q) !== null || q.type === 'yes_no';
  const inputs = options
    .map((o, i) => {
      const id = `q-${q.id}-${i}`;
      const checked = chosen(value, o.value) ? ' checked' : '';
      const required = q.required && !multiple ? ' required' : '';
      return `<div class="option"><input type="${multiple ? 'checkbox' : 'radio'}" id="${e(id)}" name="${e(q.id)}" value="${e(o.value)}"${checked}${required}><label for="${e(id)}">${e(o.label)}</label></div>`;
    })
    .join('\n');
  const low = q.low_label ? textIn(q.low_label, locale) : null;
  const high = q.high_label ? textIn(q.high_label, locale) : null;
  const endsId = `${q.id}-ends`;
  const ends =
    isScale && low && high
      ? `<p class="hint" id="${e(endsId)}">${e(options[0]!.label)} = ${e(low)} · ${e(options.at(-1)!.label)} = ${e(high)}</p>`
      : '';
  // Screen readers hear the error and what the scale's ends mean with the group's name.
  const described = [errorId, ends ? endsId : null].filter((id) => id !== null).join(' ');
  const group = isScale
    ? `<div class="scale n-${options.length}">${inputs}</div>`
    : `<div class="choices">${inputs}</div>`;
  return `<fieldset${described ? ` aria-describedby="${e(described)}"` : ''}>
<legend><h1>${e(text)}${optional}</h1></legend>
${errorLine}
${ends}
${group}
</fieldset>`;
}

/** A page that only says something: thank you, already answered, closed, not valid. */
export function messagePage(locale: SurveyLocale, title: string, body: string): string {
  return layout(locale, title, `<h1>${e(title)}</h1>\n<p>${e(body)}</p>`);
}

/** Asks to confirm unsubscribing (a link in an e-mail must not unsubscribe by being fetched). */
export function unsubscribePage(locale: SurveyLocale, action: string): string {
  const words = RESPONDENT_STRINGS[locale];
  return layout(
    locale,
    words.unsubscribeTitle,
    `<h1>${e(words.unsubscribeTitle)}</h1>
<p>${e(words.unsubscribeBody)}</p>
<form method="post" action="${e(action)}"><button type="submit">${e(words.unsubscribeButton)}</button></form>`,
  );
}

/** What is wrong with a submitted value, said to the respondent (the answer's own errors are for the API). */
export function answerErrorText(question: Question, raw: unknown, locale: SurveyLocale): string {
  const words = RESPONDENT_STRINGS[locale];
  const blank = raw === undefined || raw === '' || (Array.isArray(raw) && raw.length === 0);
  if (blank) return words.required;
  const range = scoreRange(question);
  if (range) return words.invalidScale(range[0], range[1]);
  if (question.type === 'text') return words.tooLong(MAX_TEXT_ANSWER);
  return words.invalidChoice;
}

/** The status and page of a link that opens nothing: not valid (404), closed (410), not open now (403). */
export function refusalMessage(refusal: Refusal, locale: SurveyLocale): { status: number; html: string } {
  const words = RESPONDENT_STRINGS[locale];
  if (refusal === 'not_found')
    return { status: 404, html: messagePage(locale, words.badLinkTitle, words.badLinkBody) };
  if (refusal === 'closed')
    return { status: 410, html: messagePage(locale, words.closedTitle, words.closedBody) };
  return { status: 403, html: messagePage(locale, words.pausedTitle, words.pausedBody) };
}

/** The page of an error status: too many requests, a link not found, a request we cannot read, our failure. */
export function errorStatusPage(status: number, locale: SurveyLocale): string {
  const words = RESPONDENT_STRINGS[locale];
  if (status === 429) return messagePage(locale, words.tooManyTitle, words.tooManyBody);
  if (status === 404) return messagePage(locale, words.badLinkTitle, words.badLinkBody);
  if (status < 500) return messagePage(locale, words.problem, words.badRequestBody);
  return messagePage(locale, words.errorTitle, words.errorBody);
}
