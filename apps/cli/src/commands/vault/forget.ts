import { forgetVaultPassword } from '@aishell/engine';
import { BaseCommand } from '../../base-command.js';
import { vaultAccess } from '../../vault-access.js';

export default class VaultForget extends BaseCommand {
  static override summary = 'Remove the master password from the OS keychain.';
  static override examples = [{ description: 'Forget it', command: '<%= config.bin %> vault forget' }];

  async run(): Promise<{ forgotten: boolean }> {
    await this.parse(VaultForget);
    const forgotten = await forgetVaultPassword(vaultAccess());
    return this.present({ forgotten }, (doc) =>
      doc.forgotten ? 'Forgot the master password.\n' : 'No master password was remembered.\n',
    );
  }
}
