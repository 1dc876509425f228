// Follow-ups on a real DuckDB store: which answers open one, idempotency, anonymity, the webhook deliveries and
// e-mails queued in the same transaction, and the notice delivered to a real local SMTP server.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSmtpServer } from '../../test/support/smtp.js';
import { deliverDue } from '../alerts/deliver.js';
import { createWebhook } from '../alerts/webhooks.js';
import { FidelioError } from '../domain/errors.js';
import { type DuckDbStore, openDuckDbStore } from '../store/duckdb-store.js';
import {
  type AnsweredSurvey,
  followUpRecipients,
  listFollowUps,
  openFollowUps,
  type ScoredResponse,
  setFollowUpRecipients,
  updateFollowUp,
} from './follow-ups.js';
import { smtpMailer } from './mailer.js';

const NOW = new Date('2025-03-10T09:30:00Z');
const ANSWER: AnsweredSurvey = {
  answer_id: 'ans-1',
  survey_id: 'srv-1',
  survey_name: 'Q1 relationship NPS',
  account_id: 'acct-7',
  contact_id: 'ct-42',
};
const response = (
  id: string,
  metric: string,
  score: number,
  comment: string | null = null,
): ScoredResponse => ({
  response_id: id,
  metric,
  score,
  comment,
});

let store: DuckDbStore;
beforeEach(async () => {
  store = await openDuckDbStore(':memory:');
});
afterEach(async () => {
  await store.close();
});

const count = async (table: string) =>
  Number((await store.query(`SELECT count(*) AS n FROM ${table}`))[0]!.n);

describe('openFollowUps', () => {
  it('opens one for each NPS detractor (0–6) and CSAT 1–2; not for passives, promoters, CSAT 3+ or eNPS', async () => {
    const opened = await openFollowUps(
      store,
      ANSWER,
      [
        response('r-nps0', 'nps', 0, 'Nothing works'),
        response('r-nps6', 'nps', 6),
        response('r-nps7', 'nps', 7),
        response('r-nps8', 'nps', 8),
        response('r-nps10', 'nps', 10),
        response('r-csat1', 'csat', 1),
        response('r-csat2', 'csat', 2, 'Slow'),
        response('r-csat3', 'csat', 3),
        response('r-csat5', 'csat', 5),
        response('r-enps0', 'enps', 0),
        response('r-ces7', 'ces', 7),
      ],
      NOW,
    );
    expect(opened.map((f) => [f.response_id, f.reason, f.score])).toEqual([
      ['r-nps0', 'detractor', 0],
      ['r-nps6', 'detractor', 6],
      ['r-csat1', 'low_csat', 1],
      ['r-csat2', 'low_csat', 2],
    ]);
    expect(opened[0]).toMatchObject({
      answer_id: 'ans-1',
      survey_id: 'srv-1',
      account_id: 'acct-7',
      contact_id: 'ct-42',
      comment: 'Nothing works',
      status: 'open',
      assignee: null,
      note: null,
      created_at: NOW.toISOString(),
    });
    const listed = await listFollowUps(store, { limit: 50, offset: 0 });
    expect(listed.total).toBe(4);
    expect(listed.items.map((f) => f.response_id).sort()).toEqual(['r-csat1', 'r-csat2', 'r-nps0', 'r-nps6']);
  });

  it('is idempotent by response: a repeated call (or a response given twice) opens and queues nothing more', async () => {
    await createWebhook(
      store,
      { url: 'https://hooks.example.com/x', events: ['followup.created'], allow_private: false },
      NOW,
    );
    await setFollowUpRecipients(store, ['cs-lead@example.com']);
    const responses = [response('r-1', 'nps', 3), response('r-1', 'nps', 3), response('r-2', 'csat', 1)];
    expect(await openFollowUps(store, ANSWER, responses, NOW)).toHaveLength(2);
    const before = [await count('followups'), await count('webhook_deliveries'), await count('alert_emails')];
    expect(before).toEqual([2, 2, 2]);
    expect(await openFollowUps(store, ANSWER, responses, new Date(NOW.getTime() + 60_000))).toEqual([]);
    expect([
      await count('followups'),
      await count('webhook_deliveries'),
      await count('alert_emails'),
    ]).toEqual(before);
  });

  it('takes the reason written after the score as its comment, without a second notice', async () => {
    await setFollowUpRecipients(store, ['cs-lead@example.com']);
    await openFollowUps(store, ANSWER, [response('r-1', 'nps', 2)], NOW);
    const later = new Date(NOW.getTime() + 30_000);
    expect(await openFollowUps(store, ANSWER, [response('r-1', 'nps', 2, 'Too slow')], later)).toEqual([]);
    const { items } = await listFollowUps(store, { limit: 10, offset: 0 });
    expect(items.map((f) => [f.comment, f.updated_at])).toEqual([['Too slow', later.toISOString()]]);
    expect(await count('alert_emails')).toBe(1);
  });

  it('never opens one for an anonymous answer (no account and no contact): it would de-anonymise', async () => {
    await setFollowUpRecipients(store, ['cs-lead@example.com']);
    const anonymous = { ...ANSWER, account_id: null, contact_id: null };
    expect(await openFollowUps(store, anonymous, [response('r-1', 'nps', 0, 'awful')], NOW)).toEqual([]);
    expect([await count('followups'), await count('alert_emails')]).toEqual([0, 0]);
    // One identifier is enough to follow up.
    expect(
      await openFollowUps(store, { ...anonymous, contact_id: 'ct-1' }, [response('r-2', 'nps', 0)], NOW),
    ).toHaveLength(1);
  });

  it('queues a delivery per subscribed webhook and an e-mail per recipient in the same transaction', async () => {
    await createWebhook(
      store,
      { url: 'https://a.example.com/', events: ['followup.created'], allow_private: false },
      NOW,
    );
    await createWebhook(
      store,
      { url: 'https://b.example.com/', events: ['followup.created'], allow_private: false },
      NOW,
    );
    await setFollowUpRecipients(store, ['a@example.com', 'b@example.com', 'a@example.com']);
    expect(await followUpRecipients(store)).toEqual(['a@example.com', 'b@example.com']);
    // A caller's transaction that fails after opening the follow-up leaves nothing behind.
    await expect(
      store.transaction(async () => {
        await openFollowUps(store, ANSWER, [response('r-1', 'nps', 2)], NOW);
        throw new Error('the answer could not be stored');
      }),
    ).rejects.toThrow('could not be stored');
    expect([
      await count('followups'),
      await count('webhook_deliveries'),
      await count('alert_emails'),
    ]).toEqual([0, 0, 0]);

    const [item] = await openFollowUps(store, ANSWER, [response('r-1', 'nps', 2, 'Too expensive')], NOW);
    expect([
      await count('followups'),
      await count('webhook_deliveries'),
      await count('alert_emails'),
    ]).toEqual([1, 2, 2]);
    const payloads = await store.query('SELECT payload, attempts, next_attempt_at FROM webhook_deliveries');
    for (const row of payloads) {
      const body = JSON.parse(String(row.payload));
      expect(body).toMatchObject({ type: 'followup.created', created_at: NOW.toISOString() });
      expect(body.data.followup).toEqual(item);
      expect([row.attempts, row.next_attempt_at]).toEqual([0, NOW]);
    }
  });
});

