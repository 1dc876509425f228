// Recording a respondent's answers: kept from the first question on, completed once, and fed into `responses`
// (one row per question with a metric) so every KPI and report sees them.
//
// Who answered decides what is kept: an invitation keeps its contact and account; an anonymous employee token
// keeps only sha256(token) and the team, with its instants cut to the day; an anonymous public link keeps a
// random answer id (the respondent's cookie) and, for the day, a salted fingerprint that stops a second answer.
import { createHmac, randomBytes } from 'node:crypto';
import { FidelioError } from '../domain/errors.js';
import { dropHealthSnapshots } from '../ingest/health-snapshots.js';
import { type Store, sqlTimestamp } from '../store/store.js';
import { openFollowUps, type ScoredResponse } from './follow-ups.js';
import { type AnswerValue, parseAnswer, type Question, type SurveyLocale } from './questions.js';
import type { Channel, Survey } from './survey.js';

export type Respondent =
  | { kind: 'invitation'; invitation_id: string }
  | { kind: 'anonymous_token'; token_hash: string; wave_id: string; team: string | null }
  | { kind: 'anonymous_link'; answer_id: string | null; fingerprint: string };

export interface AnswerSubmission {
  survey: Survey;
  respondent: Respondent;
  channel: Channel;
  locale: SurveyLocale;
  /** Question id → the submitted value (form text, a list of choice ids, a number or a boolean). */
  values: Record<string, unknown>;
  /** The respondent is done: unanswered optional questions are skipped, required ones must be answered. */
  complete: boolean;
  now: Date;
}

export interface AnswerError {
  question_id: string;
  message: string;
}

export type AnswerOutcome =
  | { status: 'recorded'; answer_id: string; completed: boolean; next_question: string | null }
  | { status: 'already_answered' }
  | { status: 'invalid'; errors: AnswerError[] };

/** What is stored of one respondent's answers so far. */
export interface AnswerState {
  answer_id: string;
  /** Question id → value; null for a question seen and skipped. */
  values: Record<string, AnswerValue | null>;
  completed: boolean;
}

/** Stored answers: null marks a question shown and left blank, so the next page moves on. */
type Stored = Record<string, AnswerValue | null>;

interface Existing {
  answer_id: string;
  answers: Stored;
  completed_at: Date | null;
}

/** Who an answer belongs to, as stored (nulls for anonymous answers). */
interface Owner {
  invitation_id: string | null;
  token_hash: string | null;
  wave_id: string | null;
  contact_id: string | null;
  account_id: string | null;
  team: string | null;
}

const DAY_MS = 86_400_000;

/** The first question not yet answered or skipped, or null when every question has been seen. */
export function nextQuestion(survey: Survey, values: Readonly<Record<string, unknown>>): Question | null {
  return survey.questions.find((q) => !(q.id in values)) ?? null;
}

/** Whether a submission may change a `responses` row (so the caller's commit touches KPI inputs). */
export function touchesResponses(survey: Survey, values: Readonly<Record<string, unknown>>): boolean {
  const fed = new Set(
    survey.questions.flatMap((q) => (q.metric ? [q.id] : q.comment_for ? [q.id, q.comment_for] : [])),
  );
  return Object.keys(values).some((id) => fed.has(id));
}

const toDay = (instant: Date) => new Date(Math.floor(instant.getTime() / DAY_MS) * DAY_MS);
const dayText = (instant: Date) => instant.toISOString().slice(0, 10);

/** The salt of the current UTC day, random and kept in memory only: yesterday's fingerprints cannot be redone. */
let salt: { day: string; key: Buffer } | null = null;

/**
 * A one-way mark of a browser for anonymous-link duplicate protection: HMAC(today's in-memory salt, IP, user agent,
 * accepted languages). It changes every UTC day and with every server start.
 */
export function linkFingerprint(ip: string, userAgent: string, acceptLanguage: string, now: Date): string {
  const day = dayText(now);
  if (salt?.day !== day) salt = { day, key: randomBytes(32) };
  return createHmac('sha256', salt.key).update(`${ip}\n${userAgent}\n${acceptLanguage}`).digest('hex');
}

