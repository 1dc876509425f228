// Survey fatigue, kept on the server across every channel: nobody is asked more than once per N days (per
// template, default 30), nor when unsubscribed, unknown, without an e-mail address for an e-mail, or already
// invited to the same wave. Every decision is written to survey_fatigue_audit with a reason a person can read.
//
// A contact counts as asked at an invitation's sent_at, whatever the survey or channel, or from its creation
// while its e-mail waits in the queue; reminders of that invitation are not new asks, and an e-mail the SMTP
// server refused (delivery_error, never sent) is not an ask.
import { FidelioError } from '../domain/errors.js';
import type { Store } from '../store/store.js';
import { type Audience, type Channel, TEMPLATES, type Template } from './survey.js';

export const DEFAULT_FATIGUE_DAYS = 30;
export const MAX_FATIGUE_DAYS = 365;
const SETTINGS_KEY = 'fatigue_days';
const DAY_MS = 86_400_000;
export const MAX_AUDIT_ROWS = 1000;

export interface AskDecision {
  contact_id: string;
  asked: boolean;
  reason: string;
}

export interface AuditRow extends AskDecision {
  decided_at: string;
  survey_id: string;
  channel: string;
}

export interface AskRequest {
  survey: { survey_id: string; template: Template; name: string; audience: Audience };
  channel: Channel;
  contactIds: readonly string[];
  /** The wave being sent; a contact already invited to it is not asked again. */
  waveId: string | null;
  now: Date;
}

const isTemplate = (key: string): key is Template => (TEMPLATES as readonly string[]).includes(key);
const isDays = (value: unknown): value is number =>
  Number.isInteger(value) && (value as number) >= 0 && (value as number) <= MAX_FATIGUE_DAYS;

/** A timestamp parameter: UTC text both engines cast to TIMESTAMP. */
const stamp = (instant: Date) => instant.toISOString().replace('T', ' ').replace('Z', '');

async function storedOverrides(store: Store): Promise<Partial<Record<Template, number>>> {
  const rows = await store.query<{ value: string }>('SELECT value FROM survey_settings WHERE key = $1', [
    SETTINGS_KEY,
  ]);
  if (!rows[0]) return {};
  const stored = JSON.parse(rows[0].value) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(stored).filter(([key, days]) => isTemplate(key) && isDays(days)));
}

/** The fatigue limit in days of every template: the workspace's overrides over DEFAULT_FATIGUE_DAYS (0 = off). */
export async function fatigueDays(store: Store): Promise<Record<Template, number>> {
  const overrides = await storedOverrides(store);
  return Object.fromEntries(TEMPLATES.map((t) => [t, overrides[t] ?? DEFAULT_FATIGUE_DAYS])) as Record<
    Template,
    number
  >;
}

/**
 * Sets the limit of the templates given (whole days, 0–365; 0 turns the rule off for that template); the
 * others keep theirs. Returns every template's limit.
 */
