import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DuckDbStore, openDuckDbStore } from '../store/duckdb-store.js';
import {
  type AnswerSubmission,
  linkFingerprint,
  nextQuestion,
  recordAnswer,
  touchesResponses,
} from './answers.js';
import { setFatigueDays } from './fatigue.js';
import { inviteContacts } from './invitations.js';
import type { Question } from './questions.js';
import type { Survey, SurveyInput } from './survey.js';
import { createSurvey, surveyFromInput } from './survey-store.js';

let store: DuckDbStore;
const NOW = new Date('2026-03-10T14:30:00Z');

beforeAll(async () => {
  store = await openDuckDbStore(':memory:');
  await store.run(`INSERT INTO contacts (contact_id, kind, email, account_id, locale) VALUES
    ('ann', 'customer', 'ann@x.example', 'acct-1', 'en'), ('bob', 'customer', 'bob@x.example', 'acct-2', 'fr')`);
  await setFatigueDays(store, { fcr: 0, ces: 0, nps: 0, custom: 0 });
});
afterAll(() => store.close());

async function survey(input: Partial<SurveyInput> & Pick<SurveyInput, 'template'>): Promise<Survey> {
  const full = {
    name: 't',
    default_locale: 'en',
    channels: ['link'],
    audience_filter: {},
    status: 'active',
    ...input,
  };
  return createSurvey(
    store,
    surveyFromInput({ reminders: { count: 0, after_days: [] }, ...full } as SurveyInput, null, NOW),
  );
}

async function invitation(s: Survey, contact: string): Promise<string> {
  const { invited } = await inviteContacts(store, s, {
    contactIds: [contact],
    channel: 'link',
    waveId: null,
    now: NOW,
  });
  return invited[0]!.invitation_id;
}

function submission(
  s: Survey,
  invitationId: string,
  values: Record<string, unknown>,
  complete = false,
): AnswerSubmission {
  return {
    survey: s,
    respondent: { kind: 'invitation', invitation_id: invitationId },
    channel: 'link',
    locale: 'en',
    values,
    complete,
    now: NOW,
  };
}

const responses = (answerId: string) =>
  store.query(`SELECT * FROM responses WHERE response_id LIKE $1 ORDER BY response_id`, [`${answerId}.%`]);

