import { rememberVaultPassword } from '@aishell/engine';
import { BaseCommand } from '../../base-command.js';
import { vaultAccess } from '../../vault-access.js';

export default class VaultRemember extends BaseCommand {
  static override summary = 'Keep the master password in the OS keychain, so commands stop asking for it.';
  static override description =
    'Uses the macOS Keychain, the Windows Credential Manager, or a Secret Service (GNOME Keyring, KWallet) on ' +
    'Linux. Commands look there when AISHELL_VAULT_KEYCHAIN=1. Where there is no keychain (servers, ' +
    'containers) this says so and exits 6. The password is checked against the vault first.';
  static override examples = [
    { description: 'Remember it (asks for it once)', command: '<%= config.bin %> vault remember' },
    { description: 'Then use it', command: 'AISHELL_VAULT_KEYCHAIN=1 <%= config.bin %> vault list' },
  ];

  async run(): Promise<{ remembered: true }> {
    await this.parse(VaultRemember);
    await rememberVaultPassword(vaultAccess());
    return this.present(
      { remembered: true },
      () => 'The master password is in the OS keychain. Set AISHELL_VAULT_KEYCHAIN=1 to use it.\n',
    );
  }
}