export async function setFatigueDays(
  store: Store,
  overrides: Partial<Record<Template, number>>,
): Promise<Record<Template, number>> {
  for (const [key, days] of Object.entries(overrides)) {
    if (!isTemplate(key)) {
      throw new FidelioError(
        'invalid_input',
        'unknown_template',
        `fatigue_days.${key}: not a template (${TEMPLATES.join(', ')})`,
      );
    }
    if (!isDays(days)) {
      throw new FidelioError(
        'invalid_input',
        'invalid_fatigue_days',
        `fatigue_days.${key}: a whole number of days from 0 to ${MAX_FATIGUE_DAYS}, not ${days}`,
      );
    }
  }
  const merged = { ...(await storedOverrides(store)), ...overrides };
  await store.run(
    `INSERT INTO survey_settings (key, value) VALUES ($1, $2)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    [SETTINGS_KEY, JSON.stringify(merged)],
  );
  return fatigueDays(store);
}

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

/**
 * Decides, for every contact at once, whether `survey` may ask them now through `channel`, and records each
 * decision in the audit (one decision per distinct contact, in the order given). It creates no invitation:
 * the caller does, in the same transaction, for the contacts asked.
 */
export async function decideAsks(store: Store, request: AskRequest): Promise<AskDecision[]> {
  const position = new Map<string, number>();
  for (const id of request.contactIds) if (!position.has(id)) position.set(id, position.size);
  if (position.size === 0) return [];
  const { template } = request.survey;
  const days = (await fatigueDays(store))[template];
  // The reason's first word says the decision, so the audit cannot disagree with it.
  const rows = await store.query<{ contact_id: string; asked: boolean; reason: string }>(
    `INSERT INTO survey_fatigue_audit (decided_at, contact_id, survey_id, channel, asked, reason)
     WITH candidates AS (
       SELECT DISTINCT unnest(from_json($1, '["VARCHAR"]')) AS contact_id
     ),
     last_ask AS (
       SELECT DISTINCT ON (i.contact_id) i.contact_id, i.channel,
         date_diff('millisecond', coalesce(i.sent_at, i.created_at), CAST($2 AS TIMESTAMP)) AS age_ms,
         coalesce('"' || s.name || '"', 'survey ' || i.survey_id) AS survey
       FROM survey_invitations i
       JOIN candidates c ON c.contact_id = i.contact_id
       LEFT JOIN surveys s ON s.survey_id = i.survey_id
       WHERE coalesce(i.sent_at, i.created_at) <= CAST($2 AS TIMESTAMP)
         AND (i.sent_at IS NOT NULL OR i.delivery_error IS NULL)
       ORDER BY i.contact_id, coalesce(i.sent_at, i.created_at) DESC, i.invitation_id
     ),
     in_wave AS (
       SELECT DISTINCT i.contact_id
       FROM survey_invitations i JOIN candidates c ON c.contact_id = i.contact_id
       WHERE i.wave_id = $5
     ),
     facts AS (
       SELECT c.contact_id, k.contact_id IS NOT NULL AS known, k.kind, k.unsubscribed_at, k.email,
         w.contact_id IS NOT NULL AS in_wave, l.age_ms, l.channel AS last_channel, l.survey AS last_survey,
         CAST(floor(l.age_ms / ${DAY_MS}.0) AS INTEGER) AS age_days
       FROM candidates c
       LEFT JOIN contacts k ON k.contact_id = c.contact_id
       LEFT JOIN in_wave w ON w.contact_id = c.contact_id
       LEFT JOIN last_ask l ON l.contact_id = c.contact_id
     ),
     decisions AS (
       SELECT contact_id,
         CASE
           WHEN NOT known THEN 'not asked: unknown contact'
           WHEN kind <> $10 THEN $11
           WHEN unsubscribed_at IS NOT NULL
             THEN 'not asked: unsubscribed on ' || strftime(unsubscribed_at, '%Y-%m-%d')
           WHEN $6 AND coalesce(trim(email), '') = '' THEN 'not asked: no e-mail address'
           WHEN in_wave THEN 'not asked: already invited to this wave'
           WHEN age_ms IS NULL THEN 'asked: never asked before'
           ELSE
             CASE WHEN age_ms < $7 THEN 'not asked: asked ' ELSE 'asked: last asked ' END
             || CASE age_days
                  WHEN 0 THEN 'less than a day ago'
                  WHEN 1 THEN '1 day ago'
                  ELSE CAST(age_days AS VARCHAR) || ' days ago'
                END
             || ' by ' || last_survey || ' (' || last_channel || ')'
             || CASE WHEN age_ms < $7 THEN $8 ELSE $9 END
         END AS reason
       FROM facts
     )
     SELECT CAST($2 AS TIMESTAMP), contact_id, $3, $4, starts_with(reason, 'asked:'), reason
     FROM decisions
     RETURNING contact_id, asked, reason`,
    [
      JSON.stringify([...position.keys()]),
      stamp(request.now),
      request.survey.survey_id,
      request.channel,
      request.waveId,
      request.channel === 'email',
      days * DAY_MS,
      `; the ${template} limit is ${plural(days, 'day')}`,
      days === 0 ? `; the ${template} limit is off` : '',
      request.survey.audience === 'employees' ? 'employee' : 'customer',
      request.survey.audience === 'employees'
        ? 'not asked: a customer contact, and this survey asks employees'
        : 'not asked: an employee, and this survey asks customers',
    ],
  );
  return rows
    .map((r) => ({ contact_id: r.contact_id, asked: r.asked, reason: r.reason }))
    .sort((a, b) => position.get(a.contact_id)! - position.get(b.contact_id)!);
}

export interface AuditQuery {
  contact_id?: string | undefined;
  survey_id?: string | undefined;
  /** Rows to return: default 100, at most 1000. */
  limit?: number | undefined;
  /** Only decisions made before this instant. */
  before?: Date | undefined;
  /** The last row of the previous page: the rows after it in the list's order (a wave shares one decided_at). */
  after?: Pick<AuditRow, 'decided_at' | 'survey_id' | 'contact_id'> | undefined;
}

/** Audited decisions, newest first. */
export async function fatigueAudit(store: Store, query: AuditQuery = {}): Promise<AuditRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (condition: string, value: unknown) => {
    params.push(value);
    where.push(condition.replace('?', `$${params.length}`));
  };
  if (query.contact_id !== undefined) add('contact_id = ?', query.contact_id);
  if (query.survey_id !== undefined) add('survey_id = ?', query.survey_id);
  if (query.before !== undefined) add('decided_at < CAST(? AS TIMESTAMP)', stamp(query.before));
  if (query.after !== undefined) {
    const { decided_at, survey_id, contact_id } = query.after;
    params.push(stamp(new Date(decided_at)), survey_id, contact_id);
    const [t, s, c] = [params.length - 2, params.length - 1, params.length].map((n) => `$${n}`);
    where.push(
      `(decided_at < CAST(${t} AS TIMESTAMP) OR (decided_at = CAST(${t} AS TIMESTAMP) AND ` +
        `(survey_id > ${s} OR (survey_id = ${s} AND contact_id > ${c}))))`,
    );
  }
  const limit = Math.min(Math.max(1, Math.trunc(query.limit ?? 100)), MAX_AUDIT_ROWS);
  const rows = await store.query<{
    decided_at: Date;
    contact_id: string;
    survey_id: string;
    channel: string;
    asked: boolean;
    reason: string;
  }>(
    `SELECT decided_at, contact_id, survey_id, channel, asked, reason
     FROM survey_fatigue_audit
     ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY decided_at DESC, survey_id, contact_id
     LIMIT ${limit}`,
    params,
  );
  return rows.map((r) => ({ ...r, decided_at: r.decided_at.toISOString() }));
}
