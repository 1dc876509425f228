// Close the loop: a detractor (NPS ≤ 6) or a low CSAT (≤ 2) opens a follow-up item (assignee, status, note),
// and in the same transaction queues a `followup.created` webhook delivery per subscribed webhook and a
// notice e-mail per address of the `followup_recipients` setting; deliverDue (src/alerts) sends them after
// commit. Anonymous answers never open one: following up would de-anonymise the respondent.
import { randomBytes } from 'node:crypto';
import { queueEmail } from '../alerts/email-outbox.js';
import { enqueueEvent, timestampParam } from '../alerts/webhooks.js';
import { FidelioError } from '../domain/errors.js';
import type { Row, Store } from '../store/store.js';
import type { MailMessage } from './mailer.js';

export const FOLLOW_UP_STATUSES = ['open', 'in_progress', 'closed'] as const;
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number];
export type FollowUpReason = 'detractor' | 'low_csat';

/** The survey_settings key holding the JSON array of addresses notified of each new follow-up. */
export const RECIPIENTS_SETTING = 'followup_recipients';

export interface AnsweredSurvey {
  answer_id: string;
  survey_id: string;
  survey_name: string;
  account_id: string | null;
  contact_id: string | null;
}

export interface ScoredResponse {
  response_id: string;
  metric: string;
  score: number;
  comment: string | null;
}

export interface FollowUp {
  followup_id: string;
  answer_id: string;
  survey_id: string;
  /** null once the survey is gone. */
  survey_name: string | null;
  response_id: string;
  account_id: string | null;
  contact_id: string | null;
  reason: FollowUpReason;
  score: number;
  comment: string | null;
  assignee: string | null;
  status: FollowUpStatus;
  note: string | null;
  created_at: string;
  updated_at: string;
}

export interface FollowUpChange {
  assignee?: string | null | undefined;
  status?: string | undefined;
  note?: string | null | undefined;
}

/** Why a response needs a follow-up, or null. Employee metrics (enps) never do. */
export function followUpReason(metric: string, score: number): FollowUpReason | null {
  if (metric === 'nps' && score <= 6) return 'detractor';
  if (metric === 'csat' && score <= 2) return 'low_csat';
  return null;
}

/**
 * Opens a follow-up for each response of `answer` that needs one and has none yet (one per response_id, so
 * a repeated call opens nothing new), with its webhook deliveries and notice e-mails, in one transaction (the
 * caller's, when it runs inside one). Returns the follow-ups it opened. A follow-up opened before its reason was
 * written (the score comes first) takes the comment when it arrives.
 */
export async function openFollowUps(
  store: Store,
  answer: AnsweredSurvey,
  responses: readonly ScoredResponse[],
  now: Date,
): Promise<FollowUp[]> {
  if (answer.account_id === null && answer.contact_id === null) return [];
  const due = responses.flatMap((r) => {
    const reason = followUpReason(r.metric, r.score);
    return reason ? [{ ...r, reason }] : [];
  });
  if (due.length === 0) return [];
  return store.transaction(async () => {
    const ids = due.map((r) => r.response_id);
    const taken = await store.query(
      `SELECT response_id FROM followups WHERE response_id IN (${ids.map((_, i) => `$${i + 1}`).join(', ')})`,
      ids,
    );
    const seen = new Set(taken.map((r) => String(r.response_id)));
    const recipients = await followUpRecipients(store);
    const opened: FollowUp[] = [];
    for (const response of due) {
      if (seen.has(response.response_id)) {
        await store.run(
          `UPDATE followups SET comment = $2, updated_at = CAST($3 AS TIMESTAMP)
           WHERE response_id = $1 AND comment IS DISTINCT FROM $2 AND $2 IS NOT NULL`,
          [response.response_id, response.comment, timestampParam(now)],
        );
        continue;
      }
      seen.add(response.response_id);
      const item: FollowUp = {
        followup_id: `fu_${randomBytes(6).toString('hex')}`,
        answer_id: answer.answer_id,
        survey_id: answer.survey_id,
        survey_name: answer.survey_name,
        response_id: response.response_id,
        account_id: answer.account_id,
        contact_id: answer.contact_id,
        reason: response.reason,
        score: response.score,
        comment: response.comment,
        assignee: null,
        status: 'open',
        note: null,
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
      };
      await store.run(
        `INSERT INTO followups (followup_id, answer_id, survey_id, response_id, account_id, contact_id, reason,
           score, comment, assignee, status, note, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, 'open', NULL, CAST($10 AS TIMESTAMP),
           CAST($10 AS TIMESTAMP))`,
        [
          item.followup_id,
          item.answer_id,
          item.survey_id,
          item.response_id,
          item.account_id,
          item.contact_id,
          item.reason,
          item.score,
          item.comment,
          timestampParam(now),
        ],
      );
      await enqueueEvent(store, 'followup.created', { followup: item }, now);
      for (const to of recipients) await queueEmail(store, followUpNotice(item, to), now);
      opened.push(item);
    }
    return opened;
  });
}

const SELECT = `SELECT f.*, s.name AS survey_name FROM followups f LEFT JOIN surveys s ON s.survey_id = f.survey_id`;

