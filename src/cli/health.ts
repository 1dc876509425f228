// `fidelio health`: the health model lab (docs/health-lab.md) — fit and back-test learned churn models, list
// and activate them, and explain an account's health score.
import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { FidelioError } from '../domain/errors.js';
import { requireInstant } from '../domain/time.js';
import { requireSnapshotDay } from '../insight/health/features.js';
import { DEFAULT_L2, defaultSnapshots, explainAccount, fitHealthModel } from '../insight/health/lab.js';
import {
  activateModel,
  activeModelId,
  listActivations,
  listModels,
  type StoredModel,
} from '../insight/health/registry.js';
import { evaluateTelco, parseTelcoCsv } from '../insight/health/telco.js';
import type { Store } from '../store/store.js';
import { addDbOption, resolveDbPath } from './store-option.js';
import { addWorkspaceOption, openWorkspaceStore } from './workspace-store.js';

interface StoreOptions {
  db?: string;
  workspace?: string;
}

interface FitOptions extends StoreOptions {
  snapshot?: string;
  from?: string;
  to?: string;
  l2: string;
  split?: string;
}

const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

function who(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

async function withStore<T>(options: StoreOptions, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openWorkspaceStore(resolveDbPath(options.db), options.workspace);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

function l2Of(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) {
    throw new FidelioError('usage', 'invalid_l2', `--l2 "${text}" must be a number ≥ 0`);
  }
  return value;
}

const day = (text: string, option: string) => requireSnapshotDay(requireInstant(text, option), option);

async function snapshotsOf(store: Store, options: FitOptions): Promise<Date[]> {
  if (options.snapshot !== undefined) {
    if (options.from !== undefined || options.to !== undefined) {
      throw new FidelioError('usage', 'conflicting_options', 'give --snapshot or --from/--to, not both');
    }
    return [day(options.snapshot, '--snapshot')];
  }
  const from = options.from === undefined ? undefined : day(options.from, '--from');
  const to = options.to === undefined ? undefined : day(options.to, '--to');
  if (from && to && to.getTime() < from.getTime()) {
    throw new FidelioError('usage', 'empty_range', `--to (${options.to}) is before --from (${options.from})`);
  }
  return defaultSnapshots(store, from, to);
}

/** What fit and backtest print: the model's id and version, its config and its metrics. */
export function modelSummary(model: StoredModel) {
  return {
    model_id: model.model_id,
    version: model.version,
    created_at: model.created_at,
    config: model.config,
    coefficients: model.coefficients,
    metrics: model.metrics,
  };
}

function fitCommand(parent: Command, name: 'fit' | 'backtest', description: string): Command {
  return addWorkspaceOption(addDbOption(parent.command(name).description(description)))
    .option('--snapshot <date>', 'one snapshot date (a UTC day start)')
    .option('--from <date>', 'first monthly snapshot (default: the first month with MRR)')
    .option('--to <date>', 'last monthly snapshot (default: the last one with 90 days of data after it)')
    .option('--l2 <lambda>', 'L2 penalty on the standardised coefficients', String(DEFAULT_L2));
}

export function registerHealth(program: Command): void {
  const health = program
    .command('health')
    .description('The health model lab: fit, back-test, list, activate and explain health models');

  fitCommand(
    health,
    'fit',
    'Fit a logistic churn model on snapshots; prints the model id and its metrics',
  ).action(async (options: FitOptions) => {
    const l2 = l2Of(options.l2);
    await withStore(options, async (store) => {
      const snapshots = await snapshotsOf(store, options);
      const model = await store.transaction(() =>
        fitHealthModel(store, { snapshots, l2, split: null, by: who() }),
      );
      print(modelSummary(model));
    });
  });

  fitCommand(health, 'backtest', 'Fit on snapshots before --split, test on snapshots after it')
    .requiredOption(
      '--split <date>',
      'the split T: train label windows end by T, test snapshots are at or after T',
    )
    .action(async (options: FitOptions) => {
      const l2 = l2Of(options.l2);
      const split = day(options.split!, '--split');
      await withStore(options, async (store) => {
        const snapshots = await snapshotsOf(store, options);
        const model = await store.transaction(() =>
          fitHealthModel(store, { snapshots, l2, split, by: who() }),
        );
        print(modelSummary(model));
      });
    });

  addWorkspaceOption(
    addDbOption(
      health.command('explain').description("Why an account's health is what it is, largest risk first"),
    ),
  )
    .requiredOption('--account <id>', 'the account')
    .option('--model <id>', 'a model id, or "default" (default: the active model)')
    .option('--at <date>', 'the snapshot date (default: the day after the latest data)')
    .action(async (options: StoreOptions & { account: string; model?: string; at?: string }) => {
      const at = options.at === undefined ? undefined : day(options.at, '--at');
      await withStore(options, async (store) => {
        print(
          await explainAccount(store, options.account, {
            ...(options.model === undefined ? {} : { modelId: options.model }),
            ...(at === undefined ? {} : { at }),
          }),
        );
      });
    });

  addWorkspaceOption(
    addDbOption(health.command('list').description('The models, the active one and its changes')),
  ).action(async (options: StoreOptions) => {
    await withStore(options, async (store) => {
      print({
        active: await activeModelId(store),
        models: (await listModels(store)).map(modelSummary),
        activations: await listActivations(store),
      });
    });
  });

  health
    .command('telco')
    .description('Evaluate the learned model on the IBM Telco churn CSV: held-out AUC of a seeded split')
    .requiredOption('--csv <file>', 'Telco-Customer-Churn.csv')
    .option('--seed <n>', 'seed of the 70/30 split', '7')
    .option('--l2 <lambda>', 'L2 penalty on the standardised coefficients', String(DEFAULT_L2))
    .action(async (options: { csv: string; seed: string; l2: string }) => {
      const seed = Number(options.seed);
      if (!Number.isInteger(seed) || seed < 0) {
        throw new FidelioError('usage', 'invalid_seed', `--seed "${options.seed}" must be an integer ≥ 0`);
      }
      let text: string;
      try {
        text = await readFile(options.csv, 'utf8');
      } catch (error) {
        throw new FidelioError(
          'usage',
          'unreadable_file',
          `cannot read ${options.csv}: ${(error as Error).message}`,
        );
      }
      print(evaluateTelco(parseTelcoCsv(text), { seed, l2: l2Of(options.l2) }));
    });

  addWorkspaceOption(
    addDbOption(
      health
        .command('activate')
        .description(
          'Make a model the active one (records who and when); "default" returns to the default model',
        )
        .argument('<model-id>', 'the model id (hm-N) or "default"'),
    ),
  ).action(async (modelId: string, options: StoreOptions) => {
    await withStore(options, async (store) => {
      print(await store.transaction(() => activateModel(store, modelId, who())));
    });
  });
}
