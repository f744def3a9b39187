import { openVault } from '@aishell/engine';
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../../base-command.js';
import { readSecretValue, vaultAccess } from '../../vault-access.js';

export default class VaultAdd extends BaseCommand {
  static override summary =
    'Add a secret to the vault; the value comes from a hidden prompt or stdin, never argv.';
  static override description =
    'The value is read from a hidden prompt on a terminal, or from stdin (without its final newline) in scripts. ' +
    'It is never taken from the command line, where other users could see it in the process list.';
  static override examples = [
    { description: 'Type it at a hidden prompt', command: '<%= config.bin %> vault add prod-db' },
    {
      description: 'From a script',
      command: 'printf %s "$DB_PASSWORD" | AISHELL_VAULT_PASSWORD=... <%= config.bin %> vault add prod-db',
    },
    { description: 'Replace an existing value', command: '<%= config.bin %> vault add prod-db --force' },
  ];
  static override args = {
    name: Args.string({
      ignoreStdin: true,
      description: 'entry name (letters, digits, . _ - @ : /)',
      required: true,
    }),
  };
  static override flags = {
    force: Flags.boolean({ char: 'f', description: 'replace the value if the entry exists' }),
  };

  async run(): Promise<VaultAddDocument> {
    const { args, flags } = await this.parse(VaultAdd);
    await using vault = await openVault(vaultAccess());
    const existed = vault.has(args.name);
    const value = await readSecretValue(args.name);
    if (flags.force) await vault.set(args.name, value);
    else await vault.add(args.name, value);
    const replaced = flags.force && existed;
    return this.present(
      { name: args.name, added: !replaced, replaced },
      (doc) => `${doc.replaced ? 'Replaced' : 'Added'} "${doc.name}".\n`,
    );
  }
}

/** `vault add --json`: `replaced` when --force overwrote an entry, else `added`. */
export interface VaultAddDocument {
  readonly name: string;
  readonly added: boolean;
  readonly replaced: boolean;
}