describe('recordAnswer', () => {
  it('writes an FCR answer as 1 for yes and 0 for no, the text of comment_for as its comment', async () => {
    const fcr = await survey({ template: 'fcr' });
    const id = await invitation(fcr, 'ann');
    const first = await recordAnswer(store, submission(fcr, id, { resolved: 'yes' }));
    expect(first).toMatchObject({ status: 'recorded', completed: false, next_question: 'anything_else' });
    if (first.status !== 'recorded') return;
    expect(await responses(first.answer_id)).toEqual([
      expect.objectContaining({
        metric: 'fcr',
        score: 1,
        scale: null,
        account_id: 'acct-1',
        respondent_id: 'ann',
      }),
    ]);
    // Changing the answer before completing updates the row, and keeps when it was first submitted.
    await recordAnswer(store, submission(fcr, id, { resolved: 'no', anything_else: 'Call me' }));
    const [row] = await responses(first.answer_id);
    expect(row).toMatchObject({ score: 0, comment: 'Call me', submitted_at: NOW });
  });

  it('stores the scale of a CES answer (the question’s, 5 here)', async () => {
    const ces = await survey({ template: 'ces', ces_scale: 5 });
    const outcome = await recordAnswer(store, submission(ces, await invitation(ces, 'ann'), { score: '5' }));
    if (outcome.status !== 'recorded') throw new Error(outcome.status);
    expect(await responses(outcome.answer_id)).toEqual([
      expect.objectContaining({ metric: 'ces', score: 5, scale: 5 }),
    ]);
  });

  it('refuses unknown question ids and bad values, naming each question, and stores nothing', async () => {
    const nps = await survey({ template: 'nps' });
    const id = await invitation(nps, 'ann');
    const outcome = await recordAnswer(store, submission(nps, id, { score: '11', colour: 'blue' }));
    expect(outcome).toEqual({
      status: 'invalid',
      errors: [
        { question_id: 'score', message: 'the answer is a whole number from 0 to 10' },
        { question_id: 'colour', message: 'not a question of this survey' },
      ],
    });
    expect(await store.query('SELECT * FROM survey_answers WHERE invitation_id = $1', [id])).toHaveLength(0);
  });

  it('completes on request: skipped optional questions are kept as blank, a missing required one is an error', async () => {
    const nps = await survey({ template: 'nps' });
    const id = await invitation(nps, 'bob');
    expect(await recordAnswer(store, submission(nps, id, { reason: 'Great' }, true))).toEqual({
      status: 'invalid',
      errors: [{ question_id: 'score', message: 'an answer is required' }],
    });
    const done = await recordAnswer(store, submission(nps, id, { score: 3 }, true));
    expect(done).toMatchObject({ status: 'recorded', completed: true, next_question: null });
    const [answer] = await store.query(
      'SELECT answers, completed_at FROM survey_answers WHERE invitation_id = $1',
      [id],
    );
    expect(JSON.parse(String(answer!.answers))).toEqual({ score: 3, reason: null });
    expect(answer!.completed_at).toEqual(NOW);
    expect(await recordAnswer(store, submission(nps, id, { score: 10 }))).toEqual({
      status: 'already_answered',
    });
  });

  it('opens a follow-up for a detractor (NPS ≤ 6) of a customer survey', async () => {
    const nps = await survey({ template: 'nps' });
    const outcome = await recordAnswer(store, submission(nps, await invitation(nps, 'bob'), { score: 2 }));
    if (outcome.status !== 'recorded') throw new Error(outcome.status);
    const followUps = await store.query(
      'SELECT reason, score, account_id, contact_id FROM followups WHERE answer_id = $1',
      [outcome.answer_id],
    );
    expect(followUps).toEqual([{ reason: 'detractor', score: 2, account_id: 'acct-2', contact_id: 'bob' }]);
  });

  it('drops the response of an optional metric question answered and then left blank', async () => {
    const questions: Question[] = [
      { id: 'csat', type: 'csat', metric: 'csat', required: false, text: { en: 'How satisfied?' } },
      { id: 'more', type: 'text', required: false, text: { en: 'More?' } },
    ];
    const custom = await survey({ template: 'custom', questions });
    const id = await invitation(custom, 'ann');
    const first = await recordAnswer(store, submission(custom, id, { csat: '4' }));
    if (first.status !== 'recorded') throw new Error(first.status);
    expect(await responses(first.answer_id)).toHaveLength(1);
    await recordAnswer(store, submission(custom, id, { csat: '' }));
    expect(await responses(first.answer_id)).toHaveLength(0);
  });

  it('refuses an invitation of another survey', async () => {
    const one = await survey({ template: 'nps' });
    const other = await survey({ template: 'nps' });
    await expect(
      recordAnswer(store, submission(other, await invitation(one, 'ann'), { score: 9 })),
    ).rejects.toThrow(/no such invitation/);
  });
});

describe('helpers', () => {
  it('nextQuestion is the first question neither answered nor skipped', async () => {
    const fcr = await survey({ template: 'fcr' });
    expect(nextQuestion(fcr, {})?.id).toBe('resolved');
    expect(nextQuestion(fcr, { resolved: true, anything_else: null })?.id).toBe('contacted_before');
    expect(nextQuestion(fcr, { resolved: true, anything_else: null, contacted_before: null })).toBeNull();
  });

  it('touchesResponses is true for metric questions and the texts that comment them only', async () => {
    const fcr = await survey({ template: 'fcr' });
    expect(touchesResponses(fcr, { resolved: 'yes' })).toBe(true);
    expect(touchesResponses(fcr, { anything_else: 'x' })).toBe(true);
    expect(touchesResponses(fcr, { contacted_before: 'no' })).toBe(false);
  });

  it('linkFingerprint is stable within a UTC day and changes with the day and with the browser', () => {
    const morning = new Date('2026-03-10T01:00:00Z');
    const evening = new Date('2026-03-10T23:00:00Z');
    const print = linkFingerprint('198.51.100.7', 'UA/1', 'it', morning);
    expect(linkFingerprint('198.51.100.7', 'UA/1', 'it', evening)).toBe(print);
    expect(linkFingerprint('198.51.100.7', 'UA/2', 'it', evening)).not.toBe(print);
    expect(linkFingerprint('198.51.100.7', 'UA/1', 'it', new Date('2026-03-11T01:00:00Z'))).not.toBe(print);
  });
});
