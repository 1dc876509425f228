// Surveys through the API: templates in four languages, creating surveys from each template, the checks that
// refuse unsound surveys (naming the field), status changes, and the contacts a survey is sent to.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../src/server/app.js';
import { WorkspaceHub } from '../src/server/hub.js';
import { SURVEY_LOCALES } from '../src/surveys/questions.js';
import { TEMPLATES } from '../src/surveys/survey.js';

let hub: WorkspaceHub;
let app: FastifyInstance;
let acme: Record<string, string>;
let other: Record<string, string>;

beforeAll(async () => {
  hub = await WorkspaceHub.open(':memory:');
  app = await buildApp({ hub });
  await hub.tenancy.createWorkspace('acme');
  await hub.tenancy.createWorkspace('other');
  acme = { authorization: `Bearer ${(await hub.tenancy.createKey('acme', ['ingest', 'read'])).token}` };
  other = { authorization: `Bearer ${(await hub.tenancy.createKey('other', ['ingest', 'read'])).token}` };
});
afterAll(async () => {
  await app.close();
  await hub.close();
});

const send = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, headers = acme) =>
  app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) });

const errorPaths = (body: string) => (JSON.parse(body).errors as { path: string }[]).map((e) => e.path);

describe('templates', () => {
  test('every template is listed, and every question and scale label is written in en, it, fr and ms', async () => {
    const response = await send('GET', '/api/v1/surveys/templates');
    expect(response.statusCode).toBe(200);
    const { templates } = response.json() as {
      templates: {
        template: string;
        questions: { text: Record<string, string>; low_label?: Record<string, string> }[];
      }[];
    };
    expect(templates.map((t) => t.template)).toEqual([...TEMPLATES]);
    for (const t of templates) {
      for (const q of t.questions) {
        for (const locale of SURVEY_LOCALES) {
          expect(q.text[locale], `${t.template} ${locale}`).toBeTruthy();
          if (q.low_label) expect(q.low_label[locale]).toBeTruthy();
        }
      }
    }
  });

  test('CES is worded so that 1 = very easy, on the scale asked for', async () => {
    const five = (await send('GET', '/api/v1/surveys/templates?ces_scale=5')).json() as {
      templates: { template: string; questions: { scale?: number; low_label?: { en: string } }[] }[];
    };
    const ces = five.templates.find((t) => t.template === 'ces')!.questions[0]!;
    expect(ces.scale).toBe(5);
    expect(ces.low_label?.en).toBe('Very easy');
  });
});

