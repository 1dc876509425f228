// `fidelio survey create|list|send|results` on a store file, as a user runs them: surveys from templates, refusals that
// name the field, personal links, the fatigue rule between two sendings, and anonymous surveys without links.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fidelio, requireBuiltCli } from './support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'fidelio-survey-cli-'));
const db = join(dir, 'store.duckdb');

beforeAll(async () => {
  requireBuiltCli();
  const data = join(dir, 'data');
  mkdirSync(data);
  writeFileSync(join(data, 'accounts.csv'), 'account_id,created_at\na1,2026-01-01\n');
  writeFileSync(
    join(data, 'contacts.csv'),
    'contact_id,kind,email,account_id,locale,team\n' +
      'c1,customer,ann@a1.example,a1,it,\nc2,customer,bob@a1.example,a1,,\ne1,employee,e1@x.example,,,ops\n',
  );
  expect((await fidelio('import', data, '--db', db)).code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const json = (text: string) => JSON.parse(text);

describe('fidelio survey', () => {
  test('creates an active NPS survey, lists it, and sends personal links to its audience', async () => {
    const created = await fidelio(
      'survey',
      'create',
      '--db',
      db,
      '--name',
      'Q1 NPS',
      '--template',
      'nps',
      '--activate',
    );
    expect(created.code, created.stderr).toBe(0);
    const survey = json(created.stdout);
    expect(survey).toMatchObject({
      name: 'Q1 NPS',
      template: 'nps',
      status: 'active',
      audience: 'customers',
    });

    const listed = json((await fidelio('survey', 'list', '--db', db)).stdout);
    expect(listed.map((s: { survey_id: string }) => s.survey_id)).toContain(survey.survey_id);

    const sent = await fidelio(
      'survey',
      'send',
      survey.survey_id,
      '--db',
      db,
      '--all',
      '--public-url',
      'https://f.example',
    );
    expect(sent.code, sent.stderr).toBe(0);
    const { invited, not_asked } = json(sent.stdout);
    expect(invited.map((i: { contact_id: string }) => i.contact_id)).toEqual(['c1', 'c2']);
    expect(invited[0].link).toMatch(/^https:\/\/f\.example\/s\/default\/inv_[0-9a-f]+\.[\w-]{22}$/);
    expect(not_asked).toEqual([]);

    // Both were asked a moment ago: a second sending asks no one (30-day fatigue limit) and says why.
    const again = json(
      (await fidelio('survey', 'send', survey.survey_id, '--db', db, '--contacts', 'c1')).stdout,
    );
    expect(again.invited).toEqual([]);
    expect(again.not_asked[0].reason).toMatch(/^not asked: asked less than a day ago by "Q1 NPS"/);

    // Two links sent, nobody has answered yet: a response rate of 0 / 2 = 0 %, and no NPS.
    const results = json((await fidelio('survey', 'results', survey.survey_id, '--db', db)).stdout);
    expect(results).toMatchObject({ survey_id: survey.survey_id, sent: 2, answered: 0, response_rate: 0 });
    expect(results.kpi.value).toBeNull();
  });

  test('an anonymous eNPS survey prints no links', async () => {
    const survey = json(
      (await fidelio('survey', 'create', '--db', db, '--name', 'eNPS', '--template', 'enps', '--activate'))
        .stdout,
    );
    expect(survey.anonymous).toBe(true);
    const sent = json((await fidelio('survey', 'send', survey.survey_id, '--db', db, '--all')).stdout);
    expect(sent.invited).toEqual([{ contact_id: 'e1', link: null }]);
  });

  test.each([
    ['a pulse without questions', ['--name', 'p', '--template', 'pulse'], /\$\.questions/],
    [
      'an unknown channel',
      ['--name', 'x', '--template', 'nps', '--channels', 'link,fax'],
      /--channels takes email, link/,
    ],
    [
      'an unreadable questions file',
      ['--name', 'x', '--template', 'custom', '--questions', '/nonexistent.json'],
      /--questions \/nonexistent\.json/,
    ],
  ])('%s exits 2 with a message', async (_, args, message) => {
    const run = await fidelio('survey', 'create', '--db', db, ...args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  test('sending a draft survey, or to nobody, exits 2', async () => {
    const draft = json(
      (await fidelio('survey', 'create', '--db', db, '--name', 'd', '--template', 'csat')).stdout,
    );
    const run = await fidelio('survey', 'send', draft.survey_id, '--db', db, '--all');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/is draft; activate it first/);
    expect((await fidelio('survey', 'send', draft.survey_id, '--db', db)).stderr).toMatch(
      /either --contacts or --all/,
    );
  });
});
