// Who is asked and how: waves, the audience of a survey, invitations (through the fatigue rules), invitation and
// reminder e-mails, and the bookkeeping of opened links. Set-based: a wave may be 100,000 contacts.
import { randomBytes } from 'node:crypto';
import type { Write } from '../alerts/deliver.js';
import { FidelioError } from '../domain/errors.js';
import { type Store, sqlTimestamp } from '../store/store.js';
import { type AskDecision, decideAsks } from './fatigue.js';
import { invitationMail } from './invitation-mail.js';
import type { Mailer } from './mailer.js';
import { reminderInstants } from './schedule.js';
import type { Survey } from './survey.js';
import {
  anonymousNonce,
  anonymousToken,
  ensureTokenSecret,
  newTokenKey,
  personalToken,
  tokenSecret,
} from './tokens.js';

/** One sending of a survey; anonymous surveys keep a token key while it is open (see tokens.ts). */
export interface Wave {
  wave_id: string;
  survey_id: string;
  scheduled_for: Date | null;
  started_at: Date;
  closes_at: Date | null;
  /** Erased when the wave closes: from then on no one can tie a contact to their anonymous token. */
  token_key: string | null;
  reminders_sent: number;
  /** Anonymous waves: how many times a link was first opened (no open is recorded per person). */
  opened: number;
}

export type InvitationChannel = 'email' | 'link' | 'widget' | 'api';

export interface Invited {
  invitation_id: string;
  contact_id: string;
  /** The token of the person's link (personal, or anonymous for anonymous surveys). */
  token: string;
}

export interface InviteRequest {
  contactIds: readonly string[];
  channel: InvitationChannel;
  waveId: string | null;
  /** What the invitation is about (e.g. the ticket of an FCR survey), kept with it. */
  context?: Record<string, string>;
  now: Date;
}

export interface Delivery {
  sent: number;
  failed: { invitation_id: string; error: string }[];
}

/** How many e-mails are handed to the SMTP server at once. */
const MAIL_CONCURRENCY = 4;
const WAVE_COLUMNS =
  'wave_id, survey_id, scheduled_for, started_at, closes_at, token_key, reminders_sent, opened';

const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;
const at = (instant: Date) => sqlTimestamp(instant);
/** A list of ids as one JSON parameter, unnested in SQL (one statement, however many ids). */
const idList = (ids: readonly string[]) => JSON.stringify(ids);
const UNNEST_IDS = `SELECT unnest(from_json($1, '["VARCHAR"]')) AS id`;

function waveOf(row: Record<string, unknown>): Wave {
  return {
    wave_id: String(row.wave_id),
    survey_id: String(row.survey_id),
    scheduled_for: (row.scheduled_for as Date | null) ?? null,
    started_at: row.started_at as Date,
    closes_at: (row.closes_at as Date | null) ?? null,
    token_key: row.token_key === null ? null : String(row.token_key),
    reminders_sent: Number(row.reminders_sent),
    opened: Number(row.opened),
  };
}

export async function loadWave(store: Store, waveId: string): Promise<Wave | null> {
  const rows = await store.query(`SELECT ${WAVE_COLUMNS} FROM survey_waves WHERE wave_id = $1`, [waveId]);
  return rows[0] ? waveOf(rows[0]) : null;
}

/** Whether a wave takes answers at `now`: not past closes_at, and an anonymous wave still holds its key. */
export function waveOpen(wave: Wave, survey: Pick<Survey, 'anonymous'>, now: Date): boolean {
  if (wave.closes_at && wave.closes_at <= now) return false;
  return !survey.anonymous || wave.token_key !== null;
}

/**
 * Starts a wave of `survey` (the scheduled one at `scheduledFor`, or an unscheduled one when null). Starting a
 * scheduled wave twice returns the first. Anonymous surveys get a random token key.
 */