describe('updateFollowUp and listFollowUps', () => {
  it('assigns, moves and annotates; null clears; the list filters by status, assignee and survey', async () => {
    const [a, b] = await openFollowUps(
      store,
      ANSWER,
      [response('r-1', 'nps', 1), response('r-2', 'nps', 4)],
      NOW,
    );
    const later = new Date(NOW.getTime() + 3_600_000);
    const updated = await updateFollowUp(
      store,
      a!.followup_id,
      { assignee: 'maria@example.com', status: 'in_progress', note: 'Called, sending a fix' },
      later,
    );
    expect(updated).toMatchObject({
      assignee: 'maria@example.com',
      status: 'in_progress',
      note: 'Called, sending a fix',
      created_at: NOW.toISOString(),
      updated_at: later.toISOString(),
    });
    expect(await updateFollowUp(store, a!.followup_id, { note: null }, later)).toMatchObject({
      assignee: 'maria@example.com',
      note: null,
    });
    const page = { limit: 50, offset: 0 };
    const ids = async (filter: object) =>
      (await listFollowUps(store, { ...page, ...filter })).items.map((f) => f.followup_id);
    expect(await ids({ status: 'in_progress' })).toEqual([a!.followup_id]);
    expect(await ids({ status: 'open' })).toEqual([b!.followup_id]);
    expect(await ids({ assignee: 'maria@example.com' })).toEqual([a!.followup_id]);
    expect(await ids({ survey_id: 'srv-other' })).toEqual([]);
    expect((await listFollowUps(store, { limit: 1, offset: 1 })).total).toBe(2);
  });

  it('refuses an unknown id (not_found) and an unknown status (invalid_input, naming the values)', async () => {
    const [a] = await openFollowUps(store, ANSWER, [response('r-1', 'nps', 1)], NOW);
    await expect(updateFollowUp(store, 'fu_nope', { status: 'closed' }, NOW)).rejects.toMatchObject({
      kind: 'not_found',
      code: 'unknown_follow_up',
    });
    const bad = updateFollowUp(store, a!.followup_id, { status: 'done' }, NOW);
    await expect(bad).rejects.toBeInstanceOf(FidelioError);
    await expect(bad).rejects.toThrow('status must be one of open, in_progress, closed (got "done")');
    expect((await listFollowUps(store, { limit: 5, offset: 0 })).items[0]!.status).toBe('open');
  });
});

