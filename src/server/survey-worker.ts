// The server's survey clock: every tick, in each workspace, it starts scheduled waves that are due, sends queued
// invitation e-mails and due reminders, erases the token keys of closed anonymous waves, and delivers follow-up
// webhooks and notices. Every write goes through the workspace's commit queue.
import { deliverDue } from '../alerts/deliver.js';
import { type Store, sqlTimestamp } from '../store/store.js';
import {
  closeExpiredWaves,
  respondentBaseUrl,
  sendInvitationEmails,
  sendReminders,
} from '../surveys/invitations.js';
import type { Mailer } from '../surveys/mailer.js';
import { pendingInvitationEmails, startDueWaves, wavesWithReminders } from '../surveys/waves.js';
import type { WorkspaceHub, WorkspaceRuntime } from './hub.js';

export const TICK_MS = 30_000;
/** Queued e-mails read and sent per round; each round's outcome is one commit. */
const EMAILS_PER_ROUND = 200;

export interface SurveyWorkerOptions {
  hub: WorkspaceHub;
  mailer: Mailer | null;
  /** Where respondents reach this server (links in e-mails), e.g. https://fidelio.example.com. */
  publicUrl: string;
  log: (message: string, error?: unknown) => void;
}

export class SurveyWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly options: SurveyWorkerOptions) {}

  start(intervalMs = TICK_MS): void {
    this.timer = setInterval(() => {
      this.running = this.running.then(() => this.tick(new Date()));
    }, intervalMs);
    this.timer.unref();
  }

  /** Stops the clock and waits for a tick in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One round over every workspace; a failure in one workspace is logged and the others still run. */
  async tick(now: Date): Promise<void> {
    for (const workspace of await this.options.hub.tenancy.listWorkspaces()) {
      try {
        await this.tickWorkspace(await this.options.hub.runtime(workspace), now);
      } catch (error) {
        this.options.log(`survey worker: workspace ${workspace.name}`, error);
      }
    }
  }

  private async tickWorkspace(runtime: WorkspaceRuntime, now: Date): Promise<void> {
    const { mailer } = this.options;
    // Writes that changed nothing leave the data version (and so every cached report) alone.
    const write = <T>(work: (store: Store) => Promise<T>, changed: (result: T) => boolean = () => true) =>
      runtime.queue.submitJob(work, { touchesFacts: false, changed });
    const baseUrl = respondentBaseUrl(this.options.publicUrl, runtime.workspace.name);
    await write(
      (store) => startDueWaves(store, now),
      (started) => started.length > 0,
    );
    if (mailer) {
      // Read on the reader, talk SMTP outside any transaction, record each round through the queue.
      const { reader } = runtime;
      const record = <T>(work: (store: Store) => Promise<T>) => write(work);
      for (;;) {
        const pending = await pendingInvitationEmails(reader, now, EMAILS_PER_ROUND);
        for (const { survey, invited } of pending) {
          await sendInvitationEmails(reader, mailer, survey, invited, baseUrl, now, record);
        }
        if (pending.reduce((n, p) => n + p.invited.length, 0) < EMAILS_PER_ROUND) break;
      }
      for (const { survey, wave } of await wavesWithReminders(reader, now)) {
        await sendReminders(reader, mailer, survey, wave, baseUrl, now, record);
      }
    }
    if (await hasExpiredWaves(runtime.reader, now)) await write((store) => closeExpiredWaves(store, now));
    await deliverDue(runtime.reader, now, { mailer, write: (work) => write(work) });
  }
}

/** Whether an anonymous wave has passed its close and still holds its token key. */
async function hasExpiredWaves(store: Store, now: Date): Promise<boolean> {
  const [row] = await store.query(
    `SELECT count(*) AS n FROM survey_waves WHERE token_key IS NOT NULL AND closes_at <= ${sqlTimestamp(now)}`,
  );
  return Number(row?.n) > 0;
}