export async function startWave(
  store: Store,
  survey: Survey,
  scheduledFor: Date | null,
  now: Date,
  closesAt?: Date,
): Promise<Wave> {
  const waveId = newId('wav');
  await store.run(
    `INSERT INTO survey_waves (wave_id, survey_id, scheduled_for, started_at, closes_at, token_key)
     VALUES ($1, $2, ${scheduledFor ? at(scheduledFor) : 'NULL'}, ${at(now)}, ${closesAt ? at(closesAt) : 'NULL'}, $3)
     ON CONFLICT DO NOTHING`,
    [waveId, survey.survey_id, survey.anonymous ? newTokenKey() : null],
  );
  const rows = scheduledFor
    ? await store.query(
        `SELECT ${WAVE_COLUMNS} FROM survey_waves WHERE survey_id = $1 AND scheduled_for = ${at(scheduledFor)}`,
        [survey.survey_id],
      )
    : await store.query(`SELECT ${WAVE_COLUMNS} FROM survey_waves WHERE wave_id = $1`, [waveId]);
  return waveOf(rows[0]!);
}

/** Closes a wave now (or keeps an earlier closes_at) and erases its token key. */
export async function closeWave(store: Store, waveId: string, now: Date): Promise<void> {
  await store.run(
    `UPDATE survey_waves SET token_key = NULL,
       closes_at = CASE WHEN closes_at IS NULL OR closes_at > ${at(now)} THEN ${at(now)} ELSE closes_at END
     WHERE wave_id = $1`,
    [waveId],
  );
}

/** Erases the token key of every wave whose closes_at has passed (the scheduler runs this). */
export async function closeExpiredWaves(store: Store, now: Date): Promise<void> {
  await store.run(
    `UPDATE survey_waves SET token_key = NULL WHERE token_key IS NOT NULL AND closes_at <= ${at(now)}`,
  );
}

/**
 * The contacts a survey goes to. Customers: contacts of kind customer whose account is in the filter's segments
 * and account ids (each filter given narrows). Employees: contacts of kind employee in the filter's teams.
 * Unsubscribed contacts are left out.
 */
export async function audienceContactIds(store: Store, survey: Survey): Promise<string[]> {
  const filter = survey.audience_filter;
  const where = ['c.unsubscribed_at IS NULL'];
  const params: unknown[] = [];
  const inList = (expr: string, values: readonly string[] | undefined) => {
    if (values === undefined) return;
    params.push(idList(values));
    where.push(`${expr} IN (SELECT unnest(from_json($${params.length}, '["VARCHAR"]')))`);
  };
  if (survey.audience === 'customers') {
    where.push("c.kind = 'customer'");
    inList('c.account_id', filter.account_ids);
    if (filter.segments !== undefined) {
      inList('a.segment', filter.segments);
      where.push('a.account_id IS NOT NULL');
    }
  } else {
    where.push("c.kind = 'employee'");
    inList('c.team', filter.teams);
  }
  const rows = await store.query<{ contact_id: string }>(
    `SELECT c.contact_id FROM contacts c LEFT JOIN accounts a ON a.account_id = c.account_id
     WHERE ${where.join(' AND ')} ORDER BY c.contact_id`,
    params,
  );
  return rows.map((r) => r.contact_id);
}

/**
 * Invites the contacts the fatigue rules let `survey` ask now (their decisions are audited), in one transaction.
 * Links, widget and API invitations count as sent now; e-mail ones once the SMTP server accepts the message.
 * Anonymous surveys need an open wave: their tokens come from its key, not from the invitation.
 */
