// The widget's two requests to the public survey API (src/server/routes/survey-widget.ts), without cookies.

/** One question as GET /api/public/{workspace}/surveys/{id} gives it, in the respondent's language. */
export interface WidgetQuestion {
  id: string;
  type: 'nps' | 'rating' | 'csat' | 'ces' | 'yes_no' | 'single_choice' | 'multiple_choice' | 'text';
  text: string;
  required: boolean;
  /** Scale questions: the lowest and highest score, and the words at each end. */
  min?: number;
  max?: number;
  low_label?: string;
  high_label?: string;
  choices?: { id: string; text: string }[];
  /** Text questions: the longest answer taken. */
  max_length?: number;
}

/** The widget's own words, in the survey's locale. */
export interface WidgetTexts {
  title: string;
  progress: string;
  next: string;
  send: string;
  close: string;
  yes: string;
  no: string;
  required: string;
  thanks: string;
  already: string;
  error: string;
}

export interface WidgetSurvey {
  survey: string;
  locale: string;
  questions: WidgetQuestion[];
  texts: WidgetTexts;
}

export type AnswerOutcome =
  | { status: 'recorded'; answer_id: string; completed: boolean; next_question: string | null }
  | { status: 'already_answered' };

export interface Endpoint {
  /** The folder widget.js was loaded from: the API lives beside it. */
  base: URL;
  workspace: string;
  survey: string;
}

const path = (e: Endpoint, rest = '') =>
  new URL(
    `api/public/${encodeURIComponent(e.workspace)}/surveys/${encodeURIComponent(e.survey)}${rest}`,
    e.base,
  );

/** The survey, or null when it takes no widget answers (inactive, unknown, not built for the widget). */
export async function fetchSurvey(e: Endpoint, languages: string): Promise<WidgetSurvey | null> {
  const url = path(e);
  url.searchParams.set('lang', languages);
  const answer = await fetch(url, { credentials: 'omit' });
  return answer.ok ? ((await answer.json()) as WidgetSurvey) : null;
}

export async function postAnswer(e: Endpoint, body: Record<string, unknown>): Promise<AnswerOutcome> {
  const answer = await fetch(path(e, '/answers'), {
    method: 'POST',
    credentials: 'omit',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!answer.ok) throw new Error(`answer refused: ${answer.status}`);
  return (await answer.json()) as AnswerOutcome;
}
