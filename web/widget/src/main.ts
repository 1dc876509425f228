// Fidelio's in-product survey widget. One script tag:
//   <script src="https://fidelio.example/widget.js" data-workspace="acme" data-survey="PUBLIC_ID"
//           data-token="(optional personal token)" data-lang="(optional)" async></script>
// It asks the survey's questions one at a time in a bottom-corner card inside its own shadow root, keeps the
// answer in progress across reloads, and stays away for a while after an answer or a dismissal.
import { type Endpoint, fetchSurvey, postAnswer, type WidgetSurvey } from './api.js';
import { HIDE_AFTER_COMPLETION, HIDE_AFTER_DISMISSAL, type Memory, recall, remember } from './memory.js';
import { h, questionView } from './questions.js';
import { CSS } from './styles.js';

const script = document.currentScript as HTMLScriptElement | null;
if (script?.src) void start(script);

async function start(script: HTMLScriptElement): Promise<void> {
  const { workspace, survey, token, lang } = script.dataset;
  if (!workspace || !survey) {
    console.warn('Fidelio widget: data-workspace and data-survey are required');
    return;
  }
  // A personal token is `<invitation_id>.<mac>`: each invitation keeps its own progress.
  const key = `fidelio-widget:${workspace}/${survey}${token ? `/${token.split('.')[0]}` : ''}`;
  if ((recall(key).hiddenUntil ?? 0) > Date.now()) return;
  const endpoint: Endpoint = { base: new URL('.', script.src), workspace, survey };
  const languages = [lang, ...navigator.languages].filter(Boolean).join(',');
  const data = await fetchSurvey(endpoint, languages).catch(() => null);
  if (!data || data.questions.length === 0) return;
  if (document.readyState === 'loading') {
    await new Promise((resolve) => document.addEventListener('DOMContentLoaded', resolve, { once: true }));
  }
  open(endpoint, data, key, token);
}

function open(endpoint: Endpoint, data: WidgetSurvey, key: string, token: string | undefined): void {
  const { questions, texts } = data;
  const host = document.createElement('fidelio-survey');
  const root = host.attachShadow({ mode: 'open' });
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];
  } catch {
    root.append(h('style', {}, CSS));
  }
  const step = h('p', { class: 'step' });
  const close = h('button', { type: 'button', class: 'x', 'aria-label': texts.close }, '×');
  const body = h('div');
  const card = h(
    'section',
    { class: 'card', role: 'dialog', 'aria-labelledby': 't', tabindex: '-1', lang: data.locale },
    h('div', { class: 'head' }, h('div', {}, h('h2', { id: 't' }, texts.title), step), close),
    body,
  );
  root.append(card);

  const memory: Memory = recall(key);
  let index = Math.max(
    0,
    questions.findIndex((q) => q.id === memory.next),
  );
  const hasFocus = () => root.activeElement !== null;
  // Focus comes to the card only when nothing else has it: the widget never interrupts someone typing.
  const before = document.activeElement;
  const tookFocus = before === null || before === document.body;

  function dismiss(): void {
    const current = recall(key);
    remember(key, {
      ...current,
      hiddenUntil: Math.max(current.hiddenUntil ?? 0, Date.now() + HIDE_AFTER_DISMISSAL),
    });
    const hadFocus = hasFocus();
    host.remove();
    if (hadFocus && !tookFocus && before instanceof HTMLElement) before.focus();
  }

  function finish(message: string, focus: boolean): void {
    remember(key, { hiddenUntil: Date.now() + HIDE_AFTER_COMPLETION });
    step.textContent = '';
    const done = h('p', { class: 'done', tabindex: '-1' }, message);
    body.replaceChildren(done);
    if (focus) done.focus();
  }

  function show(focus: boolean): void {
    const question = questions[index]!;
    const last = index === questions.length - 1;
    const view = questionView(question, texts);
    const error = h('p', { class: 'err', role: 'alert' });
    const go = h(
      'button',
      { type: 'submit', class: 'go' },
      last ? texts.send : texts.next,
    ) as HTMLButtonElement;
    const form = h('form', { novalidate: '' }, view.node, error, h('div', { class: 'foot' }, go));
    step.textContent = texts.progress
      .replace('{n}', String(index + 1))
      .replace('{total}', String(questions.length));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const value = view.value();
      if (question.required && value === null) {
        error.textContent = texts.required;
        view.focusTarget().focus();
        return;
      }
      // Read before the button is disabled: a disabled button loses focus.
      const focused = hasFocus();
      go.disabled = true;
      error.textContent = '';
      try {
        const answered = recall(key).answer;
        const outcome = await postAnswer(endpoint, {
          ...(token ? { token } : {}),
          ...(answered ? { answer_id: answered } : {}),
          values: { [question.id]: value },
          complete: last,
          lang: data.locale,
        });
        if (outcome.status === 'already_answered') return finish(texts.already, focused);
        if (outcome.completed) return finish(texts.thanks, focused);
        // The server may skip ahead; it never sends the respondent back.
        const next = questions.findIndex((q) => q.id === outcome.next_question);
        index = Math.min(next > index ? next : index + 1, questions.length - 1);
        remember(key, { answer: outcome.answer_id, next: questions[index]!.id });
        show(focused);
      } catch {
        error.textContent = texts.error;
        go.disabled = false;
        if (focused) go.focus();
      }
    });
    body.replaceChildren(form);
    if (focus) view.focusTarget().focus();
  }

  close.addEventListener('click', dismiss);
  card.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') dismiss();
  });
  document.body.append(host);
  show(false);
  if (tookFocus) card.focus();
}
