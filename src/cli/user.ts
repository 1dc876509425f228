// `fidelio user add`: gives a person a role in a workspace; the password comes from a prompt or stdin.
import type { Command } from 'commander';
import { Option } from 'commander';
import { FidelioError } from '../domain/errors.js';
import { parseRole, ROLES } from '../tenancy/access.js';
import { directOrThroughServer } from './server-channel.js';
import { addDbOption, resolveDbPath } from './store-option.js';
import { withTenancy } from './workspace-store.js';

interface UserAddOptions {
  db?: string;
  workspace: string;
  email: string;
  role: string;
  passwordStdin?: boolean;
}

export function registerUser(program: Command): void {
  const user = program.command('user').description('Manage the people who can log in');
  addDbOption(
    user
      .command('add')
      .description('Add a person to a workspace (or change their role)')
      .requiredOption('--workspace <name>', 'the workspace')
      .requiredOption('--email <address>', 'their e-mail, used to log in')
      .addOption(new Option('--role <role>', 'what they may do').choices(ROLES).makeOptionMandatory())
      .option('--password-stdin', 'read the password from standard input instead of a prompt'),
  ).action(async (options: UserAddOptions) => {
    const role = parseRole(options.role);
    const password = options.passwordStdin ? await readStdin() : await promptHidden('password: ');
    const db = resolveDbPath(options.db);
    await directOrThroughServer(
      db,
      () => withTenancy(db, (t) => t.addUser(options.workspace, options.email, role, password)),
      (call) =>
        call('/api/local/users', { workspace: options.workspace, email: options.email, role, password }),
    );
    process.stdout.write(`${options.email} is ${role} of ${options.workspace}\n`);
  });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** Reads a line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) {
    return Promise.reject(
      new FidelioError('usage', 'no_terminal', 'no terminal to ask for the password: use --password-stdin'),
    );
  }
  process.stderr.write(question);
  input.setRawMode(true);
  input.resume();
  let typed = '';
  return new Promise((resolve, reject) => {
    const onData = (data: Buffer) => {
      for (const char of data.toString('utf8')) {
        if (char === '\r' || char === '\n') {
          finish();
          resolve(typed);
          return;
        }
        if (char === '\u0003') {
          finish();
          reject(new FidelioError('usage', 'cancelled', 'cancelled'));
          return;
        }
        typed = char === '\u007f' ? typed.slice(0, -1) : typed + char;
      }
    };
    const finish = () => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
    };
    input.on('data', onData);
  });
}