function existingOf(row: Record<string, unknown> | undefined): Existing | null {
  if (!row) return null;
  return {
    answer_id: String(row.answer_id),
    answers: JSON.parse(String(row.answers)) as Stored,
    completed_at: (row.completed_at as Date | null) ?? null,
  };
}

async function findAnswer(store: Store, where: string, params: unknown[]): Promise<Existing | null> {
  const rows = await store.query(
    `SELECT answer_id, answers, completed_at FROM survey_answers WHERE ${where}`,
    params,
  );
  return existingOf(rows[0]);
}

/** The answers stored so far for a respondent of `survey`, or null before the first answer. */
export async function answerState(
  store: Store,
  survey: Survey,
  respondent: Respondent,
): Promise<AnswerState | null> {
  const found = await lookUp(store, survey, respondent);
  if (!found) return null;
  return { answer_id: found.answer_id, values: found.answers, completed: found.completed_at !== null };
}

function lookUp(store: Store, survey: Survey, respondent: Respondent): Promise<Existing | null> {
  switch (respondent.kind) {
    case 'invitation':
      return findAnswer(store, 'invitation_id = $1', [respondent.invitation_id]);
    case 'anonymous_token':
      return findAnswer(store, 'token_hash = $1 AND survey_id = $2', [
        respondent.token_hash,
        survey.survey_id,
      ]);
    case 'anonymous_link':
      return respondent.answer_id === null
        ? Promise.resolve(null)
        : findAnswer(
            store,
            'answer_id = $1 AND survey_id = $2 AND invitation_id IS NULL AND token_hash IS NULL',
            [respondent.answer_id, survey.survey_id],
          );
  }
}

/** Who the answer belongs to; an invitation must be of this survey, and anonymous surveys take no invitation. */
async function ownerOf(store: Store, survey: Survey, respondent: Respondent): Promise<Owner> {
  const none: Owner = {
    invitation_id: null,
    token_hash: null,
    wave_id: null,
    contact_id: null,
    account_id: null,
    team: null,
  };
  if (respondent.kind === 'anonymous_link') return none;
  if (respondent.kind === 'anonymous_token') {
    return { ...none, token_hash: respondent.token_hash, wave_id: respondent.wave_id, team: respondent.team };
  }
  if (survey.anonymous) {
    throw new FidelioError(
      'conflict',
      'anonymous_survey',
      'an anonymous survey is answered with anonymous tokens',
    );
  }
  const rows = await store.query<{
    survey_id: string;
    wave_id: string | null;
    contact_id: string;
    account_id: string | null;
  }>(
    `SELECT i.survey_id, i.wave_id, i.contact_id, c.account_id
     FROM survey_invitations i LEFT JOIN contacts c ON c.contact_id = i.contact_id WHERE i.invitation_id = $1`,
    [respondent.invitation_id],
  );
  const row = rows[0];
  if (row?.survey_id !== survey.survey_id) {
    throw new FidelioError(
      'not_found',
      'unknown_invitation',
      `survey ${survey.survey_id} has no such invitation`,
    );
  }
  return {
    ...none,
    invitation_id: respondent.invitation_id,
    wave_id: row.wave_id,
    contact_id: row.contact_id,
    account_id: row.account_id,
  };
}

/** Parses every submitted value; an id that is not a question of the survey is an error. */
function parseValues(
  survey: Survey,
  values: Record<string, unknown>,
): { parsed: Stored; errors: AnswerError[] } {
  const parsed: Stored = {};
  const errors: AnswerError[] = [];
  for (const [id, raw] of Object.entries(values)) {
    const q = survey.questions.find((question) => question.id === id);
    if (!q) {
      errors.push({ question_id: id, message: 'not a question of this survey' });
      continue;
    }
    const result = parseAnswer(q, raw);
    if ('error' in result) errors.push({ question_id: id, message: result.error });
    else parsed[id] = result.value;
  }
  return { parsed, errors };
}