export async function inviteContacts(
  store: Store,
  survey: Survey,
  request: InviteRequest,
): Promise<{ invited: Invited[]; notAsked: AskDecision[] }> {
  return store.transaction(async () => {
    const secret = await ensureTokenSecret(store);
    const wave = request.waveId ? await loadWave(store, request.waveId) : null;
    if (request.waveId && wave?.survey_id !== survey.survey_id) {
      throw new FidelioError(
        'not_found',
        'unknown_wave',
        `survey ${survey.survey_id} has no wave ${request.waveId}`,
      );
    }
    const tokenKey = wave?.token_key ?? null;
    if (survey.anonymous && (!wave || !tokenKey || !waveOpen(wave, survey, request.now))) {
      throw new FidelioError('conflict', 'no_open_wave', 'anonymous invitations belong to an open wave');
    }
    const decisions = await decideAsks(store, {
      survey: {
        survey_id: survey.survey_id,
        template: survey.template,
        name: survey.name,
        audience: survey.audience,
      },
      channel: request.channel,
      contactIds: request.contactIds,
      waveId: request.waveId,
      now: request.now,
    });
    const invited = decisions
      .filter((d) => d.asked)
      .map((d) => {
        const invitation_id = newId('inv');
        const token =
          tokenKey && wave
            ? anonymousToken(secret, wave.wave_id, tokenKey, d.contact_id)
            : personalToken(secret, invitation_id);
        return { invitation_id, contact_id: d.contact_id, token };
      });
    if (invited.length > 0) {
      const sentAt = request.channel === 'email' ? 'NULL' : at(request.now);
      await store.run(
        `INSERT INTO survey_invitations (invitation_id, survey_id, wave_id, contact_id, channel, context, created_at, sent_at)
         SELECT i.invitation_id, $2, $3, i.contact_id, $4, $5, ${at(request.now)}, ${sentAt}
         FROM (SELECT unnest(from_json($1, '[{"invitation_id":"VARCHAR","contact_id":"VARCHAR"}]'), recursive := true)) i`,
        [
          JSON.stringify(invited.map(({ invitation_id, contact_id }) => ({ invitation_id, contact_id }))),
          survey.survey_id,
          request.waveId,
          request.channel,
          request.context ? JSON.stringify(request.context) : null,
        ],
      );
    }
    return { invited, notAsked: decisions.filter((d) => !d.asked) };
  });
}

interface Recipient {
  invitation_id: string;
  email: string | null;
  name: string | null;
  locale: string | null;
  token: string;
}

/** Sends each message through `mailer`, a few at a time; says which were accepted and why others were not. */
async function deliver(
  mailer: Mailer,
  recipients: readonly Recipient[],
  message: (r: Recipient & { email: string }) => Parameters<Mailer['send']>[0],
): Promise<{ accepted: string[]; failed: Delivery['failed'] }> {
  const accepted: string[] = [];
  const failed: Delivery['failed'] = [];
  let next = 0;
  const worker = async () => {
    while (next < recipients.length) {
      const r = recipients[next++]!;
      if (!r.email) {
        failed.push({ invitation_id: r.invitation_id, error: 'no e-mail address' });
        continue;
      }
      try {
        await mailer.send(message({ ...r, email: r.email }));
        accepted.push(r.invitation_id);
      } catch (error) {
        failed.push({ invitation_id: r.invitation_id, error: (error as Error).message.slice(0, 500) });
      }
    }
  };
  await Promise.all(Array.from({ length: MAIL_CONCURRENCY }, worker));
  return { accepted, failed };
}

/** Records delivery errors of a round of e-mails, in one statement. */
async function recordFailures(store: Store, failed: Delivery['failed']): Promise<void> {
  if (failed.length === 0) return;
  await store.run(
    `UPDATE survey_invitations SET delivery_error = f.error
     FROM (SELECT unnest(from_json($1, '[{"invitation_id":"VARCHAR","error":"VARCHAR"}]'), recursive := true)) f
     WHERE survey_invitations.invitation_id = f.invitation_id`,
    [JSON.stringify(failed)],
  );
}

async function recipientsOf(store: Store, invited: readonly Invited[]): Promise<Recipient[]> {
  const token = new Map(invited.map((i) => [i.invitation_id, i.token]));
  const rows = await store.query<Omit<Recipient, 'token'>>(
    `SELECT i.invitation_id, c.email, c.name, c.locale
     FROM survey_invitations i JOIN contacts c ON c.contact_id = i.contact_id
     WHERE i.invitation_id IN (${UNNEST_IDS}) ORDER BY i.invitation_id`,
    [idList([...token.keys()])],
  );
  return rows.map((r) => ({ ...r, token: token.get(r.invitation_id)! }));
}

