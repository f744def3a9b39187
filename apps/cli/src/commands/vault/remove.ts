import { openVault } from '@aishell/engine';
import { BaseCommand } from '../../base-command.js';
import { vaultEntryArg } from '../../flags.js';
import { vaultAccess } from '../../vault-access.js';

export default class VaultRemove extends BaseCommand {
  static override summary = 'Remove an entry from the vault.';
  static override examples = [
    { description: 'Forget a secret', command: '<%= config.bin %> vault remove prod-db' },
  ];
  static override args = {
    name: vaultEntryArg,
  };

  async run(): Promise<{ name: string; removed: true }> {
    const { args } = await this.parse(VaultRemove);
    await using vault = await openVault(vaultAccess());
    await vault.remove(args.name); // VAULT_ENTRY_NOT_FOUND (exit 2) when absent
    return this.present({ name: args.name, removed: true }, (doc) => `Removed "${doc.name}".\n`);
  }
}
