import { openVault } from '@aishell/engine';
import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../../base-command.js';
import { vaultEntryArg } from '../../flags.js';
import { vaultAccess } from '../../vault-access.js';

export default class VaultGet extends BaseCommand {
  static override summary = 'Check that an entry exists; print its value only with --reveal.';
  static override examples = [
    { description: 'Is it there?', command: '<%= config.bin %> vault get prod-db' },
    {
      description: 'Print the value (for a pipe)',
      command: '<%= config.bin %> vault get prod-db --reveal | pbcopy',
    },
    {
      description: 'As JSON, value included',
      command: '<%= config.bin %> vault get prod-db --reveal --json',
    },
  ];
  static override args = {
    name: vaultEntryArg,
  };
  static override flags = {
    reveal: Flags.boolean({ description: 'print the secret value itself' }),
  };

  async run(): Promise<VaultGetDocument> {
    const { args, flags } = await this.parse(VaultGet);
    await using vault = await openVault(vaultAccess());
    const value = vault.get(args.name); // VAULT_ENTRY_NOT_FOUND (exit 2) when absent
    return this.present(
      flags.reveal ? { name: args.name, value } : { name: args.name, exists: true },
      (doc) =>
        'value' in doc
          ? `${doc.value}\n`
          : `"${doc.name}" is in the vault (use --reveal to print its value).\n`,
    );
  }
}

/** `vault get --json`: the value only with --reveal. */
export type VaultGetDocument =
  | { readonly name: string; readonly value: string }
  | { readonly name: string; readonly exists: true };
