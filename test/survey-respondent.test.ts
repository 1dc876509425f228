// The respondent pages through app.inject: partial answers kept, answers fed into responses, anonymous employee
// tokens that keep nothing joinable to the person, public-link duplicate protection and rate limit, surveys that
// take no answers, bad values, tokens kept out of logs; screenshots in Chromium when it is there.
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/server/app.js';
import { WorkspaceHub, type WorkspaceRuntime } from '../src/server/hub.js';
import { redactedUrl, registerRespondentRoutes } from '../src/server/routes/respondent.js';
import { setFatigueDays } from '../src/surveys/fatigue.js';
import { closeWave, inviteContacts, startWave, type Wave } from '../src/surveys/invitations.js';
import type { Survey } from '../src/surveys/survey.js';
import { requireSurvey } from '../src/surveys/survey-store.js';
import { browserAvailable, launchChromium } from './support/browser.js';

const SHOTS = join(process.cwd(), 'test-results');
/** Names unlike any hex digest or generated id, so a stored value containing one would be a real leak. */
const EMPLOYEES = [
  'Ada Lovelace',
  'Grace Hopper',
  'Alan Turing',
  'Edsger Dijkstra',
  'Barbara Liskov',
  'Donald Knuth',
];
const EMPLOYEE_IDS = EMPLOYEES.map((name) => `emp-${name.toLowerCase().replace(' ', '-')}`);
let hub: WorkspaceHub;
let app: FastifyInstance;
let runtime: WorkspaceRuntime;
let auth: Record<string, string>;

beforeAll(async () => {
  hub = await WorkspaceHub.open(':memory:');
  app = await buildApp({ hub });
  const workspace = await hub.tenancy.createWorkspace('acme');
  runtime = await hub.runtime(workspace);
  // These tests invite the same people to several surveys: the fatigue rule (tested on its own) is off.
  await runtime.queue.submitJob((store) => setFatigueDays(store, { nps: 0, csat: 0, ces: 0, enps: 0 }), {
    touchesFacts: false,
  });
  auth = { authorization: `Bearer ${(await hub.tenancy.createKey('acme', ['ingest', 'read'])).token}` };
  await api('/api/v1/accounts', [{ account_id: 'a1', created_at: '2026-01-01T00:00:00Z', segment: 'smb' }]);
  await api('/api/v1/contacts', [
    {
      contact_id: 'c1',
      kind: 'customer',
      email: 'ann@a1.example',
      name: 'Ann',
      account_id: 'a1',
      locale: 'en',
    },
    { contact_id: 'c2', kind: 'customer', email: 'bea@a1.example', account_id: 'a1', locale: 'it' },
    { contact_id: 'c3', kind: 'customer', email: 'cy@a1.example', account_id: 'a1' },
    ...EMPLOYEES.map((name, i) => ({
      contact_id: `emp-${name.toLowerCase().replace(' ', '-')}`,
      kind: 'employee',
      email: `${name.toLowerCase().replace(' ', '.')}@acme.example`,
      name,
      team: i < 3 ? 'support' : 'sales',
    })),
  ]);
});
afterAll(async () => {
  await app.close();
  await hub.close();
});

async function api(url: string, payload: object, method: 'POST' | 'PATCH' = 'POST') {
  const answer = await app.inject({ method, url, headers: auth, payload });
  expect(answer.statusCode, answer.body).toBeLessThan(300);
  return answer.json();
}

async function newSurvey(body: object): Promise<Survey> {
  const { survey_id } = await api('/api/v1/surveys', { status: 'active', ...body });
  return runtime.queue.submitJob((store) => requireSurvey(store, survey_id), { touchesFacts: false });
}

/** Personal (or, for an anonymous survey, anonymous) link tokens for `contactIds`, by link. */
async function tokens(survey: Survey, contactIds: string[], wave: Wave | null = null): Promise<string[]> {
  const { invited, notAsked } = await runtime.queue.submitJob(
    (store) =>
      inviteContacts(store, survey, {
        contactIds,
        channel: 'link',
        waveId: wave?.wave_id ?? null,
        now: new Date(),
      }),
    { touchesFacts: false },
  );
  expect(notAsked).toEqual([]);
  return contactIds.map((id) => invited.find((i) => i.contact_id === id)!.token);
}