/**
 * Records a submission: the first creates the answer, later ones add to it until it is completed; after that
 * nothing changes and the outcome is `already_answered`. Each question with a metric writes or updates its
 * `responses` row (`<answer_id>.<question_id>`, submitted when first answered); customer answers open follow-ups.
 * Runs in one transaction (the caller's commit job).
 */
export async function recordAnswer(store: Store, submission: AnswerSubmission): Promise<AnswerOutcome> {
  const { survey, respondent, now } = submission;
  return store.transaction(async () => {
    let existing = await lookUp(store, survey, respondent);
    if (existing?.completed_at) return { status: 'already_answered' };
    if (
      !existing &&
      respondent.kind === 'anonymous_link' &&
      (await markedToday(store, survey, respondent, now))
    ) {
      return { status: 'already_answered' };
    }
    const owner = await ownerOf(store, survey, respondent);
    const { parsed, errors } = parseValues(survey, submission.values);
    const merged: Stored = { ...existing?.answers, ...parsed };
    const completed = submission.complete || nextQuestion(survey, merged) === null;
    if (completed) {
      for (const q of survey.questions) {
        const missing = merged[q.id] === null || merged[q.id] === undefined;
        if (q.required && missing && !errors.some((e) => e.question_id === q.id)) {
          errors.push({ question_id: q.id, message: 'an answer is required' });
        }
        if (!(q.id in merged)) merged[q.id] = null;
      }
    }
    if (errors.length > 0) return { status: 'invalid', errors };
    // Anonymous answers keep the day only, so their instants cannot be matched with a log of who opened what.
    const at = survey.anonymous ? toDay(now) : now;
    existing = await saveAnswer(store, submission, owner, existing, merged, completed, at);
    await writeResponses(store, submission, owner, existing.answer_id, merged, at);
    return {
      status: 'recorded',
      answer_id: existing.answer_id,
      completed,
      next_question: completed ? null : (nextQuestion(survey, merged)?.id ?? null),
    };
  });
}

/** Whether this browser (by today's fingerprint) already started an answer to the survey's public link. */
async function markedToday(
  store: Store,
  survey: Survey,
  respondent: Extract<Respondent, { kind: 'anonymous_link' }>,
  now: Date,
): Promise<boolean> {
  const rows = await store.query(
    `SELECT 1 FROM survey_anonymous_marks WHERE survey_id = $1 AND fingerprint = $2 AND day = CAST($3 AS DATE)`,
    [survey.survey_id, respondent.fingerprint, dayText(now)],
  );
  return rows.length > 0;
}

async function saveAnswer(
  store: Store,
  submission: AnswerSubmission,
  owner: Owner,
  existing: Existing | null,
  answers: Stored,
  completed: boolean,
  at: Date,
): Promise<Existing> {
  const { survey, respondent } = submission;
  const completedAt = completed ? sqlTimestamp(at) : 'NULL';
  if (existing) {
    await store.run(
      `UPDATE survey_answers SET answers = $2, locale = $3, updated_at = ${sqlTimestamp(at)},
         completed_at = ${completedAt} WHERE answer_id = $1`,
      [existing.answer_id, JSON.stringify(answers), submission.locale],
    );
    return { ...existing, answers };
  }
  const answerId = `ans_${randomBytes(16).toString('hex')}`;
  await store.run(
    `INSERT INTO survey_answers (answer_id, survey_id, wave_id, invitation_id, token_hash, channel, account_id,
       contact_id, team, locale, started_at, updated_at, completed_at, answers)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, ${sqlTimestamp(at)}, ${sqlTimestamp(at)}, ${completedAt}, $11)`,
    [
      answerId,
      survey.survey_id,
      owner.wave_id,
      owner.invitation_id,
      owner.token_hash,
      submission.channel,
      owner.account_id,
      owner.contact_id,
      owner.team,
      submission.locale,
      JSON.stringify(answers),
    ],
  );
  if (respondent.kind === 'anonymous_link') {
    const today = dayText(submission.now);
    await store.run(
      `INSERT INTO survey_anonymous_marks (survey_id, fingerprint, day) VALUES ($1, $2, CAST($3 AS DATE))
       ON CONFLICT DO NOTHING`,
      [survey.survey_id, respondent.fingerprint, today],
    );
    // The salt of older days is gone, so their marks can match nothing: keep today's and yesterday's only.
    await store.run('DELETE FROM survey_anonymous_marks WHERE day < CAST($1 AS DATE)', [
      dayText(new Date(submission.now.getTime() - DAY_MS)),
    ]);
  }
  return { answer_id: answerId, answers, completed_at: null };
}

