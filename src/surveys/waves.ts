// What the survey scheduler finds to do in a workspace: scheduled waves that are due, invitation e-mails still to
// send (e-mail invitations are a durable queue: created unsent, sent by the scheduler, so a crash loses none),
// and waves whose reminders may be due.
import { type Store, sqlTimestamp } from '../store/store.js';
import type { AskDecision } from './fatigue.js';
import {
  audienceContactIds,
  type InvitationChannel,
  type Invited,
  inviteContacts,
  loadWave,
  startWave,
  type Wave,
} from './invitations.js';
import { dueOccurrence } from './schedule.js';
import type { Survey } from './survey.js';
import { listSurveys } from './survey-store.js';
import { anonymousToken, personalToken, tokenSecret } from './tokens.js';

/** An anonymous wave takes answers this long after its last reminder, then its token key is erased. */
export const ANSWER_WINDOW_DAYS = 7;
const DAY_MS = 86_400_000;

/** When a wave started at `start` stops taking answers: a week after its last reminder. */
export function waveClosesAt(survey: Survey, start: Date): Date {
  const lastReminder = survey.reminders.after_days.at(-1) ?? 0;
  return new Date(start.getTime() + (lastReminder + ANSWER_WINDOW_DAYS) * DAY_MS);
}

export interface WaveStart {
  survey: Survey;
  wave: Wave;
  invited: Invited[];
  notAsked: AskDecision[];
}

/**
 * Starts one wave of `survey` for `contactIds` (default: its whole audience) by `channel` (e-mail invitations are
 * queued, unsent) and returns who was and was not asked. `scheduledFor` is the schedule's instant, or null for a
 * wave sent by hand or through the API.
 */
export async function sendWave(
  store: Store,
  survey: Survey,
  scheduledFor: Date | null,
  channel: InvitationChannel,
  now: Date,
  contactIds?: readonly string[],
  context?: Record<string, string>,
): Promise<WaveStart> {
  const wave = await startWave(store, survey, scheduledFor, now, waveClosesAt(survey, scheduledFor ?? now));
  const { invited, notAsked } = await inviteContacts(store, survey, {
    contactIds: contactIds ?? (await audienceContactIds(store, survey)),
    channel,
    waveId: wave.wave_id,
    now,
    ...(context ? { context } : {}),
  });
  return { survey, wave, invited, notAsked };
}

/** Starts the due wave of every active scheduled survey (after downtime, only the latest missed one). */
export async function startDueWaves(store: Store, now: Date): Promise<WaveStart[]> {
  const scheduled = (await listSurveys(store)).filter(
    (s) => s.status === 'active' && s.schedule !== null && s.channels.includes('email'),
  );
  const started: WaveStart[] = [];
  for (const survey of scheduled) {
    const [last] = await store.query<{ at: Date | null }>(
      'SELECT max(scheduled_for) AS at FROM survey_waves WHERE survey_id = $1',
      [survey.survey_id],
    );
    const due = dueOccurrence(survey.schedule!, last?.at ?? null, now);
    if (due) started.push(await sendWave(store, survey, due, 'email', now));
  }
  return started;
}

export interface PendingEmails {
  survey: Survey;
  invited: Invited[];
}

/**
 * Up to `limit` e-mail invitations not yet handed to the SMTP server (and not failed), by survey, with their
 * tokens worked out again from the workspace secret (and, for anonymous waves, the open wave's key).
 */
export async function pendingInvitationEmails(
  store: Store,
  now: Date,
  limit: number,
): Promise<PendingEmails[]> {
  const secret = await tokenSecret(store);
  if (!secret) return [];
  const rows = await store.query<{
    invitation_id: string;
    contact_id: string;
    survey_id: string;
    wave_id: string | null;
  }>(
    `SELECT i.invitation_id, i.contact_id, i.survey_id, i.wave_id
     FROM survey_invitations i JOIN surveys s ON s.survey_id = i.survey_id
     LEFT JOIN survey_waves w ON w.wave_id = i.wave_id
     WHERE i.channel = 'email' AND i.sent_at IS NULL AND i.delivery_error IS NULL AND s.status = 'active'
       AND (NOT s.anonymous OR (w.token_key IS NOT NULL AND (w.closes_at IS NULL OR w.closes_at > ${sqlTimestamp(now)})))
     ORDER BY i.created_at, i.invitation_id LIMIT ${Math.floor(limit)}`,
  );
  const surveys = new Map((await listSurveys(store)).map((s) => [s.survey_id, s]));
  const waves = new Map<string, Wave | null>();
  const bySurvey = new Map<string, PendingEmails>();
  for (const row of rows) {
    const survey = surveys.get(row.survey_id)!;
    let token = personalToken(secret, row.invitation_id);
    if (survey.anonymous) {
      if (!waves.has(row.wave_id!)) waves.set(row.wave_id!, await loadWave(store, row.wave_id!));
      const wave = waves.get(row.wave_id!)!;
      token = anonymousToken(secret, wave.wave_id, wave.token_key!, row.contact_id);
    }
    const entry = bySurvey.get(survey.survey_id) ?? { survey, invited: [] };
    entry.invited.push({ invitation_id: row.invitation_id, contact_id: row.contact_id, token });
    bySurvey.set(survey.survey_id, entry);
  }
  return [...bySurvey.values()];
}

/** The open waves of active surveys that send reminders: the scheduler asks each whether one is due. */
export async function wavesWithReminders(store: Store, now: Date): Promise<{ survey: Survey; wave: Wave }[]> {
  const surveys = (await listSurveys(store)).filter((s) => s.status === 'active' && s.reminders.count > 0);
  const found: { survey: Survey; wave: Wave }[] = [];
  for (const survey of surveys) {
    const rows = await store.query<{ wave_id: string }>(
      `SELECT wave_id FROM survey_waves
       WHERE survey_id = $1 AND (closes_at IS NULL OR closes_at > ${sqlTimestamp(now)})`,
      [survey.survey_id],
    );
    for (const { wave_id } of rows) found.push({ survey, wave: (await loadWave(store, wave_id))! });
  }
  return found;
}
