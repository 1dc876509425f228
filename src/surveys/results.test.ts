// Survey results on small stores; every expected number is worked out by hand in the comments beside it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDbStore } from '../store/duckdb-store.js';
import { type Store, sqlTimestamp } from '../store/store.js';
import type { Withheld } from './employee-disclosure.js';
import type { Question } from './questions.js';
import { type ResultsBlock, surveyResults } from './results.js';
import type { Survey } from './survey.js';
import { createSurvey } from './survey-store.js';

const at = (text: string) => new Date(text.length === 10 ? `${text}T00:00:00Z` : text);

function survey(id: string, anonymous: boolean, questions: Question[]): Survey {
  return {
    survey_id: id,
    public_id: `pub_${id}`,
    name: `Survey ${id}`,
    template: anonymous ? 'enps' : 'custom',
    audience: anonymous ? 'employees' : 'customers',
    anonymous,
    default_locale: 'en',
    questions,
    channels: ['link'],
    audience_filter: {},
    schedule: null,
    reminders: { count: 0, after_days: [] },
    status: 'active',
    created_at: '2025-01-01T00:00:00.000Z',
    created_by: null,
    updated_at: '2025-01-01T00:00:00.000Z',
  };
}

const text = (en: string) => ({ en });
const q = (id: string, type: Question['type'], extra: Partial<Question> = {}): Question => ({
  id,
  type,
  text: text(id),
  required: false,
  ...extra,
});

interface AnswerRow {
  id: string;
  started: string;
  completed: string | null;
  values: Record<string, unknown>;
  team?: string;
  locale?: string;
}

/** Stores an answer as the recording code does: the answer, and a `responses` row per KPI question answered. */
async function answer(store: Store, s: Survey, a: AnswerRow): Promise<void> {
  await store.run(
    `INSERT INTO survey_answers (answer_id, survey_id, channel, team, locale, started_at, updated_at, completed_at,
       answers) VALUES ($1, $2, 'link', $3, $4, ${sqlTimestamp(at(a.started))}, ${sqlTimestamp(at(a.started))},
       ${a.completed ? sqlTimestamp(at(a.completed)) : 'NULL'}, $5)`,
    [a.id, s.survey_id, a.team ?? null, a.locale ?? 'en', JSON.stringify(a.values)],
  );
  for (const question of s.questions) {
    const value = a.values[question.id];
    if (!question.metric || value === undefined) continue;
    const explained = s.questions.find((other) => other.comment_for === question.id);
    const comment = explained ? (a.values[explained.id] ?? null) : null;
    await store.run(
      `INSERT INTO responses (response_id, submitted_at, metric, score, scale, comment, locale, team)
       VALUES ($1, ${sqlTimestamp(at(a.started))}, $2, $3, $4, $5, $6, $7)`,
      [
        `${a.id}.${question.id}`,
        question.metric,
        Number(value),
        question.type === 'ces' ? (question.scale ?? 7) : null,
        comment,
        a.locale ?? 'en',
        a.team ?? null,
      ],
    );
  }
}

const shown = <T>(value: T | Withheld): T => {
  if (typeof value === 'object' && value !== null && 'suppressed' in value) throw new Error(value.reason);
  return value as T;
};

