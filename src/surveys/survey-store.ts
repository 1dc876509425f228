// Surveys in the store: create one from a template or custom questions, read, list and change them.
import { randomBytes } from 'node:crypto';
import { FidelioError, type InputIssue } from '../domain/errors.js';
import type { Row, Store } from '../store/store.js';
import { type Question, questionListIssues } from './questions.js';
import { scheduleIssues } from './schedule.js';
import type {
  AudienceFilter,
  Channel,
  Reminders,
  Schedule,
  Survey,
  SurveyInput,
  SurveyStatus,
} from './survey.js';
import { TEMPLATE_SPECS, templateQuestions } from './templates.js';

const COLUMNS =
  'survey_id, public_id, name, template, audience, anonymous, default_locale, questions, channels, ' +
  'audience_filter, schedule, reminders, status, created_at, created_by, updated_at';

/** A survey's changeable settings (the template, audience and questions are fixed once answers exist). */
export interface SurveyChange {
  name?: string;
  status?: SurveyStatus;
  channels?: Channel[];
  audience_filter?: AudienceFilter;
  schedule?: Schedule | null;
  reminders?: Reminders;
}

function issue(column: string, message: string, rule = 'survey'): InputIssue {
  return { file: 'survey', line: 0, column, value: null, rule, message };
}

function refuse(issues: InputIssue[]): never {
  throw new FidelioError(
    'invalid_input',
    'invalid_survey',
    `the survey is not valid: ${issues.map((i) => `${i.column}: ${i.message}`).join('; ')}`,
    issues,
  );
}

/** The checks of a survey's settings that zod's shapes cannot express. */
function settingsIssues(survey: Pick<Survey, 'audience' | 'channels' | 'schedule'>): InputIssue[] {
  const issues: InputIssue[] = [];
  if (survey.audience === 'employees' && survey.channels.includes('widget')) {
    issues.push(
      issue('$.channels', 'the in-product widget is for customers; employee surveys are anonymous'),
    );
  }
  if (survey.audience === 'employees' && survey.channels.includes('anonymous_link')) {
    issues.push(
      issue(
        '$.channels',
        'employee surveys use personal anonymous tokens, which stop second answers; not a public link',
      ),
    );
  }
  if (survey.schedule) {
    for (const message of scheduleIssues(survey.schedule)) issues.push(issue('$.schedule', message));
  }
  return issues;
}

/** Builds a survey from its input: the template's questions unless given, validated as a whole. */
export function surveyFromInput(input: SurveyInput, createdBy: string | null, now: Date): Survey {
  const spec = TEMPLATE_SPECS[input.template];
  const audience = input.template === 'enps' ? 'employees' : (input.audience ?? spec.audience);
  if (input.template === 'enps' && input.audience === 'customers') {
    refuse([issue('$.audience', 'eNPS asks employees')]);
  }
  const questions: Question[] = input.questions ?? templateQuestions(input.template, input.ces_scale ?? 7);
  const issues = questionListIssues(questions).map((message) => issue(`$.${message.split(':')[0]}`, message));
  const employeeMetric = questions.some((q) => q.metric === 'enps');
  const customerMetric = questions.some((q) => q.metric && q.metric !== 'enps');
  if (audience === 'employees' && customerMetric) {
    issues.push(issue('$.questions', 'employee surveys feed only enps (customer KPIs are about customers)'));
  }
  if (audience === 'customers' && employeeMetric) {
    issues.push(issue('$.questions', 'enps is asked of employees, not customers'));
  }
  const iso = now.toISOString();
  const survey: Survey = {
    survey_id: `srv_${randomBytes(6).toString('hex')}`,
    public_id: randomBytes(9).toString('base64url'),
    name: input.name,
    template: input.template,
    audience,
    anonymous: audience === 'employees',
    default_locale: input.default_locale,
    questions,
    channels: [...new Set(input.channels)],
    audience_filter: input.audience_filter,
    schedule: input.schedule ?? null,
    reminders: input.reminders,
    status: input.status,
    created_at: iso,
    created_by: createdBy,
    updated_at: iso,
  };
  issues.push(...settingsIssues(survey));
  if (issues.length > 0) refuse(issues);
  return survey;
}

