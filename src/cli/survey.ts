// `fidelio survey list|create|send|results`: surveys on a store without the server (while it runs, use the API: the
// store has one writer). E-mail invitations made here wait in the store until a server with SMTP_URL sends them.
import { readFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import type { z } from 'zod';
import { FidelioError } from '../domain/errors.js';
import { requireInstant } from '../domain/time.js';
import { DEFAULT_CONFIG } from '../kpi/config.js';
import type { Store } from '../store/store.js';
import { CALENDAR_KINDS, type CalendarKind } from '../surveys/employee-disclosure.js';
import { respondentBaseUrl } from '../surveys/invitations.js';
import { SURVEY_LOCALES } from '../surveys/questions.js';
import { surveyResults } from '../surveys/results.js';
import { AUDIENCES, CHANNELS, surveyInput, TEMPLATES } from '../surveys/survey.js';
import { createSurvey, listSurveys, requireSurvey, surveyFromInput } from '../surveys/survey-store.js';
import { sendWave } from '../surveys/waves.js';
import { DEFAULT_WORKSPACE } from '../tenancy/tenancy.js';
import { addDbOption, resolveDbPath } from './store-option.js';
import { addWorkspaceOption, openWorkspaceStore } from './workspace-store.js';

interface StoreOptions {
  db?: string;
  workspace?: string;
}

/** Opens the workspace's store, runs `work`, closes it. */
async function onStore<T>(options: StoreOptions, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openWorkspaceStore(resolveDbPath(options.db), options.workspace);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A comma-separated flag as its values, each one of `allowed`. */
function listOf<T extends string>(flag: string, text: string, allowed: readonly T[]): T[] {
  const values = text.split(',').map((v) => v.trim());
  const unknown = values.find((v) => !(allowed as readonly string[]).includes(v));
  if (unknown !== undefined) {
    throw new FidelioError('usage', 'bad_list', `${flag} takes ${allowed.join(', ')} (got "${unknown}")`);
  }
  return values as T[];
}

/** The zod issues of a survey as field-named input issues. */
function refuseInput(error: z.ZodError): never {
  const issues = error.issues.map((i) => ({
    file: 'survey',
    line: 0,
    column: ['$', ...i.path].join('.'),
    value: null,
    rule: i.code,
    message: i.message,
  }));
  throw new FidelioError(
    'invalid_input',
    'invalid_survey',
    `the survey is not valid: ${issues.map((i) => `${i.column}: ${i.message}`).join('; ')}`,
  );
}

export function registerSurvey(program: Command): void {
  const survey = program.command('survey').description('Create, list and send surveys (docs/surveys.md)');
  addWorkspaceOption(
    addDbOption(survey.command('list').description('Every survey, newest first, as JSON')),
  ).action((options: StoreOptions) => onStore(options, async (store) => print(await listSurveys(store))));

  addWorkspaceOption(
    addDbOption(survey.command('create').description('Create a survey and print it as JSON')),
  )
    .requiredOption('--name <text>', 'the survey’s name')
    .addOption(new Option('--template <template>', 'what it asks').choices(TEMPLATES).makeOptionMandatory())
    .addOption(
      new Option('--audience <audience>', 'who it asks (default: the template’s)').choices(AUDIENCES),
    )
    .addOption(
      new Option('--locale <locale>', 'the language when a person’s is not spoken').choices(SURVEY_LOCALES),
    )
    .option('--channels <list>', `comma-separated: ${CHANNELS.join(', ')}`, 'link')
    .option('--questions <file>', 'a JSON file with the questions (pulse and custom; docs/surveys.md)')
    .option('--activate', 'make it active at once (default: draft)')
    .action(
      async (
        options: StoreOptions & {
          name: string;
          template: string;
          audience?: string;
          locale?: string;
          channels: string;
          questions?: string;
          activate?: boolean;
        },
      ) => {
        const parsed = surveyInput.safeParse({
          name: options.name,
          template: options.template,
          ...(options.audience ? { audience: options.audience } : {}),
          ...(options.locale ? { default_locale: options.locale } : {}),
          channels: listOf('--channels', options.channels, CHANNELS),
          ...(options.questions ? { questions: await questionsFile(options.questions) } : {}),
          status: options.activate ? 'active' : 'draft',
        });
        if (!parsed.success) refuseInput(parsed.error);
        const created = surveyFromInput(parsed.data, 'cli', new Date());
        await onStore(options, (store) => createSurvey(store, created));
        print(created);
      },
    );

  resultsCommand(survey);
  addWorkspaceOption(
    addDbOption(survey.command('send <survey-id>').description('Invite contacts now and print their links')),
  )
    .option('--contacts <ids>', 'comma-separated contact ids')
    .option('--all', 'the survey’s whole audience')
    .addOption(
      new Option('--channel <channel>', 'email waits for a server with SMTP_URL; the others print links')
        .choices(['link', 'api', 'email'])
        .default('link'),
    )
    .option('--public-url <url>', 'the origin of the printed links', 'http://127.0.0.1:3000')
    .action(
      async (
        id: string,
        options: StoreOptions & {
          contacts?: string;
          all?: boolean;
          channel: 'link' | 'api' | 'email';
          publicUrl: string;
        },
      ) => {
        if (Boolean(options.all) === (options.contacts !== undefined)) {
          throw new FidelioError('usage', 'send_whom', 'give either --contacts or --all');
        }
        const contactIds = options.contacts?.split(',').map((c) => c.trim());
        const sent = await onStore(options, async (store) => {
          const target = await requireSurvey(store, id);
          if (target.status !== 'active') {
            throw new FidelioError(
              'usage',
              'survey_not_active',
              `survey ${id} is ${target.status}; activate it first`,
            );
          }
          return sendWave(store, target, null, options.channel, new Date(), contactIds);
        });
        const base = respondentBaseUrl(options.publicUrl, options.workspace ?? DEFAULT_WORKSPACE);
        print({
          wave_id: sent.wave.wave_id,
          invited: sent.invited.map((i) => ({
            contact_id: i.contact_id,
            link: sent.survey.anonymous ? null : `${base}/${i.token}`,
          })),
          not_asked: sent.notAsked,
        });
      },
    );
}

function resultsCommand(survey: Command): void {
  addWorkspaceOption(
    addDbOption(
      survey.command('results <survey-id>').description('The survey’s results as JSON (as the API)'),
    ),
  )
    .option('--from <date>', 'answers from this instant (2026-01-01 = 00:00 UTC)')
    .option('--to <date>', 'answers before this instant')
    .addOption(new Option('--period <kind>', 'results per calendar period too').choices(CALENDAR_KINDS))
    .option('--team', 'employee surveys: each team beside the company')
    .action(
      async (
        id: string,
        options: StoreOptions & { from?: string; to?: string; period?: CalendarKind; team?: boolean },
      ) => {
        const results = await onStore(options, async (store) =>
          surveyResults(store, await requireSurvey(store, id), {
            from: options.from === undefined ? undefined : requireInstant(options.from, '--from'),
            to: options.to === undefined ? undefined : requireInstant(options.to, '--to'),
            period: options.period,
            byTeam: options.team === true,
            now: new Date(),
            minimumGroup: DEFAULT_CONFIG.min_employee_group,
          }),
        );
        print(results);
      },
    );
}

async function questionsFile(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new FidelioError('usage', 'bad_questions_file', `--questions ${path}: ${(error as Error).message}`);
  }
}
