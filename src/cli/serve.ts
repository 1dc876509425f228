// `fidelio serve` (what `npm start` runs): the API server on a store, with a demo workspace on first start.
import type { Command } from 'commander';
import { monthOf } from '../demo/demo-settings.js';
import { FidelioError } from '../domain/errors.js';
import { startServer } from '../server/serve.js';
import { mailerFromEnv } from '../surveys/mailer.js';
import { generationBar } from './demo.js';
import { progressBar } from './import.js';
import { addDbOption, resolveDbPath } from './store-option.js';

const DEMO_ACCOUNTS = 5000;

interface ServeOptions {
  db?: string;
  port?: string;
  host?: string;
  demo: boolean;
  publicUrl?: string;
}

export function registerServe(program: Command): void {
  addDbOption(
    program.command('serve').description('Run the API server (a new store starts with a demo workspace)'),
  )
    .option('--port <n>', 'TCP port (default: $PORT, then 3000)')
    .option('--host <address>', 'address to listen on (default: $HOST, then 127.0.0.1)')
    .option('--no-demo', 'do not create the demo workspace in a new store')
    .option(
      '--public-url <url>',
      'where respondents reach this server, for survey links (default: $PUBLIC_URL)',
    )
    .action(async (options: ServeOptions) => {
      const db = resolveDbPath(options.db);
      const port = portOf(options.port ?? process.env.PORT ?? '3000');
      const host = options.host ?? process.env.HOST ?? '127.0.0.1';
      const demo = options.demo
        ? {
            accounts: DEMO_ACCOUNTS,
            seed: 1,
            endMonth: monthOf(new Date()),
            onGenerated: generationBar(),
            onImport: progressBar(),
          }
        : null;
      const publicUrl = publicUrlOf(options.publicUrl ?? process.env.PUBLIC_URL);
      const mailer = mailerFromEnv();
      const server = await startServer({
        db,
        port,
        host,
        demo,
        mailer,
        ...(publicUrl ? { publicUrl } : {}),
        ...(process.env.FIDELIO_SURVEY_TICK_MS
          ? { surveyTickMs: Number(process.env.FIDELIO_SURVEY_TICK_MS) }
          : {}),
      });
      process.stdout.write(`Fidelio is serving ${db} at ${server.url}\n`);
      if (!mailer) {
        process.stdout.write(
          'Survey e-mails wait in their queue until SMTP_URL names a mail server (docs/surveys.md).\n',
        );
      }
      if (server.demoLogin) {
        const { workspace, email, password } = server.demoLogin;
        process.stdout.write(
          `A demo workspace "${workspace}" holds ${DEMO_ACCOUNTS.toLocaleString('en-US')} generated accounts.\n` +
            `Log in as ${email} with password ${password} (shown once; add your own login with npx fidelio user add).\n`,
        );
      }
      process.stdout.write(
        `API: ${server.url}/api/docs · keys: npx fidelio key create --db ${db} --workspace NAME --scopes ingest,read\n`,
      );
      const stop = async (signal: string) => {
        process.stdout.write(`${signal}: finishing the requests in progress, then closing the store\n`);
        await server.close();
        process.exit(0);
      };
      process.once('SIGTERM', () => void stop('SIGTERM'));
      process.once('SIGINT', () => void stop('SIGINT'));
    });
}

/** The public URL without a trailing slash, or a usage error when it is not an http(s) URL. */
function publicUrlOf(text: string | undefined): string | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  if (!/^https?:\/\/[^/\s]+/.test(text) || !URL.canParse(text)) {
    throw new FidelioError('usage', 'bad_public_url', `--public-url must be an http(s) URL (got "${text}")`);
  }
  return text.replace(/\/+$/, '');
}

function portOf(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) {
    throw new FidelioError('usage', 'bad_port', `the port must be a number from 0 to 65535 (got "${text}")`);
  }
  return port;
}
