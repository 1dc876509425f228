#!/usr/bin/env node
// The `fidelio` command line: one file per command, registered here; errors become exit codes.
import { Command } from 'commander';
import { registerClv } from './clv.js';
import { registerCohorts } from './cohorts.js';
import { registerDemo } from './demo.js';
import { runCommand } from './exit.js';
import { registerExperience } from './experience.js';
import { registerHealth } from './health.js';
import { registerImport } from './import.js';
import { registerKey } from './key.js';
import { registerReport } from './report.js';
import { registerServe } from './serve.js';
import { registerSurvey } from './survey.js';
import { registerThemes } from './themes.js';
import { registerUser } from './user.js';
import { registerWhatIf } from './what-if.js';
import { registerWorkspace } from './workspace.js';

const program = new Command()
  .name('fidelio')
  .description('Customer-success KPIs from your billing, support, survey and usage data.')
  .version('0.1.0')
  .showHelpAfterError()
  // Usage errors throw instead of exiting, so that they get exit code 2 like every other bad input.
  .exitOverride();

// A reader that stops early (`fidelio clv | head`) closes the pipe: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

registerDemo(program);
registerImport(program);
registerReport(program);
registerExperience(program);
registerWhatIf(program);
registerServe(program);
registerSurvey(program);
registerWorkspace(program);
registerUser(program);
registerKey(program);
registerClv(program);
registerCohorts(program);
registerHealth(program);
registerThemes(program);

await runCommand(() => program.parseAsync(process.argv));