describe('creating surveys', () => {
  test.each([
    ['nps', 'customers', false, ['score', 'reason']],
    ['csat', 'customers', false, ['score', 'reason']],
    ['ces', 'customers', false, ['score', 'reason']],
    ['fcr', 'customers', false, ['resolved', 'anything_else', 'contacted_before']],
    ['enps', 'employees', true, ['score', 'reason']],
  ])(
    'the %s template gives a %s survey (anonymous: %s) with its questions',
    async (template, audience, anonymous, ids) => {
      const response = await send('POST', '/api/v1/surveys', { name: `${template} survey`, template });
      expect(response.statusCode, response.body).toBe(201);
      const created = response.json();
      expect(created).toMatchObject({ template, audience, anonymous, status: 'draft', channels: ['link'] });
      expect(created.questions.map((q: { id: string }) => q.id)).toEqual(ids);
      const read = await send('GET', `/api/v1/surveys/${created.survey_id}`);
      expect(read.json()).toEqual(created);
    },
  );

  test('a pulse survey takes its own questions (1 to 10), a choice question with its choices', async () => {
    const questions = [
      {
        id: 'mood',
        type: 'rating',
        max: 5,
        required: true,
        text: { en: 'How was your week?', it: 'Com’è andata la settimana?' },
      },
      {
        id: 'topics',
        type: 'multiple_choice',
        text: { en: 'What helped?' },
        choices: [
          { id: 'team', text: { en: 'My team' } },
          { id: 'tools', text: { en: 'Our tools' } },
        ],
      },
      { id: 'enps', type: 'nps', metric: 'enps', text: { en: 'Would you recommend working here?' } },
    ];
    const response = await send('POST', '/api/v1/surveys', {
      name: 'Weekly pulse',
      template: 'pulse',
      questions,
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({ audience: 'employees', anonymous: true });
  });

  test.each([
    ['a pulse without questions', { template: 'pulse' }, '$.questions'],
    [
      'eleven questions',
      {
        template: 'custom',
        questions: Array.from({ length: 11 }, (_, i) => ({
          id: `q${i}`,
          type: 'text',
          text: { en: 'Why?' },
        })),
      },
      '$.questions',
    ],
    ['an eNPS survey for customers', { template: 'enps', audience: 'customers' }, '$.audience'],
    ['the widget on an employee survey', { template: 'enps', channels: ['widget'] }, '$.channels'],
    ['a public link on an employee survey', { template: 'enps', channels: ['anonymous_link'] }, '$.channels'],
    [
      'an unknown time zone',
      {
        template: 'nps',
        schedule: { frequency: 'monthly', time_zone: 'Mars/Olympus', starts_at: '2026-01-01T00:00:00Z' },
      },
      '$.schedule',
    ],
    [
      'a csat question feeding nps',
      { template: 'custom', questions: [{ id: 'x', type: 'csat', metric: 'nps', text: { en: 'Happy?' } }] },
      '$.questions[0]',
    ],
    [
      'a comment for a later question',
      {
        template: 'custom',
        questions: [
          { id: 'why', type: 'text', comment_for: 'score', text: { en: 'Why?' } },
          { id: 'score', type: 'nps', metric: 'nps', text: { en: 'Recommend?' } },
        ],
      },
      '$.questions[0]',
    ],
  ])('%s is refused with a 422 naming the field', async (_, body, path) => {
    const response = await send('POST', '/api/v1/surveys', { name: 'bad', ...body });
    expect(response.statusCode, response.body).toBe(422);
    expect(
      errorPaths(response.body).some((p) => p.startsWith(path)),
      response.body,
    ).toBe(true);
  });

  test.each([
    ['an unknown template', { name: 'x', template: 'nope' }, '$.template'],
    ['an unknown field', { name: 'x', template: 'nps', colour: 'red' }, '$'],
    [
      'three reminders',
      { name: 'x', template: 'nps', reminders: { count: 3, after_days: [1, 2, 3] } },
      '$.reminders',
    ],
    [
      'a question type that does not exist',
      { name: 'x', template: 'custom', questions: [{ id: 'q', type: 'slider', text: { en: 'Q' } }] },
      '$.questions',
    ],
  ])('%s is a 400 naming the field', async (_, body, path) => {
    const response = await send('POST', '/api/v1/surveys', body);
    expect(response.statusCode, response.body).toBe(400);
    expect(
      errorPaths(response.body).some((p) => p.startsWith(path)),
      response.body,
    ).toBe(true);
  });
});

describe('changing surveys', () => {
  test('activate, pause, close; a closed survey cannot be reopened', async () => {
    const { survey_id } = (await send('POST', '/api/v1/surveys', { name: 'Q3 NPS', template: 'nps' })).json();
    for (const status of ['active', 'paused', 'closed']) {
      const response = await send('PATCH', `/api/v1/surveys/${survey_id}`, { status });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json().status).toBe(status);
    }
    const reopen = await send('PATCH', `/api/v1/surveys/${survey_id}`, { status: 'active' });
    expect(reopen.statusCode).toBe(422);
    expect((await send('GET', `/api/v1/surveys/${survey_id}`)).json().status).toBe('closed');
  });

  test('an unknown survey is a 404, also from another workspace', async () => {
    const { survey_id } = (await send('POST', '/api/v1/surveys', { name: 'mine', template: 'csat' })).json();
    expect((await send('GET', '/api/v1/surveys/srv_missing')).statusCode).toBe(404);
    expect((await send('GET', `/api/v1/surveys/${survey_id}`, undefined, other)).statusCode).toBe(404);
    expect(
      (await send('PATCH', `/api/v1/surveys/${survey_id}`, { status: 'active' }, other)).statusCode,
    ).toBe(404);
    const theirs = (await send('GET', '/api/v1/surveys', undefined, other)).json().surveys;
    expect(theirs).toEqual([]);
  });

  test('the list shows a new survey at once, newest first', async () => {
    const { survey_id } = (
      await send('POST', '/api/v1/surveys', { name: 'newest', template: 'ces', ces_scale: 5 })
    ).json();
    const { surveys } = (await send('GET', '/api/v1/surveys')).json();
    expect(surveys[0].survey_id).toBe(survey_id);
    expect(surveys[0].questions[0].scale).toBe(5);
  });
});

describe('contacts', () => {
  test('customers with their account and locale, and employees with their team, are stored', async () => {
    await send('POST', '/api/v1/accounts', [{ account_id: 'a1', created_at: '2026-01-01T00:00:00Z' }]);
    const response = await send('POST', '/api/v1/contacts', [
      { contact_id: 'c1', kind: 'customer', email: 'ann@acme.example', account_id: 'a1', locale: 'it' },
      { contact_id: 'e1', kind: 'employee', email: 'bob@acme.example', team: 'support', locale: 'ms' },
    ]);
    expect(response.json()).toEqual({ accepted: 2, duplicates: 0 });
  });

  test('a bad e-mail, an unknown kind and an unknown account are refused, naming each row and field', async () => {
    const response = await send('POST', '/api/v1/contacts', [
      { contact_id: 'c2', kind: 'customer', email: 'not an e-mail' },
      { contact_id: 'c3', kind: 'robot', email: 'c3@acme.example' },
      { contact_id: 'c4', kind: 'customer', email: 'c4@acme.example', account_id: 'ghost' },
    ]);
    expect(response.statusCode).toBe(422);
    expect(errorPaths(response.body).sort()).toEqual(['$[0].email', '$[1].kind', '$[2].account_id']);
  });

  test('the list filters by kind, team and text, and its CSV is spreadsheet-safe', async () => {
    await send('POST', '/api/v1/contacts', [
      { contact_id: 'c9', kind: 'customer', email: 'x9@acme.example', name: '=HYPERLINK("http://evil")' },
    ]);
    const employees = (await send('GET', '/api/v1/contacts?kind=employee')).json();
    expect(employees.items.map((c: { contact_id: string }) => c.contact_id)).toEqual(['e1']);
    expect(employees.items[0]).toMatchObject({ team: 'support', locale: 'ms', unsubscribed_at: null });
    const found = (await send('GET', '/api/v1/contacts?q=ANN%40')).json();
    expect(found.items.map((c: { contact_id: string }) => c.contact_id)).toEqual(['c1']);
    const csv = await send('GET', '/api/v1/contacts?q=x9&format=csv');
    expect(csv.body).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect((await send('GET', '/api/v1/contacts', undefined, other)).json().total).toBe(0);
    expect((await send('GET', '/api/v1/contacts?kind=robot')).statusCode).toBe(400);
  });
});