function followUpOf(row: Row): FollowUp {
  const text = (value: unknown) => (value === null || value === undefined ? null : String(value));
  return {
    followup_id: String(row.followup_id),
    answer_id: String(row.answer_id),
    survey_id: String(row.survey_id),
    survey_name: text(row.survey_name),
    response_id: String(row.response_id),
    account_id: text(row.account_id),
    contact_id: text(row.contact_id),
    reason: row.reason as FollowUpReason,
    score: Number(row.score),
    comment: text(row.comment),
    assignee: text(row.assignee),
    status: row.status as FollowUpStatus,
    note: text(row.note),
    created_at: (row.created_at as Date).toISOString(),
    updated_at: (row.updated_at as Date).toISOString(),
  };
}

/** Follow-ups, newest first, filtered by any of status, assignee and survey. */
export async function listFollowUps(
  store: Store,
  query: {
    status?: FollowUpStatus | undefined;
    assignee?: string | undefined;
    survey_id?: string | undefined;
    limit: number;
    offset: number;
  },
): Promise<{ items: FollowUp[]; total: number }> {
  const where: string[] = [];
  const params: unknown[] = [];
  for (const column of ['status', 'assignee', 'survey_id'] as const) {
    const value = query[column];
    if (value !== undefined) {
      params.push(value);
      where.push(`f.${column} = $${params.length}`);
    }
  }
  const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const [count] = await store.query(`SELECT count(*) AS n FROM followups f ${filter}`, params);
  const rows = await store.query(
    `${SELECT} ${filter} ORDER BY f.created_at DESC, f.followup_id
     LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, query.limit, query.offset],
  );
  return { items: rows.map(followUpOf), total: Number(count?.n ?? 0) };
}

/** One follow-up, or null. */
export async function findFollowUp(store: Store, id: string): Promise<FollowUp | null> {
  const [row] = await store.query(`${SELECT} WHERE f.followup_id = $1`, [id]);
  return row ? followUpOf(row) : null;
}

/**
 * Assigns, moves or annotates a follow-up (null clears assignee or note) and returns it. An unknown id is a
 * not_found error, a status other than open, in_progress or closed an invalid_input error.
 */
export async function updateFollowUp(
  store: Store,
  id: string,
  change: FollowUpChange,
  now: Date,
): Promise<FollowUp> {
  if (change.status !== undefined && !(FOLLOW_UP_STATUSES as readonly string[]).includes(change.status)) {
    const message = `status must be one of ${FOLLOW_UP_STATUSES.join(', ')} (got "${change.status}")`;
    throw new FidelioError('invalid_input', 'unknown_status', message, [
      { file: 'follow-up', line: 0, column: '$.status', value: change.status, rule: 'enum', message },
    ]);
  }
  return store.transaction(async () => {
    if (!(await findFollowUp(store, id))) {
      throw new FidelioError('not_found', 'unknown_follow_up', `no follow-up ${id} in this workspace`);
    }
    const sets = ['updated_at = CAST($2 AS TIMESTAMP)'];
    const params: unknown[] = [id, timestampParam(now)];
    for (const column of ['assignee', 'status', 'note'] as const) {
      if (change[column] !== undefined) {
        params.push(change[column]);
        sets.push(`${column} = $${params.length}`);
      }
    }
    await store.run(`UPDATE followups SET ${sets.join(', ')} WHERE followup_id = $1`, params);
    return (await findFollowUp(store, id))!;
  });
}

/** The addresses notified of new follow-ups (the `followup_recipients` setting; none when unset). */
export async function followUpRecipients(store: Store): Promise<string[]> {
  const [row] = await store.query('SELECT value FROM survey_settings WHERE key = $1', [RECIPIENTS_SETTING]);
  if (!row) return [];
  const parsed: unknown = JSON.parse(String(row.value));
  return Array.isArray(parsed) ? parsed.filter((a): a is string => typeof a === 'string') : [];
}

/** Replaces the notified addresses (duplicates dropped) and returns them. */
export async function setFollowUpRecipients(store: Store, recipients: readonly string[]): Promise<string[]> {
  const unique = [...new Set(recipients)];
  await store.run(
    `INSERT INTO survey_settings (key, value) VALUES ($1, $2)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    [RECIPIENTS_SETTING, JSON.stringify(unique)],
  );
  return unique;
}

const REASON_TEXT: Record<FollowUpReason, (score: number) => string> = {
  detractor: (score) => `NPS ${score} of 10 (a detractor)`,
  low_csat: (score) => `CSAT ${score} of 5 (low)`,
};

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The notice e-mail of a new follow-up: who, which survey, the score and the comment. */
function followUpNotice(item: FollowUp, to: string): MailMessage {
  const survey = (item.survey_name ?? item.survey_id).replace(/[\r\n]+/g, ' ');
  const scored = REASON_TEXT[item.reason](item.score);
  const details: [string, string][] = [
    ['Survey', survey],
    ['Score', scored],
    ['Comment', item.comment ?? '(none)'],
    ['Account', item.account_id ?? '—'],
    ['Contact', item.contact_id ?? '—'],
    ['Follow-up', `${item.followup_id} (${item.status})`],
  ];
  const next = `Assign it and record what was done with PATCH /api/v1/follow-ups/${item.followup_id}.`;
  return {
    to,
    subject: `Follow-up needed: ${scored} on "${survey}"`,
    text: `A respondent needs a follow-up.\n\n${details.map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${next}\n`,
    html:
      '<p>A respondent needs a follow-up.</p><table>' +
      details.map(([k, v]) => `<tr><th align="left">${k}</th><td>${escapeHtml(v)}</td></tr>`).join('') +
      `</table><p>${escapeHtml(next)}</p>`,
  };
}