/**
 * E-mails the invitations `inviteContacts` created (in each contact's language), then marks those the SMTP server
 * accepted as sent at `now` and records why the others failed. `baseUrl` is where this workspace's respondent pages
 * live (`https://host/s/<workspace>`, see respondentBaseUrl). Sending takes a while for a large wave, so the
 * server reads from `store` and passes its commit queue as `write`: no transaction waits on the SMTP server.
 */
export async function sendInvitationEmails(
  store: Store,
  mailer: Mailer,
  survey: Survey,
  invited: readonly Invited[],
  baseUrl: string,
  now: Date,
  write: Write = (work) => work(store),
): Promise<Delivery> {
  if (invited.length === 0) return { sent: 0, failed: [] };
  const recipients = await recipientsOf(store, invited);
  const outcome = await deliver(mailer, recipients, (r) =>
    invitationMail({ survey, recipient: r, baseUrl, reminder: false }),
  );
  await write(async (w) => {
    await w.run(
      `UPDATE survey_invitations SET sent_at = ${at(now)}, delivery_error = NULL
       WHERE invitation_id IN (${UNNEST_IDS})`,
      [idList(outcome.accepted)],
    );
    await recordFailures(w, outcome.failed);
  });
  return { sent: outcome.accepted.length, failed: outcome.failed };
}

/** When reminder number `sent + 1` of a wave is due, or null when every reminder has gone. */
function reminderDue(survey: Survey, wave: Wave, sent: number): Date | null {
  const due = reminderInstants(wave.scheduled_for ?? wave.started_at, survey.reminders.after_days);
  return sent < survey.reminders.count ? (due[sent] ?? null) : null;
}

/**
 * Sends the reminders of a wave that are due at `now` (survey.reminders: at most `count`, each `after_days[k]` after
 * the wave), one per person per call. Personal surveys remind the e-mail invitees who have not completed an
 * answer, counted per invitation. Anonymous surveys cannot know who answered, so they remind every e-mail invitee
 * (the message says to ignore it if already answered), counted per wave; their tokens come from the wave's key, so
 * a closed wave sends none. Unsubscribed contacts get none.
 */
export async function sendReminders(
  store: Store,
  mailer: Mailer,
  survey: Survey,
  wave: Wave,
  baseUrl: string,
  now: Date,
  write: Write = (work) => work(store),
): Promise<Delivery> {
  if (survey.anonymous) return remindAnonymousWave(store, mailer, survey, wave, baseUrl, now, write);
  const rows = await store.query<Omit<Recipient, 'token'> & { reminders_sent: number }>(
    `SELECT i.invitation_id, c.email, c.name, c.locale, i.reminders_sent
     FROM survey_invitations i JOIN contacts c ON c.contact_id = i.contact_id
     WHERE i.wave_id = $1 AND i.channel = 'email' AND i.sent_at IS NOT NULL AND c.unsubscribed_at IS NULL
       AND i.reminders_sent < $2
       AND NOT EXISTS (SELECT 1 FROM survey_answers a
                       WHERE a.invitation_id = i.invitation_id AND a.completed_at IS NOT NULL)
     ORDER BY i.invitation_id`,
    [wave.wave_id, survey.reminders.count],
  );
  const secret = await tokenSecret(store);
  if (!secret) return { sent: 0, failed: [] };
  const recipients = rows
    .filter((r) => {
      const due = reminderDue(survey, wave, Number(r.reminders_sent));
      return due !== null && due <= now;
    })
    .map((r) => ({ ...r, token: personalToken(secret, r.invitation_id) }));
  const outcome = await deliver(mailer, recipients, (r) =>
    invitationMail({ survey, recipient: r, baseUrl, reminder: true }),
  );
  await write(async (w) => {
    await w.run(
      `UPDATE survey_invitations SET reminders_sent = reminders_sent + 1, last_reminded_at = ${at(now)}
       WHERE invitation_id IN (${UNNEST_IDS})`,
      [idList(outcome.accepted)],
    );
    await recordFailures(w, outcome.failed);
  });
  return { sent: outcome.accepted.length, failed: outcome.failed };
}

