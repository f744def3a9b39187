import { createVault } from '@aishell/engine';
import { BaseCommand } from '../../base-command.js';
import { vaultAccess } from '../../vault-access.js';

export default class VaultInit extends BaseCommand {
  static override summary = 'Create the encrypted vault, protected by a master password.';
  static override description =
    'Creates $XDG_DATA_HOME/aishell/vault.json (mode 0600, folder 0700). The master password comes from a hidden ' +
    'prompt (asked twice) or, in scripts, from AISHELL_VAULT_PASSWORD. There is no way to recover the contents ' +
    'without it.';
  static override examples = [
    { description: 'Create it (asks for the master password)', command: '<%= config.bin %> vault init' },
    { description: 'In a script', command: 'AISHELL_VAULT_PASSWORD=... <%= config.bin %> vault init --json' },
  ];

  async run(): Promise<{ path: string; created: true }> {
    await this.parse(VaultInit);
    await using vault = await createVault(vaultAccess());
    return this.present({ path: vault.path, created: true }, (doc) => `Created the vault at ${doc.path}.\n`);
  }
}
