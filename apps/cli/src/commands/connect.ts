import { Args, Flags } from '@oclif/core';
import { addConnection, resolvePaths, Session } from '@aishell/engine';
import { BaseCommand } from '../base-command.js';
import { secretStore } from '../vault-secrets.js';

export default class Connect extends BaseCommand {
  static override summary = 'Save a named connection (its password, if asked, goes to the encrypted vault).';
  static override description =
    'The URL is kept in the config without its password. With --save-password the password goes to the vault ' +
    '(entry connection.<name>); otherwise supply it at run time through PGPASSWORD, ~/.pgpass or MYSQL_PWD, or ' +
    'write vault:<entry> in the password position. The connection is tested before it is saved (--no-test skips).';
  static override examples = [
    { description: 'Save a PostgreSQL connection and make it the default', command: '<%= config.bin %> connect postgres://app@db.internal/shop --name prod --default' },
    { description: 'Keep the password in the vault', command: 'AISHELL_VAULT_PASSWORD=... <%= config.bin %> connect mysql://app:secret@127.0.0.1/shop --name shop --save-password' },
    { description: 'A SQLite file', command: '<%= config.bin %> connect sqlite:///home/me/data.db --name local' },
  ];
  static override args = {
    url: Args.string({ description: 'connection URL (postgres://, mysql://, mariadb://, sqlite:, pglite:)', required: true }),
  };
  static override flags = {
    name: Flags.string({ char: 'n', description: 'name to save it under', required: true }),
    'save-password': Flags.boolean({ description: "keep the URL's password in the vault" }),
    default: Flags.boolean({ description: 'make it the default connection' }),
    test: Flags.boolean({ description: 'check that the server answers before saving', default: true, allowNo: true }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Connect);
    const paths = resolvePaths();
    if (flags.test) {
      const session = await Session.open({ connection: args.url, config: { connections: {} }, paths });
      try {
        await session.ping();
      } finally {
        await session.close();
      }
    }
    const result = await addConnection(paths, {
      name: flags.name,
      url: args.url,
      savePassword: flags['save-password'],
      makeDefault: flags.default,
      ...(flags['save-password'] ? { storeSecret: await secretStore(paths) } : {}),
    });
    if (flags.json) {
      await this.printJson(result);
      return;
    }
    await this.out.write(`Saved connection "${result.name}" (${result.url})${result.isDefault ? ' as the default' : ''}.\n`);
    if (result.passwordEntry) this.note(`The password is in the vault as "${result.passwordEntry}".`);
    if (result.passwordDropped) {
      this.note('The password was not saved: use --save-password to keep it in the vault, or PGPASSWORD/.pgpass/MYSQL_PWD.');
    }
  }
}