async function remindAnonymousWave(
  store: Store,
  mailer: Mailer,
  survey: Survey,
  wave: Wave,
  baseUrl: string,
  now: Date,
  write: Write,
): Promise<Delivery> {
  const due = reminderDue(survey, wave, wave.reminders_sent);
  const secret = await tokenSecret(store);
  const key = wave.token_key;
  if (!due || due > now || !secret || !key || !waveOpen(wave, survey, now)) return { sent: 0, failed: [] };
  const rows = await store.query<Omit<Recipient, 'token'> & { contact_id: string }>(
    `SELECT i.invitation_id, i.contact_id, c.email, c.name, c.locale
     FROM survey_invitations i JOIN contacts c ON c.contact_id = i.contact_id
     WHERE i.wave_id = $1 AND i.channel = 'email' AND i.sent_at IS NOT NULL AND c.unsubscribed_at IS NULL
     ORDER BY i.invitation_id`,
    [wave.wave_id],
  );
  const recipients = rows.map(({ contact_id, ...r }) => ({
    ...r,
    token: anonymousToken(secret, wave.wave_id, key, contact_id),
  }));
  const outcome = await deliver(mailer, recipients, (r) =>
    invitationMail({ survey, recipient: r, baseUrl, reminder: true }),
  );
  await write(async (w) => {
    await w.run('UPDATE survey_waves SET reminders_sent = reminders_sent + 1 WHERE wave_id = $1', [
      wave.wave_id,
    ]);
    await recordFailures(w, outcome.failed);
  });
  return { sent: outcome.accepted.length, failed: outcome.failed };
}

/** A personal invitation's link was opened: the first time is kept. */
export async function markInvitationOpened(store: Store, invitationId: string, now: Date): Promise<void> {
  await store.run(
    `UPDATE survey_invitations SET opened_at = ${at(now)} WHERE invitation_id = $1 AND opened_at IS NULL`,
    [invitationId],
  );
}

/** The contact asked to receive no more surveys by e-mail (the first request is kept). */
export async function unsubscribeContact(store: Store, contactId: string, now: Date): Promise<void> {
  await store.run(
    `UPDATE contacts SET unsubscribed_at = ${at(now)} WHERE contact_id = $1 AND unsubscribed_at IS NULL`,
    [contactId],
  );
}

/** An anonymous link of the wave was opened: counted, never recorded per person. */
export async function countWaveOpened(store: Store, waveId: string): Promise<void> {
  await store.run('UPDATE survey_waves SET opened = opened + 1 WHERE wave_id = $1', [waveId]);
}

/** The team of each nonce of an open anonymous wave, kept in memory only (a few waves at a time). */
const teamsOfWave = new Map<string, Map<string, string | null>>();
const WAVES_REMEMBERED = 4;

/**
 * The team of the employee holding an anonymous token of `wave` (by the token's nonce), or null. It recomputes the
 * nonce of every invitee with the wave's key, which only works while the wave is open; the answer then stores the
 * team and nothing that names the person. The map lives in memory only.
 */
export async function anonymousTeam(store: Store, wave: Wave, nonce: string): Promise<string | null> {
  const known = teamsOfWave.get(wave.wave_id);
  if (known?.has(nonce)) return known.get(nonce) ?? null;
  const key = wave.token_key;
  if (!key) return null;
  const rows = await store.query<{ contact_id: string; team: string | null }>(
    `SELECT DISTINCT i.contact_id, c.team FROM survey_invitations i JOIN contacts c ON c.contact_id = i.contact_id
     WHERE i.wave_id = $1`,
    [wave.wave_id],
  );
  const teams = new Map(rows.map((r) => [anonymousNonce(key, r.contact_id), r.team]));
  if (teamsOfWave.size >= WAVES_REMEMBERED) teamsOfWave.delete(teamsOfWave.keys().next().value!);
  teamsOfWave.set(wave.wave_id, teams);
  return teams.get(nonce) ?? null;
}

/** Where a workspace's respondent pages live: the base of every survey link in e-mails. */
export function respondentBaseUrl(origin: string, workspace: string): string {
  return `${origin.replace(/\/+$/, '')}/s/${encodeURIComponent(workspace)}`;
}