describe('surveyResults, a customer survey', () => {
  // Every question type. March 2025: 20 invitations sent, 15 opened; 12 answers started, 10 completed.
  const custom = survey('cust', false, [
    q('score', 'nps', { metric: 'nps' }),
    q('reason', 'text', { comment_for: 'score' }),
    q('sat', 'csat', { metric: 'csat' }),
    q('effort', 'ces', { metric: 'ces', scale: 5 }),
    q('resolved', 'yes_no', { metric: 'fcr' }),
    q('plan', 'single_choice', { choices: ['a', 'b', 'c'].map((id) => ({ id, text: text(id) })) }),
    q('features', 'multiple_choice', { choices: ['x', 'y', 'z'].map((id) => ({ id, text: text(id) })) }),
    q('ui', 'rating', { max: 5 }),
  ]);
  // nps 10 10 9 9 9 8 7 6 3 0; csat 5 5 4 4 4 3 2 1 (8); ces on 1–5: 1 1 2 3 5 (5); fcr 7 yes, 3 no;
  // plan a a a a b b b; features [x,y]×3 [y]×2 [z]; ui 4 4 5 3; reasons on 4 answers.
  const nps = [10, 10, 9, 9, 9, 8, 7, 6, 3, 0];
  const sat = [5, 5, 4, 4, 4, 3, 2, 1];
  const effort = [1, 1, 2, 3, 5];
  const plan = ['a', 'a', 'a', 'a', 'b', 'b', 'b'];
  const features = [['x', 'y'], ['x', 'y'], ['x', 'y'], ['y'], ['y'], ['z']];
  const ui = [4, 4, 5, 3];
  const reasons: Record<number, string> = { 0: 'Great support', 3: 'Fine', 8: 'Too slow', 9: 'Broken again' };
  let store: Store;

  beforeAll(async () => {
    store = await openDuckDbStore(':memory:');
    await createSurvey(store, custom);
    for (let i = 0; i < 20; i++) {
      await store.run(
        `INSERT INTO survey_invitations (invitation_id, survey_id, contact_id, channel, created_at, sent_at, opened_at)
         VALUES ($1, 'cust', $2, 'email', ${sqlTimestamp(at('2025-03-01'))}, ${sqlTimestamp(at('2025-03-01T09:00:00Z'))},
         ${i < 15 ? sqlTimestamp(at('2025-03-02')) : 'NULL'})`,
        [`inv${i}`, `c${i}`],
      );
    }
    for (let i = 0; i < 10; i++) {
      const values: Record<string, unknown> = { score: nps[i], resolved: i < 7 };
      if (i < sat.length) values.sat = sat[i];
      if (i < effort.length) values.effort = effort[i];
      if (i < plan.length) values.plan = plan[i];
      if (i < features.length) values.features = features[i];
      if (i < ui.length) values.ui = ui[i];
      if (reasons[i]) values.reason = reasons[i];
      const day = `2025-03-${String(10 + i).padStart(2, '0')}T12:00:00Z`;
      await answer(store, custom, {
        id: `a${i}`,
        started: day,
        completed: day,
        values,
        locale: i === 9 ? 'it' : 'en',
      });
    }
    await answer(store, custom, { id: 'p1', started: '2025-03-20', completed: null, values: {} });
    await answer(store, custom, { id: 'p2', started: '2025-03-21', completed: null, values: {} });
  });
  afterAll(() => store.close());

  it('counts invitations and answers, and the response rate', async () => {
    const r = await surveyResults(store, custom, { now: at('2025-06-01'), minimumGroup: 5 });
    expect(r).toMatchObject({
      from: null,
      to: null,
      period: null,
      sent: 20,
      opened: 15,
      started: 12,
      answered: 10,
    });
    // 10 completed of 20 sent.
    expect(r.response_rate).toBe(50);
    expect(r.periods).toEqual([]);
  });

  it('gives each KPI with its interval, the first as the survey KPI', async () => {
    const r = await surveyResults(store, custom, { now: at('2025-06-01'), minimumGroup: 5 });
    const kpis = shown(r.kpis);
    expect(kpis.map((k) => k.id)).toEqual(['nps', 'csat', 'csat_mean', 'ces', 'fcr_perceived']);
    expect(r.kpi).toEqual(kpis[0]);
    const byId = Object.fromEntries(kpis.map((k) => [k.id, k]));
    // NPS: promoters 10 10 9 9 9 = 5, detractors 6 3 0 = 3 of 10 → 20 (interval worked out above).
    expect(byId.nps).toMatchObject({ metric: 'nps', question_id: 'score', value: 20, answers: 10 });
    expect(byId.nps!.ci_low).toBeCloseTo(-34.032478, 5);
    // CSAT 5 of 8 are 4–5 → 62.5 %; Wilson: centre (0.625 + 0.240091) / 1.480182 = 0.584451,
    // half 1.959964 × √(0.029297 + 0.015006) / 1.480182 = 0.278708 → 30.574 … 86.316.
    expect(byId.csat).toMatchObject({ value: 62.5, answers: 8 });
    expect(byId.csat!.ci_low).toBeCloseTo(30.574239, 5);
    expect(byId.csat!.ci_high).toBeCloseTo(86.315571, 5);
    // CSAT mean 28 / 8 = 3.5; s² = (2 × 2.25 + 3 × 0.25 + 0.25 + 2.25 + 6.25) / 7 = 2; s/√8 = 0.5;
    // t(0.975, 7) = 2.364624 → 3.5 ± 1.182312.
    expect(byId.csat_mean!.value).toBe(3.5);
    expect(byId.csat_mean!.ci_low).toBeCloseTo(2.317688, 5);
    expect(byId.csat_mean!.ci_high).toBeCloseTo(4.682312, 5);
    // CES 1 1 2 3 5 on 1–5 is 1 1 2.5 4 7 on 1–7: mean 15.5 / 5 = 3.1; s² = (2 × 4.41 + 0.36 + 0.81 + 15.21) / 4
    // = 6.3, s/√5 = 1.122497; t(0.975, 4) = 2.776445 → 3.1 ± 3.116552, clamped to the scale's 1 below.
    expect(byId.ces!.value).toBeCloseTo(3.1, 9);
    expect(byId.ces!.ci_low).toBe(1);
    expect(byId.ces!.ci_high).toBeCloseTo(6.216552, 5);
    // FCR 7 yes of 10 → 70 %, Wilson 39.678 … 89.221.
    expect(byId.fcr_perceived).toMatchObject({ metric: 'fcr', value: 70, answers: 10 });
    expect(byId.fcr_perceived!.ci_low).toBeCloseTo(39.677815, 5);
  });

  it('gives the score distribution and each question’s answers', async () => {
    const r = await surveyResults(store, custom, { now: at('2025-06-01'), minimumGroup: 5 });
    expect(shown(r.distribution).map((d) => d.count)).toEqual([1, 0, 0, 1, 0, 0, 1, 1, 1, 3, 2]);
    const questions = Object.fromEntries(r.questions.map((x) => [x.question_id, x]));
    const counts = (id: string) =>
      Object.fromEntries(shown(questions[id]!.counts!).map((c) => [c.value, c.count]));
    // nps mean: 71 / 10 = 7.1.
    expect(questions.score).toMatchObject({ answered: 10, mean: 7.1 });
    expect(questions.reason).toEqual({ question_id: 'reason', type: 'text', answered: 4 });
    // ces mean on its own 1–5 scale: 12 / 5 = 2.4.
    expect(questions.effort).toMatchObject({ answered: 5, mean: 2.4 });
    expect(counts('effort')).toEqual({ 1: 2, 2: 1, 3: 1, 4: 0, 5: 1 });
    expect(counts('resolved')).toEqual({ true: 7, false: 3 });
    expect(questions.resolved!.mean).toBeUndefined();
    expect(counts('plan')).toEqual({ a: 4, b: 3, c: 0 });
    expect(questions.plan!.answered).toBe(7);
    // 6 answers picked x 3 times, y 5 times, z once.
    expect(counts('features')).toEqual({ x: 3, y: 5, z: 1 });
    expect(questions.features!.answered).toBe(6);
    // ui 4 4 5 3: mean 4.
    expect(questions.ui).toMatchObject({ answered: 4, mean: 4 });
    expect(counts('ui')).toEqual({ 1: 0, 2: 0, 3: 1, 4: 2, 5: 1 });
  });

  it('lists comments newest first, with the score they explain and their language', async () => {
    const r = await surveyResults(store, custom, { now: at('2025-06-01'), minimumGroup: 5 });
    expect(shown(r.comments)).toEqual([
      {
        answer_id: 'a9',
        question_id: 'reason',
        text: 'Broken again',
        score: 0,
        locale: 'it',
        submitted_at: '2025-03-19T12:00:00.000Z',
      },
      expect.objectContaining({ text: 'Too slow', score: 3, locale: 'en' }),
      expect.objectContaining({ text: 'Fine', score: 9 }),
      expect.objectContaining({ text: 'Great support', score: 10 }),
    ]);
  });

  it('splits by calendar period; the periods add up to the range', async () => {
    const r = await surveyResults(store, custom, {
      from: at('2025-02-01'),
      to: at('2025-05-01'),
      period: 'month',
      now: at('2025-06-01'),
      minimumGroup: 5,
    });
    expect(r.periods.map((p) => [p.start.slice(0, 7), p.answered])).toEqual([
      ['2025-02', 0],
      ['2025-03', 10],
      ['2025-04', 0],
    ]);
    const march = r.periods[1]!;
    const { start: _s, end: _e, team: _t, ...block } = march;
    const top: ResultsBlock = {
      sent: r.sent,
      opened: r.opened,
      started: r.started,
      answered: r.answered,
      response_rate: r.response_rate,
      kpi: r.kpi,
      kpis: r.kpis,
      distribution: r.distribution,
      questions: r.questions,
      comments: r.comments,
    };
    expect(block).toEqual(top);
    expect(r.periods[0]).toMatchObject({
      answered: 0,
      response_rate: null,
      kpi: expect.objectContaining({ value: null }),
    });
  });
});

