import { describe, expect, it } from 'vitest';
import type { Question } from '../questions.js';
import type { Survey } from '../survey.js';
import { surveyFromInput } from '../survey-store.js';
import { messagePage, questionPage } from './pages.js';
import { RESPONDENT_STRINGS, respondentLocale } from './strings.js';

const questions: Question[] = [
  {
    id: 'likes',
    type: 'multiple_choice',
    required: true,
    text: { en: 'What do you like? <b>' },
    choices: [
      { id: 'speed', text: { en: 'Speed', it: 'Velocità' } },
      { id: 'price', text: { en: 'Price "low"' } },
    ],
  },
  { id: 'rate', type: 'rating', max: 4, required: false, text: { en: 'Rate us' } },
];
const survey: Survey = surveyFromInput(
  {
    name: 'pulse',
    template: 'custom',
    default_locale: 'en',
    questions,
    channels: ['link'],
    audience_filter: {},
    reminders: { count: 0, after_days: [] },
    status: 'active',
  },
  null,
  new Date('2026-01-01T00:00:00Z'),
);

describe('questionPage', () => {
  it('is a form that posts to its own address, escaped, with progress and labelled inputs', () => {
    const html = questionPage({
      locale: 'it',
      survey,
      question: questions[0]!,
      action: '/s/ws/t?lang=it&x="y"',
      value: ['price'],
    });
    expect(html).toContain('<html lang="it">');
    expect(html).toContain('<form method="post" action="/s/ws/t?lang=it&amp;x=&quot;y&quot;">');
    expect(html).toContain('Domanda 1 di 2');
    expect(html).toContain('<legend><h1>What do you like? &lt;b&gt;</h1></legend>');
    expect(html).toContain(
      '<input type="checkbox" id="q-likes-0" name="likes" value="speed"><label for="q-likes-0">Velocità</label>',
    );
    expect(html).toContain('value="price" checked><label for="q-likes-1">Price &quot;low&quot;</label>');
    expect(html).not.toMatch(/<script|style="/);
  });

  it('says when a question is optional and labels the last button "send"', () => {
    const html = questionPage({ locale: 'ms', survey, question: questions[1]!, action: '/x' });
    expect(html).toContain('(pilihan)');
    expect(html).toContain(`>${RESPONDENT_STRINGS.ms.send}</button>`);
    expect(html.match(/type="radio"/g)).toHaveLength(4);
  });
});

it('messagePage escapes its texts', () => {
  expect(messagePage('en', 'a<b', 'c&d')).toContain('<h1>a&lt;b</h1>\n<p>c&amp;d</p>');
});

describe('respondentLocale', () => {
  const base = { lang: undefined, contactLocale: null, acceptLanguage: undefined, fallback: 'fr' } as const;
  it('prefers ?lang=, then the contact, then Accept-Language by weight, then the survey default', () => {
    expect(respondentLocale({ ...base, lang: 'it', contactLocale: 'ms' })).toBe('it');
    expect(respondentLocale({ ...base, lang: 'de', contactLocale: 'ms-MY' })).toBe('ms');
    expect(respondentLocale({ ...base, acceptLanguage: 'de-DE, it;q=0.5, en;q=0.8' })).toBe('en');
    expect(respondentLocale({ ...base, acceptLanguage: 'de, ja;q=0.9' })).toBe('fr');
    expect(respondentLocale({ ...base, acceptLanguage: 'it;q=0, en-GB;q=0.1' })).toBe('en');
  });
});