const get = (url: string, headers: Record<string, string> = {}) =>
  app.inject({ method: 'GET', url, headers });

function post(url: string, fields: Record<string, string | string[]>, headers: Record<string, string> = {}) {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
  }
  return app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    payload: body.toString(),
  });
}

/** Waits until every write submitted so far (such as "opened") has committed. */
const settled = () => runtime.queue.submitJob(async () => undefined, { touchesFacts: false });
const rows = (sql: string, params: unknown[] = []) => runtime.reader.query(sql, params);

function expectRedirect(answer: LightMyRequestResponse, location: string): void {
  expect(answer.statusCode, answer.body).toBe(303);
  expect(answer.headers.location).toBe(location);
}

describe('a personal link', () => {
  let survey: Survey;
  let url: string;

  beforeAll(async () => {
    survey = await newSurvey({ name: 'NPS Q3', template: 'nps', channels: ['link'] });
    url = `/s/acme/${(await tokens(survey, ['c1']))[0]}`;
  });

  it('opens the first question in the contact’s language, with progress, strict headers and no answer recorded', async () => {
    const page = await get(url);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<html lang="en">');
    // The NPS template has two questions: the score and its reason.
    expect(page.body).toContain('Question 1 of 2');
    expect(page.body).toContain('<progress max="2" value="1"');
    expect(page.body).toContain('<legend><h1>How likely is it that you would recommend us');
    expect(page.body.match(/type="radio"/g)).toHaveLength(11);
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'.*script-src 'none'/);
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['cache-control']).toBe('no-store');
    await settled();
    const [invitation] = await rows('SELECT opened_at FROM survey_invitations WHERE contact_id = $1', ['c1']);
    expect(invitation?.opened_at).toBeInstanceOf(Date);
    expect(await rows('SELECT * FROM survey_answers')).toHaveLength(0);
  });

  it('keeps the first answer, feeds responses at once, and shows the second question on coming back', async () => {
    const before = Date.now();
    expectRedirect(await post(url, { question: 'score', score: '9' }), url);
    const [answer] = await rows('SELECT * FROM survey_answers WHERE contact_id = $1', ['c1']);
    expect(answer).toMatchObject({ account_id: 'a1', channel: 'link', completed_at: null, locale: 'en' });
    expect(JSON.parse(String(answer!.answers))).toEqual({ score: 9 });
    const [response] = await rows('SELECT * FROM responses WHERE response_id = $1', [
      `${answer!.answer_id}.score`,
    ]);
    expect(response).toMatchObject({
      metric: 'nps',
      score: 9,
      account_id: 'a1',
      respondent_id: 'c1',
      comment: null,
    });
    expect((response!.submitted_at as Date).getTime()).toBeGreaterThanOrEqual(before - 1000);

    const later = await get(url);
    expect(later.body).toContain('Question 2 of 2');
    expect(later.body).toContain('<textarea id="q-reason" name="reason"');
    expect(later.body).toContain('>Send</button>');

    expectRedirect(
      await post(url, { question: 'reason', reason: 'Quick answers <b>always</b>' }),
      `${url}?done=1`,
    );
    const [done] = await rows('SELECT * FROM responses WHERE response_id = $1', [
      `${answer!.answer_id}.score`,
    ]);
    // The reason becomes the score's comment; the response keeps the instant its score was first given.
    expect(done).toMatchObject({ score: 9, comment: 'Quick answers <b>always</b>' });
    expect(done!.submitted_at).toEqual(response!.submitted_at);
    const thanks = await get(`${url}?done=1`);
    expect(thanks.body).toContain('Thank you!');
  });

  it('refuses a second answer and keeps the first (token replay)', async () => {
    const snapshot = async () => [
      await rows('SELECT * FROM survey_answers'),
      await rows('SELECT * FROM responses'),
    ];
    const before = await snapshot();
    const replay = await post(url, { question: 'score', score: '0' });
    expect(replay.statusCode).toBe(409);
    expect(replay.body).toContain('You have already answered');
    expect(replay.body).toContain('Your answer was kept');
    expect(await snapshot()).toEqual(before);
    expect((await get(`${url}?score=0`)).body).toContain('You have already answered');
  });

  it('says which question is wrong and why (422), in the respondent’s language', async () => {
    const [token] = await tokens(survey, ['c2']);
    const page = `/s/acme/${token}`;
    const outOfRange = await post(page, { question: 'score', score: '11' });
    expect(outOfRange.statusCode).toBe(422);
    // c2's locale is Italian: the error names the Italian question text.
    expect(outOfRange.body).toContain('<html lang="it">');
    expect(outOfRange.body).toContain('C’è un problema');
    expect(outOfRange.body).toMatch(
      /Quanto è probabile che ci consiglieresti a un amico o a un collega\?: Scegli un numero da 0 a 10\./,
    );
    expect(outOfRange.body).toContain('aria-describedby="score-error score-ends"');
    const blank = await post(page, { question: 'score' });
    expect(blank.statusCode).toBe(422);
    expect(blank.body).toContain('Rispondi a questa domanda.');
    const english = await post(`${page}?lang=en`, { question: 'score', score: 'ten' });
    expect(english.body).toContain(
      'How likely is it that you would recommend us to a friend or colleague?: Choose a number from 0 to 10.',
    );
    const unknown = await post(page, { question: 'favourite_colour', favourite_colour: 'blue' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(await rows('SELECT * FROM survey_answers WHERE contact_id = $1', ['c2'])).toHaveLength(0);
  });

  it('preselects the e-mail link’s score without recording it, and a bad score is simply not chosen', async () => {
    const [token] = await tokens(survey, ['c3']);
    const page = await get(`/s/acme/${token}?score=7`);
    expect(page.body).toMatch(/value="7" checked/);
    expect(page.body).toContain('>Confirm</button>');
    expect((await get(`/s/acme/${token}?score=99`)).body).not.toContain('checked');
    await settled();
    expect(await rows('SELECT * FROM survey_answers WHERE contact_id = $1', ['c3'])).toHaveLength(0);
  });

  it('refuses forged, altered and unknown links with a page, never a stack trace', async () => {
    const [token] = await tokens(survey, ['c3']);
    const [id, mac] = token!.split('.') as [string, string];
    for (const bad of [
      `/s/acme/${id}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`,
      `/s/acme/inv_000000000000000000000000.${mac}`,
      `/s/cobalt/${token}`,
      `/s/acme/${token}/extra/parts`,
      '/s/acme',
    ]) {
      const answer = await get(bad);
      expect(answer.statusCode, bad).toBe(404);
      expect(answer.body).toContain('This survey link is not valid');
      expect(answer.body).not.toMatch(/at .*\.ts:\d+/);
    }
  });
});

describe('an anonymous employee token', () => {
  let survey: Survey;
  let wave: Wave;
  let url: string;

  beforeAll(async () => {
    survey = await newSurvey({ name: 'eNPS', template: 'enps', channels: ['link'] });
    wave = await runtime.queue.submitJob((store) => startWave(store, survey, null, new Date()), {
      touchesFacts: false,
    });
    const all = await tokens(survey, EMPLOYEE_IDS, wave);
    url = `/s/acme/${all[0]}?lang=fr`;
  });

  it('counts the opening on the wave, never on the invitation', async () => {
    const first = await get(url);
    expect(first.body).toContain('<html lang="fr">');
    expect(first.body).toContain('Question 1 sur 2');
    const opened = first.cookies.find((c) => c.name === 'fidelio_opened');
    // The same browser opening the link again is not a new opening.
    await get(url, { cookie: `fidelio_opened=${opened!.value}` });
    await settled();
    expect(
      (await rows('SELECT opened FROM survey_waves WHERE wave_id = $1', [wave.wave_id]))[0]?.opened,
    ).toBe(1);
    expect(
      await rows('SELECT * FROM survey_invitations WHERE opened_at IS NOT NULL AND wave_id = $1', [
        wave.wave_id,
      ]),
    ).toHaveLength(0);
  });

  it('stores the answer with only a hash of the token and the team; nothing joins it to the person', async () => {
    const token = url.split('/')[3]!.split('?')[0]!;
    expectRedirect(await post(url, { question: 'score', score: '6' }), url);
    expectRedirect(await post(url, { question: 'reason', reason: 'Trop de réunions' }), `${url}&done=1`);
    const answers = await rows('SELECT * FROM survey_answers WHERE survey_id = $1', [survey.survey_id]);
    expect(answers).toHaveLength(1);
    const answer = answers[0]!;
    expect(answer).toMatchObject({
      token_hash: createHash('sha256').update(token).digest('hex'),
      invitation_id: null,
      contact_id: null,
      account_id: null,
      team: 'support',
      locale: 'fr',
    });
    const responses = await rows('SELECT * FROM responses WHERE response_id LIKE $1', [
      `${answer.answer_id}.%`,
    ]);
    expect(responses).toEqual([
      expect.objectContaining({
        metric: 'enps',
        score: 6,
        account_id: null,
        respondent_id: null,
        team: 'support',
        comment: 'Trop de réunions',
      }),
    ]);
    // Instants are kept to the day, so they cannot be matched with when someone opened or sent something.
    for (const instant of [
      answer.started_at,
      answer.updated_at,
      answer.completed_at,
      responses[0]!.submitted_at,
    ]) {
      expect((instant as Date).toISOString()).toMatch(/T00:00:00\.000Z$/);
    }
    // No value of the answer or its response contains anything that names Ada or her invitation.
    const [contact] = await rows('SELECT contact_id, email, name FROM contacts WHERE contact_id = $1', [
      EMPLOYEE_IDS[0],
    ]);
    const invitations = await rows(
      'SELECT invitation_id, created_at, sent_at FROM survey_invitations WHERE contact_id = $1 AND survey_id = $2',
      [EMPLOYEE_IDS[0], survey.survey_id],
    );
    expect(invitations).toHaveLength(1);
    const person = [...Object.values(contact!), ...Object.values(invitations[0]!)].map((v) =>
      v instanceof Date ? v.toISOString() : String(v),
    );
    const stored = [...Object.values(answer), ...Object.values(responses[0]!)]
      .filter((v) => v !== null)
      .map((v) => (v instanceof Date ? v.toISOString() : String(v)));
    for (const value of stored) for (const known of person) expect(value).not.toContain(known);
  });

  it('takes no second answer from the same token', async () => {
    const again = await post(url, { question: 'score', score: '10' });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('Vous avez déjà répondu');
    expect(await rows('SELECT * FROM survey_answers WHERE survey_id = $1', [survey.survey_id])).toHaveLength(
      1,
    );
  });

  it('stops working when the wave closes (its key is erased): 410, and no one can be invited to it', async () => {
    await runtime.queue.submitJob((store) => closeWave(store, wave.wave_id, new Date()), {
      touchesFacts: false,
    });
    const [stored] = await rows('SELECT token_key FROM survey_waves WHERE wave_id = $1', [wave.wave_id]);
    expect(stored?.token_key).toBeNull();
    const closed = await get(url);
    expect(closed.statusCode).toBe(410);
    expect(closed.body).toContain('Ce sondage est clos');
    await expect(tokens(survey, [EMPLOYEE_IDS[3]!], wave)).rejects.toThrow(/open wave/);
  });
});

describe('an anonymous public link', () => {
  let survey: Survey;
  let url: string;
  const browser = {
    'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Test/1',
    'accept-language': 'it-IT,it;q=0.9,en;q=0.5',
  };

  beforeAll(async () => {
    survey = await newSurvey({ name: 'Public CSAT', template: 'csat', channels: ['anonymous_link'] });
    url = `/s/acme/a/${survey.public_id}`;
  });

  it('speaks the browser’s language and keeps the answer by a cookie that holds a random answer id', async () => {
    const page = await get(url, browser);
    expect(page.body).toContain('<html lang="it">');
    const first = await post(url, { question: 'score', score: '2' }, browser);
    expectRedirect(first, url);
    const answerCookie = first.cookies.find((c) => c.name === 'fidelio_answer')!;
    expect(answerCookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: url });
    const [answer] = await rows('SELECT * FROM survey_answers WHERE survey_id = $1', [survey.survey_id]);
    expect(answer).toMatchObject({
      answer_id: answerCookie.value,
      contact_id: null,
      account_id: null,
      invitation_id: null,
      token_hash: null,
    });
    const withCookie = { ...browser, cookie: `fidelio_answer=${answerCookie.value}` };
    expect((await get(url, withCookie)).body).toContain('Domanda 2 di 2');
    expectRedirect(await post(url, { question: 'reason', reason: 'Lento' }, withCookie), `${url}?done=1`);
    expect((await get(url, withCookie)).body).toContain('Hai già risposto');
  });

  it('refuses a second answer from the same browser without its cookie, by today’s fingerprint only', async () => {
    const again = await post(url, { question: 'score', score: '5' }, browser);
    expect(again.statusCode).toBe(409);
    const marks = await rows('SELECT * FROM survey_anonymous_marks WHERE survey_id = $1', [survey.survey_id]);
    expect(marks).toHaveLength(1);
    // The fingerprint is a salted digest: the IP address and user agent are nowhere in it.
    expect(String(marks[0]!.fingerprint)).toMatch(/^[0-9a-f]{64}$/);
    // Another browser (another user agent) is another respondent: the documented trade-off.
    const other = await post(url, { question: 'score', score: '5' }, { ...browser, 'user-agent': 'Other/2' });
    expect(other.statusCode).toBe(303);
    expect(await rows('SELECT * FROM survey_answers WHERE survey_id = $1', [survey.survey_id])).toHaveLength(
      2,
    );
  });

  it('is rate limited per IP address with a page saying so', async () => {
    const from = { remoteAddress: '203.0.113.9' };
    let last: LightMyRequestResponse | null = null;
    // PUBLIC_LINK_RATE_LIMIT requests a minute are taken; the next one is refused.
    for (let i = 0; i <= 60; i += 1) last = await app.inject({ method: 'GET', url, ...from });
    expect(last!.statusCode).toBe(429);
    expect(last!.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(last!.body).toContain('Too many requests');
    expect(last!.headers['retry-after']).toBeDefined();
  });
});

describe('surveys that take no answers', () => {
  it('say so with a page: paused or draft 403, closed 410', async () => {
    const t0 = Date.now();
    const survey = await newSurvey({ name: 'CES', template: 'ces', channels: ['link'] });
    console.log('survey', Date.now() - t0);
    const url = `/s/acme/${(await tokens(survey, ['c1']))[0]}`;
    console.log('tokens', Date.now() - t0);
    await api(`/api/v1/surveys/${survey.survey_id}`, { status: 'paused' }, 'PATCH');
    console.log('patch', Date.now() - t0);
    const paused = await post(url, { question: 'score', score: '2' });
    expect(paused.statusCode).toBe(403);
    expect(paused.body).toContain('This survey is not taking answers right now');
    await api(`/api/v1/surveys/${survey.survey_id}`, { status: 'closed' }, 'PATCH');
    const closed = await get(url);
    expect(closed.statusCode).toBe(410);
    expect(closed.body).toContain('This survey has closed');
    expect(await rows('SELECT * FROM survey_answers WHERE survey_id = $1', [survey.survey_id])).toHaveLength(
      0,
    );
  });
});

describe('unsubscribing', () => {
  it('asks first on GET and unsubscribes on POST (also the one-click POST of mail programs)', async () => {
    const survey = await newSurvey({ name: 'CSAT', template: 'csat', channels: ['link'] });
    const url = `/s/acme/${(await tokens(survey, ['c3']))[0]}/unsubscribe`;
    const page = await get(url);
    expect(page.body).toContain('<button type="submit">Unsubscribe</button>');
    await settled();
    expect(
      (await rows('SELECT unsubscribed_at FROM contacts WHERE contact_id = $1', ['c3']))[0]?.unsubscribed_at,
    ).toBeNull();
    const done = await post(url, { 'List-Unsubscribe': 'One-Click' });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('You are unsubscribed');
    expect(
      (await rows('SELECT unsubscribed_at FROM contacts WHERE contact_id = $1', ['c3']))[0]?.unsubscribed_at,
    ).toBeInstanceOf(Date);
  });
});

describe('logs', () => {
  it('never carry a token: the path segment is replaced', async () => {
    expect(redactedUrl('/s/acme/inv_1.abc?score=7')).toBe('/s/acme/[token]?score=7');
    expect(redactedUrl('/s/acme/wav_1.n.m/unsubscribe')).toBe('/s/acme/[token]/unsubscribe');
    expect(redactedUrl('/s/acme/a/public123')).toBe('/s/acme/a/public123');

    const lines: string[] = [];
    const logged = Fastify({
      logger: { level: 'info', stream: { write: (line: string) => lines.push(line) } },
    });
    await logged.register(cookie);
    await logged.register(rateLimit, { global: false });
    registerRespondentRoutes(logged, hub);
    const survey = await newSurvey({ name: 'Logged', template: 'csat', channels: ['link'] });
    const [token] = await tokens(survey, ['c1']);
    await logged.inject({ method: 'GET', url: `/s/acme/${token}?score=4` });
    await logged.close();
    const text = lines.join('');
    expect(text).toContain('/s/acme/[token]?score=4');
    expect(text).not.toContain(token!.split('.')[1]);
  });
});

describe('screenshots', () => {
  const RUN = browserAvailable();
  it.skipIf(!RUN)(
    'of the question, error and thank-you pages in English and Italian, at phone and desktop width',
    async () => {
      await mkdir(SHOTS, { recursive: true });
      const survey = await newSurvey({ name: 'Shots', template: 'nps', channels: ['link'] });
      const [en, it] = await tokens(survey, ['c1', 'c2']);
      const address = await app.listen({ port: 0, host: '127.0.0.1' });
      const browser = await launchChromium();
      try {
        for (const [name, token, viewport] of [
          ['en-desktop', en, { width: 1280, height: 800 }],
          ['it-phone', it, { width: 375, height: 740 }],
        ] as const) {
          const page = await browser.newPage({ viewport });
          await page.goto(`${address}/s/acme/${token}?score=8`);
          await page.screenshot({ path: join(SHOTS, `respondent-question-${name}.png`), fullPage: true });
          await page.click('button[type="submit"]');
          await page.fill('textarea', 'Fast, friendly support.');
          await page.screenshot({ path: join(SHOTS, `respondent-reason-${name}.png`), fullPage: true });
          await page.click('button[type="submit"]');
          await page.waitForSelector('h1');
          await page.screenshot({ path: join(SHOTS, `respondent-thanks-${name}.png`), fullPage: true });
          await page.close();
        }
        // The browser itself stops an empty required answer; switch that off to show the server's error page.
        const phone = await browser.newPage({ viewport: { width: 375, height: 740 }, bypassCSP: true });
        const [token] = await tokens(survey, ['c1']);
        await phone.goto(`${address}/s/acme/${token}`);
        await phone.evaluate(() => document.querySelector('form')?.setAttribute('novalidate', ''));
        await phone.click('button[type="submit"]');
        await phone.waitForSelector('.error-summary');
        await phone.screenshot({ path: join(SHOTS, 'respondent-error-phone.png'), fullPage: true });
      } finally {
        await browser.close();
      }
    },
  );
});
