import { text } from 'node:stream/consumers';
import {
  type AddConnectionResult,
  addConnection,
  resolvePaths,
  UsageError,
  withPassword,
} from '@aishell/engine';
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../base-command.js';
import { registerSecret } from '../redact.js';

export default class Connect extends BaseCommand {
  static override summary = 'Save a named connection (its password, if asked, goes to the encrypted vault).';
  static override description =
    'The URL is kept in the config without its password. With --save-password the password goes to the vault ' +
    '(entry connection.<name>); otherwise supply it at run time through PGPASSWORD, ~/.pgpass or MYSQL_PWD, or ' +
    'write vault:<entry> in the password position. The connection is tested before it is saved (--no-test skips).';
  static override examples = [
    {
      description: 'Save a PostgreSQL connection and make it the default',
      command: '<%= config.bin %> connect postgres://app@db.internal/shop --name prod --default',
    },
    {
      description: 'Keep the password in the vault',
      command:
        'AISHELL_VAULT_PASSWORD=... <%= config.bin %> connect mysql://app:secret@127.0.0.1/shop --name shop --save-password',
    },
    {
      description: 'Ask for the password (hidden), so it never shows in the process list',
      command: '<%= config.bin %> connect postgres://app@db.internal/shop --name prod --save-password',
    },
    {
      description: 'A SQLite file',
      command: '<%= config.bin %> connect sqlite:///home/me/data.db --name local',
    },
  ];
  static override args = {
    url: Args.string({
      ignoreStdin: true,
      description: 'connection URL (postgres://, mysql://, mariadb://, sqlite:, pglite:)',
      required: true,
    }),
  };
  static override flags = {
    name: Flags.string({ char: 'n', description: 'name to save it under', required: true }),
    'save-password': Flags.boolean({ description: "keep the URL's password in the vault" }),
    default: Flags.boolean({ description: 'make it the default connection' }),
    test: Flags.boolean({
      description: 'check that the server answers before saving',
      default: true,
      allowNo: true,
    }),
  };

  async run(): Promise<AddConnectionResult> {
    const { args, flags } = await this.parse(Connect);
    const paths = resolvePaths();
    let url = args.url;
    if (hasPassword(url)) {
      // The URL sits in this process's argv (ps, /proc) and the shell's history for as long as both last.
      this.note(
        'aishell: warning: a password in a command-line URL is visible to other users of this machine (ps) ' +
          'and stays in your shell history; leave it out and add --save-password to be asked for it (hidden)',
      );
    }
    if (flags['save-password'] && /^(postgres|postgresql|mysql|mariadb):/i.test(url) && !hasPassword(url)) {
      // Keeps the password out of the process list: asked (hidden) on a terminal, else read from stdin.
      url = withPassword(url, await readPassword());
    }
    if (flags.test) {
      const session = await this.openSession({ connection: url, config: { connections: {} }, paths });
      try {
        await session.ping();
      } finally {
        await session.close();
      }
    }
    const result = await addConnection(paths, {
      name: flags.name,
      url,
      savePassword: flags['save-password'],
      makeDefault: flags.default,
      ...(flags['save-password'] ? { storeSecret: (await this.secrets()).store } : {}),
    });
    return this.present(result, async (saved) => {
      await this.out.write(
        `Saved connection "${saved.name}" (${saved.url})${saved.isDefault ? ' as the default' : ''}.\n`,
      );
      // Where the password went: on stderr, beside the line above.
      if (saved.passwordEntry) this.note(`The password is in the vault as "${saved.passwordEntry}".`);
      if (saved.passwordDropped) {
        this.note(
          'The password was not saved: use --save-password to keep it in the vault, or PGPASSWORD/.pgpass/MYSQL_PWD.',
        );
      }
    });
  }
}

function hasPassword(url: string): boolean {
  try {
    return new URL(url).password !== '';
  } catch {
    return false;
  }
}

async function readPassword(): Promise<string> {
  let password: string;
  if (process.stdin.isTTY && process.stderr.isTTY) {
    const { default: ask } = await import('@inquirer/password');
    password = await ask({ message: 'Database password' }, { output: process.stderr });
  } else {
    password = (await text(process.stdin)).replace(/\r?\n$/, '');
  }
  if (!password)
    throw new UsageError('no password given', { hint: 'type it at the prompt, or pipe it on stdin' });
  registerSecret(password);
  return password;
}