export async function createSurvey(store: Store, survey: Survey): Promise<Survey> {
  await store.run(
    `INSERT INTO surveys (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,
       CAST($14 AS TIMESTAMP), $15, CAST($16 AS TIMESTAMP))`,
    [
      survey.survey_id,
      survey.public_id,
      survey.name,
      survey.template,
      survey.audience,
      survey.anonymous,
      survey.default_locale,
      JSON.stringify(survey.questions),
      JSON.stringify(survey.channels),
      JSON.stringify(survey.audience_filter),
      survey.schedule ? JSON.stringify(survey.schedule) : null,
      JSON.stringify(survey.reminders),
      survey.status,
      utcTimestamp(survey.created_at),
      survey.created_by,
      utcTimestamp(survey.updated_at),
    ],
  );
  return survey;
}

/** An ISO instant as the `YYYY-MM-DD HH:MM:SS.sss` text a TIMESTAMP column reads as UTC. */
function utcTimestamp(iso: string): string {
  return iso.replace('T', ' ').replace('Z', '');
}

function surveyOf(row: Row): Survey {
  return {
    survey_id: String(row.survey_id),
    public_id: String(row.public_id),
    name: String(row.name),
    template: row.template as Survey['template'],
    audience: row.audience as Survey['audience'],
    anonymous: Boolean(row.anonymous),
    default_locale: row.default_locale as Survey['default_locale'],
    questions: JSON.parse(String(row.questions)),
    channels: JSON.parse(String(row.channels)),
    audience_filter: JSON.parse(String(row.audience_filter)),
    schedule: row.schedule === null ? null : JSON.parse(String(row.schedule)),
    reminders: JSON.parse(String(row.reminders)),
    status: row.status as SurveyStatus,
    created_at: (row.created_at as Date).toISOString(),
    created_by: row.created_by === null ? null : String(row.created_by),
    updated_at: (row.updated_at as Date).toISOString(),
  };
}

export async function loadSurvey(store: Store, surveyId: string): Promise<Survey | null> {
  const rows = await store.query(`SELECT ${COLUMNS} FROM surveys WHERE survey_id = $1`, [surveyId]);
  return rows[0] ? surveyOf(rows[0]) : null;
}

export async function loadSurveyByPublicId(store: Store, publicId: string): Promise<Survey | null> {
  const rows = await store.query(`SELECT ${COLUMNS} FROM surveys WHERE public_id = $1`, [publicId]);
  return rows[0] ? surveyOf(rows[0]) : null;
}

/** The survey, or a not-found error naming the id. */
export async function requireSurvey(store: Store, surveyId: string): Promise<Survey> {
  const survey = await loadSurvey(store, surveyId);
  if (!survey) throw new FidelioError('not_found', 'unknown_survey', `no survey "${surveyId}"`);
  return survey;
}

/** Every survey, newest first. */
export async function listSurveys(store: Store): Promise<Survey[]> {
  const rows = await store.query(`SELECT ${COLUMNS} FROM surveys ORDER BY created_at DESC, survey_id`);
  return rows.map(surveyOf);
}

/** Applies `change` to a survey; a closed survey stays closed. */
export async function updateSurvey(
  store: Store,
  surveyId: string,
  change: SurveyChange,
  now: Date,
): Promise<Survey> {
  const current = await requireSurvey(store, surveyId);
  if (current.status === 'closed' && change.status && change.status !== 'closed') {
    refuse([issue('$.status', 'a closed survey cannot be reopened; create a new one')]);
  }
  const next: Survey = {
    ...current,
    ...Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)),
    updated_at: now.toISOString(),
  };
  const issues = settingsIssues(next);
  if (issues.length > 0) refuse(issues);
  await store.run(
    `UPDATE surveys SET name = $2, status = $3, channels = $4, audience_filter = $5, schedule = $6,
       reminders = $7, updated_at = CAST($8 AS TIMESTAMP) WHERE survey_id = $1`,
    [
      surveyId,
      next.name,
      next.status,
      JSON.stringify(next.channels),
      JSON.stringify(next.audience_filter),
      next.schedule ? JSON.stringify(next.schedule) : null,
      JSON.stringify(next.reminders),
      utcTimestamp(next.updated_at),
    ],
  );
  return next;
}
