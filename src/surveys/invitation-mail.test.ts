import { describe, expect, it } from 'vitest';
import { invitationMail } from './invitation-mail.js';
import { SURVEY_LOCALES } from './questions.js';
import type { Survey } from './survey.js';
import { surveyFromInput } from './survey-store.js';

const NOW = new Date('2026-05-04T09:00:00Z');
const BASE = 'https://cs.acme.example/s/acme';

function survey(template: 'nps' | 'fcr' | 'enps' | 'pulse', extra: object = {}): Survey {
  return surveyFromInput(
    {
      name: 'mail',
      template,
      default_locale: 'en',
      channels: ['email'],
      audience_filter: {},
      reminders: { count: 0, after_days: [] },
      status: 'active',
      ...extra,
    },
    null,
    NOW,
  );
}

const recipient = (locale: string | null, name: string | null = 'Ana') => ({
  email: 'ana@x.example',
  name,
  locale,
  token: 'inv_1.mac',
});

describe('invitationMail', () => {
  it('has a subject, greeting and question in each of the four languages', () => {
    const subjects = SURVEY_LOCALES.map((locale) => {
      const mail = invitationMail({
        survey: survey('nps'),
        recipient: recipient(locale),
        baseUrl: BASE,
        reminder: false,
      });
      expect(mail.html).toContain(`<html lang="${locale}">`);
      return mail.subject;
    });
    expect(subjects).toEqual([
      'A quick question for you',
      'Una domanda veloce per te',
      'Une petite question pour vous',
      'Satu soalan ringkas untuk anda',
    ]);
  });

  it('links every score of the first question, the page, and unsubscribing (also as List-Unsubscribe)', () => {
    const mail = invitationMail({
      survey: survey('nps'),
      recipient: recipient('en'),
      baseUrl: BASE,
      reminder: false,
    });
    for (let score = 0; score <= 10; score += 1) {
      expect(mail.html).toContain(`href="${BASE}/inv_1.mac?score=${score}"`);
      expect(mail.text).toContain(`${BASE}/inv_1.mac?score=${score}`);
    }
    expect(mail.text).toContain(`0 (Not at all likely): ${BASE}/inv_1.mac?score=0`);
    expect(mail.text).toContain(`Or open the survey: ${BASE}/inv_1.mac\n`);
    expect(mail.headers).toEqual({
      'List-Unsubscribe': `<${BASE}/inv_1.mac/unsubscribe>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
  });

  it('links yes and no for a yes/no first question, and only the page for a text one', () => {
    const fcr = invitationMail({
      survey: survey('fcr'),
      recipient: recipient('it'),
      baseUrl: BASE,
      reminder: false,
    });
    expect(fcr.html).toMatch(new RegExp(`href="${BASE}/inv_1.mac\\?score=yes"[^>]*>Sì</a>`));
    expect(fcr.html).toMatch(new RegExp(`href="${BASE}/inv_1.mac\\?score=no"[^>]*>No</a>`));
    const questions = [{ id: 'idea', type: 'text', required: false, text: { en: 'One idea?' } }];
    const pulse = invitationMail({
      survey: survey('pulse', { questions }),
      recipient: recipient('en'),
      baseUrl: BASE,
      reminder: false,
    });
    expect(pulse.html).not.toContain('score=');
    expect(pulse.text).toContain(`Start the survey: ${BASE}/inv_1.mac`);
  });

  it('for anonymous surveys: the language in the links, an anonymity note, no unsubscribe link', () => {
    const mail = invitationMail({
      survey: survey('enps'),
      recipient: recipient('fr'),
      baseUrl: BASE,
      reminder: true,
    });
    expect(mail.subject).toBe('Rappel : une petite question pour vous');
    expect(mail.html).toContain(`href="${BASE}/inv_1.mac?lang=fr&amp;score=6"`);
    expect(mail.text).toContain('Vos réponses sont anonymes');
    expect(mail.text).toContain('Si vous avez déjà répondu, merci');
    expect(mail.headers).toEqual({});
  });

  it('escapes names in HTML and falls back to the survey’s language and a plain greeting', () => {
    const hostile = invitationMail({
      survey: survey('nps'),
      recipient: recipient('de', '<script>x</script>'),
      baseUrl: BASE,
      reminder: false,
    });
    expect(hostile.html).toContain('Hello &lt;script&gt;x&lt;/script&gt;,');
    expect(hostile.html).not.toContain('<script>');
    const nameless = invitationMail({
      survey: survey('nps'),
      recipient: recipient(null, null),
      baseUrl: BASE,
      reminder: false,
    });
    expect(nameless.text.startsWith('Hello,\n')).toBe(true);
  });
});
