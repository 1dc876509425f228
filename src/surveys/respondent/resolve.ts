// Whose page a survey link opens: a personal or anonymous token (checked against the workspace's secret), or a
// survey's public link; and whether that survey takes answers now.
import type { Store } from '../../store/store.js';
import type { Respondent } from '../answers.js';
import { loadWave, type Wave, waveOpen } from '../invitations.js';
import type { Channel, Survey } from '../survey.js';
import { loadSurvey, loadSurveyByPublicId } from '../survey-store.js';
import { nonceOf, tokenHash, tokenSecret, verifyToken } from '../tokens.js';

/** Why a link cannot be answered: unknown or forged (404), closed or expired (410), not open yet or paused. */
export type Refusal = 'not_found' | 'closed' | 'paused';

export type TokenTarget =
  | {
      kind: 'personal';
      survey: Survey;
      invitationId: string;
      contactId: string;
      channel: Channel;
      /** The contact's locale, which their page speaks. */
      locale: string | null;
      opened: boolean;
    }
  | { kind: 'anonymous'; survey: Survey; wave: Wave; tokenHash: string; nonce: string };

/** The survey's own refusal, if any: only active surveys take answers. */
function refusalOf(survey: Survey): Refusal | null {
  if (survey.status === 'closed') return 'closed';
  return survey.status === 'active' ? null : 'paused';
}

/** What a token opens, or why it opens nothing. */
export async function resolveToken(store: Store, token: string, now: Date): Promise<TokenTarget | Refusal> {
  const secret = await tokenSecret(store);
  const claim = secret ? verifyToken(secret, token) : null;
  if (!claim) return 'not_found';
  if (claim.kind === 'personal') {
    const rows = await store.query<{
      survey_id: string;
      wave_id: string | null;
      contact_id: string;
      channel: Channel;
      locale: string | null;
      opened_at: Date | null;
    }>(
      `SELECT i.survey_id, i.wave_id, i.contact_id, i.channel, c.locale, i.opened_at
       FROM survey_invitations i LEFT JOIN contacts c ON c.contact_id = i.contact_id WHERE i.invitation_id = $1`,
      [claim.invitationId],
    );
    const row = rows[0];
    const survey = row ? await loadSurvey(store, row.survey_id) : null;
    if (!row || !survey || survey.anonymous) return 'not_found';
    const wave = row.wave_id ? await loadWave(store, row.wave_id) : null;
    if (wave && !waveOpen(wave, survey, now)) return 'closed';
    return (
      refusalOf(survey) ?? {
        kind: 'personal',
        survey,
        invitationId: claim.invitationId,
        contactId: row.contact_id,
        channel: row.channel,
        locale: row.locale,
        opened: row.opened_at !== null,
      }
    );
  }
  const wave = await loadWave(store, claim.waveId);
  const survey = wave ? await loadSurvey(store, wave.survey_id) : null;
  if (!wave || !survey?.anonymous) return 'not_found';
  if (!waveOpen(wave, survey, now)) return 'closed';
  return (
    refusalOf(survey) ?? {
      kind: 'anonymous',
      survey,
      wave,
      tokenHash: tokenHash(token),
      nonce: nonceOf(token),
    }
  );
}

/** The survey a public link opens: it must offer the anonymous-link channel. */
export async function resolvePublicLink(store: Store, publicId: string): Promise<Survey | Refusal> {
  const survey = await loadSurveyByPublicId(store, publicId);
  if (!survey?.channels.includes('anonymous_link') || survey.anonymous) return 'not_found';
  return refusalOf(survey) ?? survey;
}

/**
 * The channel an answer came through. An anonymous token cannot say (that would need its person's invitation):
 * e-mail when the survey is e-mailed, else a link.
 */
export function tokenChannel(target: TokenTarget): Channel {
  if (target.kind === 'personal') return target.channel;
  return target.survey.channels.includes('email') ? 'email' : 'link';
}

/** The respondent of a token's page for reading its answer (the team matters only when recording one). */
export function tokenRespondent(target: TokenTarget, team: string | null = null): Respondent {
  return target.kind === 'personal'
    ? { kind: 'invitation', invitation_id: target.invitationId }
    : { kind: 'anonymous_token', token_hash: target.tokenHash, wave_id: target.wave.wave_id, team };
}
