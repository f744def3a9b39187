import { openVault } from '@aishell/engine';
import { BaseCommand } from '../../base-command.js';
import { vaultAccess } from '../../vault-access.js';

export default class VaultList extends BaseCommand {
  static override summary = 'List the entry names in the vault (never the values).';
  static override description =
    'Unlocks the vault, so the names are checked against its MAC. `aishell vault` lists them without the password.';
  static override examples = [
    { description: 'Names, one a line', command: '<%= config.bin %> vault list' },
    { description: 'As JSON', command: '<%= config.bin %> vault list --json' },
  ];

  async run(): Promise<{ path: string; entries: string[] }> {
    await this.parse(VaultList);
    await using vault = await openVault(vaultAccess());
    return this.present({ path: vault.path, entries: vault.list() }, (doc) =>
      doc.entries.length === 0 ? 'The vault is empty.\n' : `${doc.entries.join('\n')}\n`,
    );
  }
}
