// `fidelio start` (npm start): a demo store on first run, then the KPI overview of the last 12 months.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { monthOf } from '../demo/demo-settings.js';
import { VALUE_EVENT } from '../demo/usage-events.js';
import { KPIS } from '../kpi/catalogue.js';
import { DEFAULT_CONFIG } from '../kpi/config.js';
import { computeReport } from '../kpi/engine.js';
import { storeCurrency } from '../kpi/store-facts.js';
import { openDuckDbStore } from '../store/duckdb-store.js';
import { demoStore } from './demo.js';
import { renderTable } from './report-table.js';
import { addDbOption, resolveDbPath } from './store-option.js';

const DEMO_ACCOUNTS = 5000;
const OVERVIEW_MONTHS = 12;

export function registerStart(program: Command): void {
  addDbOption(
    program
      .command('start')
      .description('Create a demo store if there is none, then print the KPIs of the last 12 months'),
  )
    .option('--value-event <name...>', 'usage events that mean "reached value"', [VALUE_EVENT])
    .action(async (options: { db?: string; valueEvent: string[] }) => {
      const path = resolveDbPath(options.db);
      const now = new Date();
      if (!existsSync(path)) {
        process.stdout.write(
          `No store at ${path} yet: creating one with demo data (${DEMO_ACCOUNTS} accounts).\n`,
        );
        await demoStore(path, { accounts: DEMO_ACCOUNTS, seed: 1, endMonth: monthOf(now) }, undefined);
      }
      const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
      const from = new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth() - OVERVIEW_MONTHS, 1));
      const store = await openDuckDbStore(path);
      try {
        const config = { ...DEFAULT_CONFIG, value_events: options.valueEvent };
        const report = await computeReport(store, { from, to, period: 'month', config });
        process.stdout.write(renderTable(report, KPIS, await storeCurrency(store)));
      } finally {
        await store.close();
      }
      process.stdout.write(
        `\nStore: ${path}. More: npx fidelio report --db ${path} --from ${from.toISOString().slice(0, 10)} ` +
          `--to ${to.toISOString().slice(0, 10)} --segment-by segment --format table (docs/cli.md)\n`,
      );
    });
}
