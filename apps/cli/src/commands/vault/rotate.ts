import { text } from 'node:stream/consumers';
import { openVault, rotateVault, UsageError, type VaultAccessOptions } from '@aishell/engine';
import { BaseCommand } from '../../base-command.js';
import { registerSecret } from '../../redact.js';
import { vaultAccess } from '../../vault-access.js';

export default class VaultRotate extends BaseCommand {
  static override summary = 'Re-encrypt every entry under a new master password, in one atomic step.';
  static override description =
    'The new password comes from a hidden prompt (asked twice), from AISHELL_VAULT_NEW_PASSWORD, or from stdin ' +
    'in scripts. A new salt and new keys are derived and every value is re-encrypted; the kept previous version ' +
    'of the file is replaced too, so the old password opens nothing aishell keeps.';
  static override examples = [
    { description: 'Change the master password', command: '<%= config.bin %> vault rotate' },
    {
      description: 'In a script',
      command:
        'AISHELL_VAULT_PASSWORD=old AISHELL_VAULT_NEW_PASSWORD=new <%= config.bin %> vault rotate --json',
    },
  ];

  async run(): Promise<{ path: string; rotated: true; entries: number }> {
    await this.parse(VaultRotate);
    const access: VaultAccessOptions = vaultAccess();
    await using vault = await openVault(access);
    let options = access;
    if (!process.env.AISHELL_VAULT_NEW_PASSWORD && process.stdin.isTTY !== true) {
      const fromStdin = (await text(process.stdin)).replace(/\r?\n$/, '');
      registerSecret(fromStdin);
      if (!fromStdin)
        throw new UsageError('no new master password: give it on stdin or in AISHELL_VAULT_NEW_PASSWORD');
      options = { ...access, promptPassword: async () => fromStdin };
    }
    await rotateVault(vault, options);
    return this.present(
      { path: vault.path, rotated: true, entries: vault.list().length },
      (doc) => `Re-encrypted ${doc.entries} entries under the new master password.\n`,
    );
  }
}