describe('the notice e-mail', () => {
  /** The shared local SMTP server, with a mailer to it; `refuse` makes it reject every recipient. */
  async function smtpServer(options: { refuse?: boolean } = {}) {
    const server = await startSmtpServer(options);
    const mailer = smtpMailer(server.url, 'Fidelio <alerts@fidelio.test>');
    const close = async () => {
      mailer.close();
      await server.close();
    };
    return { received: server.received, mailer, close };
  }

  it('reaches every recipient with the survey, score, comment, account, contact and follow-up id', async () => {
    const smtp = await smtpServer();
    try {
      await setFollowUpRecipients(store, ['lead@example.com', 'team@example.com']);
      const [item] = await openFollowUps(
        store,
        ANSWER,
        [response('r-1', 'nps', 3, 'Support <b>never</b> answers & "nobody" cares')],
        NOW,
      );
      expect(await deliverDue(store, NOW, { mailer: smtp.mailer })).toEqual({
        webhooks: { sent: 0, failed: 0, gaveUp: 0 },
        emails: { sent: 2, failed: 0, gaveUp: 0 },
      });
      expect(smtp.received.map((m) => m.to).sort()).toEqual([['lead@example.com'], ['team@example.com']]);
      const mail = smtp.received[0]!;
      expect(mail.subject).toBe('Follow-up needed: NPS 3 of 10 (a detractor) on "Q1 relationship NPS"');
      for (const detail of [
        'Survey: Q1 relationship NPS',
        'Comment: Support <b>never</b> answers & "nobody" cares',
        'Account: acct-7',
        'Contact: ct-42',
        `Follow-up: ${item!.followup_id} (open)`,
      ]) {
        expect(mail.text).toContain(detail);
      }
      // The respondent's words are text in the HTML part, never markup.
      expect(mail.html).toContain(
        'Support &#60;b&#62;never&#60;/b&#62; answers &#38; &#34;nobody&#34; cares',
      );
      expect(mail.html).not.toContain('<b>never');
      const rows = await store.query(
        'SELECT attempts, sent_at, next_attempt_at, last_error FROM alert_emails',
      );
      expect(rows).toEqual([
        { attempts: 1, sent_at: NOW, next_attempt_at: null, last_error: null },
        { attempts: 1, sent_at: NOW, next_attempt_at: null, last_error: null },
      ]);
      // Sent once: the next run finds nothing due.
      expect(
        (await deliverDue(store, new Date(NOW.getTime() + 86_400_000), { mailer: smtp.mailer })).emails.sent,
      ).toBe(0);
      expect(smtp.received).toHaveLength(2);
    } finally {
      await smtp.close();
    }
  });

  it('waits in the outbox without a mailer, and is retried a minute after the SMTP server refuses it', async () => {
    await setFollowUpRecipients(store, ['lead@example.com']);
    await openFollowUps(store, ANSWER, [response('r-1', 'csat', 1)], NOW);
    expect((await deliverDue(store, NOW)).emails).toEqual({ sent: 0, failed: 0, gaveUp: 0 });
    expect(await store.query('SELECT attempts FROM alert_emails')).toEqual([{ attempts: 0 }]);

    const refusing = await smtpServer({ refuse: true });
    try {
      expect((await deliverDue(store, NOW, { mailer: refusing.mailer })).emails.failed).toBe(1);
    } finally {
      await refusing.close();
    }
    const [row] = await store.query(
      'SELECT attempts, next_attempt_at, last_error, sent_at FROM alert_emails',
    );
    expect(row).toMatchObject({
      attempts: 1,
      next_attempt_at: new Date(NOW.getTime() + 60_000),
      sent_at: null,
    });
    expect(String(row!.last_error)).toContain('mailbox unavailable');

    const smtp = await smtpServer();
    try {
      expect(
        (await deliverDue(store, new Date(NOW.getTime() + 59_000), { mailer: smtp.mailer })).emails.sent,
      ).toBe(0);
      expect(
        (await deliverDue(store, new Date(NOW.getTime() + 60_000), { mailer: smtp.mailer })).emails.sent,
      ).toBe(1);
      expect(smtp.received[0]!.subject).toBe('Follow-up needed: CSAT 1 of 5 (low) on "Q1 relationship NPS"');
    } finally {
      await smtp.close();
    }
  });
});
