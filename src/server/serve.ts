// Runs the server on a store file: opens it (the one writer), seeds a demo workspace on first start, listens,
// and leaves a note beside the store so the CLI's writing commands can reach it; closes cleanly on demand.
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import type { DemoSettings } from '../demo/demo-settings.js';
import { createDemoSurveys } from '../demo/demo-surveys.js';
import { type LoadDemoOptions, loadDemoData } from '../demo/load-demo.js';
import type { Mailer } from '../surveys/mailer.js';
import { newSecret } from '../tenancy/tokens.js';
import { buildApp, type RateLimits } from './app.js';
import { WorkspaceHub } from './hub.js';
import { warmOverviewReports } from './routes/report.js';
import { SurveyWorker } from './survey-worker.js';

export interface ServeOptions {
  db: string;
  port: number;
  host: string;
  /** Demo data for a store that is new: how much, and the progress to show while it loads. */
  demo: (DemoSettings & LoadDemoOptions) | null;
  rateLimits?: RateLimits;
  logger?: boolean;
  /** Where respondents reach this server (links in survey e-mails); default: the URL it listens on. */
  publicUrl?: string;
  /** Sends survey and notice e-mails; null leaves them queued (no SMTP_URL). */
  mailer?: Mailer | null;
  /** How often the survey clock runs (default 30 s). */
  surveyTickMs?: number;
}

export interface DemoLogin {
  workspace: string;
  email: string;
  password: string;
}

export interface RunningServer {
  url: string;
  app: FastifyInstance;
  /** Set when this start created the demo workspace. */
  demoLogin: DemoLogin | null;
  /** Stops accepting requests, lets the accepted ones and their writes finish, closes the store. */
  close(): Promise<void>;
}

/** The note a running server leaves beside its store: `{ pid, url, token }`, readable by its owner only. */
export const serverNotePath = (db: string) => `${db}.server.json`;

export const DEMO_WORKSPACE = 'demo';
export const DEMO_EMAIL = 'demo@fidelio.local';

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const isNew = options.db === ':memory:' || !existsSync(options.db);
  const hub = await WorkspaceHub.open(options.db);
  try {
    const demoLogin = isNew && options.demo ? await seedDemo(hub, options.demo) : null;
    const token = newSecret(32);
    const app = await buildApp({
      hub,
      localToken: token,
      logger: options.logger ?? false,
      ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
      ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
    });
    hub.warm = (runtime) => warmOverviewReports(runtime);
    await app.listen({ port: options.port, host: options.host });
    // Open every workspace now, so the first login finds its overview computed.
    for (const workspace of await hub.tenancy.listWorkspaces()) hub.runtime(workspace).catch(() => undefined);
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
    const mailer = options.mailer ?? null;
    const worker = new SurveyWorker({
      hub,
      mailer,
      publicUrl: options.publicUrl ?? url,
      log: (message, error) => app.log.error({ err: error }, message),
    });
    worker.start(options.surveyTickMs);
    const note = serverNotePath(options.db);
    if (options.db !== ':memory:') {
      await writeFile(note, JSON.stringify({ pid: process.pid, url, token }), { mode: 0o600 });
    }
    let closing: Promise<void> | null = null;
    return {
      url,
      app,
      demoLogin,
      close: () => {
        closing ??= (async () => {
          await app.close();
          await worker.stop();
          mailer?.close();
          await hub.close();
          await rm(note, { force: true });
        })();
        return closing;
      },
    };
  } catch (error) {
    await hub.close();
    throw error;
  }
}

async function seedDemo(hub: WorkspaceHub, demo: DemoSettings & LoadDemoOptions): Promise<DemoLogin> {
  const workspace = await hub.tenancy.createWorkspace(DEMO_WORKSPACE, { demo: true });
  const runtime = await hub.runtime(workspace);
  await runtime.queue.submitJob(async (store) => {
    await loadDemoData(store, demo, demo);
    await createDemoSurveys(store, new Date());
  });
  const password = newSecret(12);
  await hub.tenancy.addUser(DEMO_WORKSPACE, DEMO_EMAIL, 'owner', password);
  return { workspace: DEMO_WORKSPACE, email: DEMO_EMAIL, password };
}