interface ResponseRow {
  response_id: string;
  metric: string;
  score: number;
  scale: number | null;
  comment: string | null;
}

/** The `responses` rows an answer implies: one per answered question with a metric, its comment beside it. */
function responseRows(survey: Survey, answerId: string, answers: Stored): ResponseRow[] {
  return survey.questions.flatMap((q) => {
    const value = answers[q.id];
    if (!q.metric || value === null || value === undefined) return [];
    const explained = survey.questions.find((other) => other.comment_for === q.id);
    const comment = explained ? answers[explained.id] : null;
    return [
      {
        response_id: `${answerId}.${q.id}`,
        metric: q.metric,
        // yes_no: yes = 1, no = 0 (KPI-SPEC §2, fcr).
        score: Number(value),
        scale: q.type === 'ces' ? (q.scale ?? 7) : null,
        comment: typeof comment === 'string' ? comment : null,
      },
    ];
  });
}

/** Inserts new responses, updates changed ones (keeping when they were first submitted), opens follow-ups. */
async function writeResponses(
  store: Store,
  submission: AnswerSubmission,
  owner: Owner,
  answerId: string,
  answers: Stored,
  at: Date,
): Promise<void> {
  const { survey } = submission;
  const wanted = responseRows(survey, answerId, answers);
  const ids = survey.questions.filter((q) => q.metric).map((q) => `${answerId}.${q.id}`);
  if (ids.length === 0) return;
  const stored = await store.query<{
    response_id: string;
    score: number;
    comment: string | null;
    locale: string | null;
  }>(
    `SELECT response_id, score, comment, locale FROM responses
     WHERE response_id IN (SELECT unnest(from_json($1, '["VARCHAR"]')))`,
    [JSON.stringify(ids)],
  );
  const before = new Map(stored.map((r) => [r.response_id, r]));
  const changed: ScoredResponse[] = [];
  for (const row of wanted) {
    const old = before.get(row.response_id);
    before.delete(row.response_id);
    if (
      old &&
      Number(old.score) === row.score &&
      old.comment === row.comment &&
      old.locale === submission.locale
    ) {
      continue;
    }
    if (old) {
      await store.run('UPDATE responses SET score = $2, comment = $3, locale = $4 WHERE response_id = $1', [
        row.response_id,
        row.score,
        row.comment,
        submission.locale,
      ]);
    } else {
      await store.run(
        `INSERT INTO responses (response_id, submitted_at, metric, score, account_id, respondent_id, scale, comment,
           locale, team) VALUES ($1, ${sqlTimestamp(at)}, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          row.response_id,
          row.metric,
          row.score,
          owner.account_id,
          owner.contact_id,
          row.scale,
          row.comment,
          submission.locale,
          owner.team,
        ],
      );
    }
    changed.push({
      response_id: row.response_id,
      metric: row.metric,
      score: row.score,
      comment: row.comment,
    });
  }
  // A metric question answered before and now left blank (an optional one) no longer has a response.
  for (const gone of before.keys()) await store.run('DELETE FROM responses WHERE response_id = $1', [gone]);
  if (changed.length === 0 && before.size === 0) return;
  // The health score reads responses: its monthly snapshots no longer match until they are rebuilt.
  await dropHealthSnapshots(store);
  if (survey.audience === 'customers' && changed.length > 0) {
    await openFollowUps(
      store,
      {
        answer_id: answerId,
        survey_id: survey.survey_id,
        survey_name: survey.name,
        account_id: owner.account_id,
        contact_id: owner.contact_id,
      },
      changed,
      submission.now,
    );
  }
}
