// GET /api/v1/surveys/:id/results in process: bad input named field by field, a customer survey's numbers (worked
// out by hand below), an employee survey withheld where the lattice says so, and other workspaces kept out.
//
// Customer survey "nps" (score 0–10 feeding nps, reason explaining it), April 2025: 4 invitations sent, 3 opened;
// answers 10, 9, 6 and 3 completed (one saying "slow"), one started and left. NPS: 2 promoters, 2 detractors of
// 4 → 0; response rate 4 / 4 = 100 %.
// Employee survey "pulse" (eNPS), May 2025: team eng 6 answers, team ops 2.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../src/server/app.js';
import { WorkspaceHub } from '../src/server/hub.js';
import { type Store, sqlTimestamp } from '../src/store/store.js';
import type { Survey } from '../src/surveys/survey.js';
import { createSurvey } from '../src/surveys/survey-store.js';

let hub: WorkspaceHub;
let app: FastifyInstance;
let acme: Record<string, string>;
let other: Record<string, string>;

const base = {
  default_locale: 'en' as const,
  channels: ['link' as const],
  audience_filter: {},
  schedule: null,
  reminders: { count: 0, after_days: [] },
  status: 'active' as const,
  created_at: '2025-04-01T00:00:00.000Z',
  created_by: null,
  updated_at: '2025-04-01T00:00:00.000Z',
};
const questions = (metric: 'nps' | 'enps') => [
  { id: 'score', type: 'nps' as const, text: { en: 'Score?' }, required: true, metric },
  { id: 'reason', type: 'text' as const, text: { en: 'Why?' }, required: false, comment_for: 'score' },
];
const customers: Survey = {
  ...base,
  survey_id: 'srv_nps',
  public_id: 'pub_nps',
  name: 'NPS',
  template: 'nps',
  audience: 'customers',
  anonymous: false,
  questions: questions('nps'),
};
const employees: Survey = {
  ...customers,
  survey_id: 'srv_pulse',
  public_id: 'pub_pulse',
  name: 'Pulse',
  template: 'enps',
  audience: 'employees',
  anonymous: true,
  questions: questions('enps'),
};

async function answer(
  store: Store,
  survey: Survey,
  id: string,
  day: string,
  score: number | null,
  team?: string,
) {
  const values = score === null ? {} : { score, ...(id === 'c4' ? { reason: 'slow' } : {}) };
  const at = sqlTimestamp(new Date(`${day}T00:00:00Z`));
  await store.run(
    `INSERT INTO survey_answers (answer_id, survey_id, channel, team, locale, started_at, updated_at, completed_at,
       answers) VALUES ($1, $2, 'link', $3, 'en', ${at}, ${at}, ${score === null ? 'NULL' : at}, $4)`,
    [id, survey.survey_id, team ?? null, JSON.stringify(values)],
  );
  if (score === null) return;
  await store.run(
    `INSERT INTO responses (response_id, submitted_at, metric, score, locale, team, comment)
     VALUES ($1, ${at}, $2, $3, 'en', $4, $5)`,
    [`${id}.score`, survey.questions[0]!.metric!, score, team ?? null, id === 'c4' ? 'slow' : null],
  );
}

beforeAll(async () => {
  hub = await WorkspaceHub.open(':memory:');
  app = await buildApp({ hub });
  const workspace = await hub.tenancy.createWorkspace('acme');
  await hub.tenancy.createWorkspace('other');
  acme = { authorization: `Bearer ${(await hub.tenancy.createKey('acme', ['read'])).token}` };
  other = { authorization: `Bearer ${(await hub.tenancy.createKey('other', ['read'])).token}` };
  const runtime = await hub.runtime(workspace);
  await runtime.queue.submitJob(async (store) => {
    await createSurvey(store, customers);
    await createSurvey(store, employees);
    for (let i = 0; i < 4; i++) {
      await store.run(
        `INSERT INTO survey_invitations (invitation_id, survey_id, contact_id, channel, created_at, sent_at, opened_at)
         VALUES ($1, 'srv_nps', $2, 'email', ${sqlTimestamp(new Date('2025-04-02'))},
           ${sqlTimestamp(new Date('2025-04-02'))}, ${i < 3 ? sqlTimestamp(new Date('2025-04-03')) : 'NULL'})`,
        [`inv${i}`, `contact${i}`],
      );
    }
    for (const [i, score] of [10, 9, 6, 3].entries())
      await answer(store, customers, `c${i + 1}`, '2025-04-10', score);
    await answer(store, customers, 'c5', '2025-04-11', null);
    for (let i = 0; i < 6; i++) await answer(store, employees, `e${i}`, '2025-05-05', 9, 'eng');
    for (let i = 0; i < 2; i++) await answer(store, employees, `o${i}`, '2025-05-05', 2, 'ops');
  });
});