describe('surveyResults, an anonymous employee survey', () => {
  const enps = survey('emp', true, [
    q('score', 'nps', { metric: 'enps', required: true }),
    q('reason', 'text', { comment_for: 'score' }),
  ]);
  // January 2025: team a 10 10 3, team b 9 9 9 8 7 6, team c 10 9 8 7 6 0; February: b and c as in January.
  // Every answer comments "<team><i>".
  const scores: Record<string, number[]> = { a: [10, 10, 3], b: [9, 9, 9, 8, 7, 6], c: [10, 9, 8, 7, 6, 0] };
  let store: Store;

  beforeAll(async () => {
    store = await openDuckDbStore(':memory:');
    await createSurvey(store, enps);
    for (const month of ['01', '02']) {
      for (const [team, list] of Object.entries(scores)) {
        if (month === '02' && team === 'a') continue;
        for (const [i, score] of list.entries()) {
          const day = `2025-${month}-1${i}`;
          const values = { score, reason: `${team}${month}-${i}` };
          await answer(store, enps, {
            id: `${team}${month}${i}`,
            started: day,
            completed: day,
            values,
            team,
          });
        }
      }
    }
  });
  afterAll(() => store.close());

  const results = (options: { from?: string; to?: string; period?: 'month' | 'quarter' | 'year' } = {}) =>
    surveyResults(store, enps, {
      ...(options.from ? { from: at(options.from) } : {}),
      ...(options.to ? { to: at(options.to) } : {}),
      ...(options.period ? { period: options.period } : {}),
      byTeam: true,
      now: at('2025-03-15'),
      minimumGroup: 5,
    });
  const cell = (r: Awaited<ReturnType<typeof results>>, month: string, team: string | null) =>
    r.periods.find((p) => p.start.startsWith(month) && p.team === team)!;

  it('shows whole months that ended, per team where the lattice allows, and says why elsewhere', async () => {
    const r = await results();
    // From the survey's month to the end of the current one: January, February, March.
    expect(r.periods.map((p) => `${p.start.slice(0, 7)} ${p.team}`)).toEqual([
      '2025-01 null',
      '2025-01 a',
      '2025-01 b',
      '2025-01 c',
      '2025-02 null',
      '2025-02 a',
      '2025-02 b',
      '2025-02 c',
      '2025-03 null',
      '2025-03 a',
      '2025-03 b',
      '2025-03 c',
    ]);
    // January company: 15 answers; promoters 2 + 3 + 2 = 7, detractors 1 + 1 + 2 = 4 → eNPS (7 − 4) / 15 = 20;
    // se √((11/15 − 0.04) / 15) = 0.214994 → 20 ± 42.138.
    const january = cell(r, '2025-01', null);
    expect(january.answered).toBe(15);
    expect(january.kpi).toMatchObject({ metric: 'enps', value: 20, answers: 15 });
    expect(shown(january.kpi!).ci_high).toBeCloseTo(62.13796, 4);
    // Team a has 3 answers; b is the smallest other team: hidden too, so January − c − b cannot give a.
    expect(cell(r, '2025-01', 'a').answered).toMatchObject({ suppressed: true, code: 'small_group' });
    expect(cell(r, '2025-01', 'b').answered).toMatchObject({ suppressed: true, code: 'complementary' });
    // Team c: 10 9 8 7 6 0 → 2 promoters, 2 detractors → 0 ± 65.33.
    expect(cell(r, '2025-01', 'c').kpi).toMatchObject({ value: 0, answers: 6 });
    expect(cell(r, '2025-02', 'a')).toMatchObject({ answered: 0, comments: [] });
    expect(cell(r, '2025-02', null).answered).toBe(12);
    expect(cell(r, '2025-03', null).answered).toMatchObject({ suppressed: true, code: 'period_not_ended' });
    // Several periods: no total over them (a sum of cells readers could subtract).
    expect(r.answered).toMatchObject({ suppressed: true, code: 'whole_periods_only' });
    expect(r.kpi).toMatchObject({ suppressed: true });
  });

  it('lists comments only of shown cells with at least 5 answers, without answer ids or times', async () => {
    const r = await results();
    const texts = (month: string, team: string | null) =>
      shown(cell(r, month, team).comments).map((c) => c.text);
    expect(texts('2025-01', 'c').sort()).toEqual(['c01-0', 'c01-1', 'c01-2', 'c01-3', 'c01-4', 'c01-5']);
    expect(texts('2025-01', null)).toHaveLength(15);
    expect(cell(r, '2025-01', 'a').comments).toMatchObject({ suppressed: true });
    expect(cell(r, '2025-01', 'b').comments).toMatchObject({ suppressed: true });
    for (const c of shown(cell(r, '2025-01', null).comments)) {
      expect(c).not.toHaveProperty('answer_id');
      expect(c.submitted_at).toBeNull();
    }
    expect(JSON.stringify(r)).not.toMatch(/"a01\d"|"b01\d"/);
  });

  it('gives the top level when the range is one whole period', async () => {
    const r = await results({ from: '2025-02-01', to: '2025-03-01' });
    expect(r.answered).toBe(12);
    expect(r.kpi).toMatchObject({ metric: 'enps', answers: 12 });
    const quarter = await results({ period: 'quarter' });
    expect(quarter.periods[0]!.answered).toMatchObject({ code: 'period_not_ended' });
  });
});