afterAll(async () => {
  await app.close();
  await hub.close();
});

const get = (url: string, headers = acme) => app.inject({ method: 'GET', url, headers });

async function problem(url: string, status = 400) {
  const response = await get(url);
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toContain('application/problem+json');
  return JSON.parse(response.body) as { code: string; errors?: { path: string; rule: string }[] };
}

describe('GET /api/v1/surveys/:id/results', () => {
  test('a customer survey: counts, response rate, NPS with its interval, distribution, comments', async () => {
    const response = await get('/api/v1/surveys/srv_nps/results');
    expect(response.statusCode, response.body).toBe(200);
    const r = JSON.parse(response.body);
    expect(r).toMatchObject({
      survey_id: 'srv_nps',
      anonymous: false,
      from: null,
      to: null,
      sent: 4,
      opened: 3,
      started: 5,
      answered: 4,
      response_rate: 100,
      minimum_group: null,
      periods: [],
    });
    // 10 9 6 3: mean of +1 +1 −1 −1 = 0; variance 1 − 0 = 1; se √(1/4) = 0.5 → 0 ± 98.0, within ±100.
    expect(r.kpi).toMatchObject({ metric: 'nps', id: 'nps', value: 0, answers: 4 });
    expect(r.kpi.ci_low).toBeCloseTo(-97.998199, 5);
    expect(r.kpi.ci_high).toBeCloseTo(97.998199, 5);
    expect(r.distribution.filter((d: { count: number }) => d.count > 0)).toEqual([
      { score: 3, count: 1 },
      { score: 6, count: 1 },
      { score: 9, count: 1 },
      { score: 10, count: 1 },
    ]);
    expect(r.comments).toEqual([
      {
        answer_id: 'c4',
        question_id: 'reason',
        text: 'slow',
        score: 3,
        locale: 'en',
        submitted_at: '2025-04-10T00:00:00.000Z',
      },
    ]);
  });

  test('by period: April holds everything, March and May nothing', async () => {
    const r = (
      await get('/api/v1/surveys/srv_nps/results?from=2025-03-01&to=2025-06-01&period=month')
    ).json();
    expect(
      r.periods.map((p: { start: string; answered: number }) => [p.start.slice(0, 7), p.answered]),
    ).toEqual([
      ['2025-03', 0],
      ['2025-04', 4],
      ['2025-05', 0],
    ]);
  });

  test('an employee survey: a team of 2 and its complement withheld with the reason; no per-person data', async () => {
    const response = await get('/api/v1/surveys/srv_pulse/results?from=2025-05-01&to=2025-06-01&team=true');
    expect(response.statusCode, response.body).toBe(200);
    const r = JSON.parse(response.body);
    // One whole month: the top level is May of the company, 8 answers: 6 promoters, 2 detractors → 50.
    expect(r).toMatchObject({ anonymous: true, period: 'month', minimum_group: 5, answered: 8 });
    expect(r.kpi).toMatchObject({ metric: 'enps', value: 50, answers: 8 });
    const team = (name: string) => r.periods.find((p: { team: string | null }) => p.team === name);
    expect(team('ops').answered).toEqual({
      suppressed: true,
      code: 'small_group',
      reason: 'fewer than 5 answers in this group',
    });
    // eng alone would give ops back (8 − 6): withheld too.
    expect(team('eng').kpi).toMatchObject({ suppressed: true, code: 'complementary' });
    expect(team('eng').comments).toMatchObject({ suppressed: true });
    expect(response.body).not.toMatch(/"e\d"|"o\d"/);
  });

  test('bad input is a 400 naming the parameter', async () => {
    expect((await problem('/api/v1/surveys/srv_nps/results?from=yesterday')).errors).toEqual([
      expect.objectContaining({ path: 'query.from', rule: 'instant' }),
    ]);
    expect((await problem('/api/v1/surveys/srv_nps/results?from=2025-05-01&to=2025-04-01')).errors).toEqual([
      expect.objectContaining({ path: 'query.to', rule: 'empty_range' }),
    ]);
    expect((await problem('/api/v1/surveys/srv_nps/results?team=true')).errors).toEqual([
      expect.objectContaining({ path: 'query.team', rule: 'employee_surveys_only' }),
    ]);
    expect((await problem('/api/v1/surveys/srv_nps/results?period=week')).errors?.[0]?.path).toBe(
      'query.period',
    );
    expect((await problem('/api/v1/surveys/srv_nps/results?segment=x')).code).toBeDefined();
  });

  test('an unknown survey, or one of another workspace, is a 404', async () => {
    expect((await problem('/api/v1/surveys/srv_none/results', 404)).code).toBe('unknown_survey');
    const response = await get('/api/v1/surveys/srv_nps/results', other);
    expect(response.statusCode).toBe(404);
    expect(response.body).not.toContain('slow');
  });
});
