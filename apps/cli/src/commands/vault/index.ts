import { type VaultStatus, vaultStatus } from '@aishell/engine';
import { BaseCommand } from '../../base-command.js';
import { vaultAccess } from '../../vault-access.js';

export default class VaultStatusCommand extends BaseCommand {
  static override summary = 'Show where the vault is and which entries it holds (no password needed).';
  static override description =
    'The vault keeps secrets (saved connection passwords, API keys) encrypted with AES-256-GCM under a key ' +
    'derived from a master password with scrypt, in $XDG_DATA_HOME/aishell/vault.json (mode 0600). Entry names ' +
    'are visible without the password; values are not. See docs/security.md.';
  static override examples = [
    { description: 'Where is it, what is in it?', command: '<%= config.bin %> vault' },
    { description: 'Create it', command: '<%= config.bin %> vault init' },
    { description: 'As JSON', command: '<%= config.bin %> vault --json' },
  ];

  async run(): Promise<VaultStatus> {
    await this.parse(VaultStatusCommand);
    return this.present(await vaultStatus(vaultAccess()), statusText);
  }
}

function statusText(status: VaultStatus): string {
  if (!status.exists)
    return `No vault yet (it would be ${status.path}). Create one with: aishell vault init\n`;
  const names =
    status.entries.length === 0 ? '  (no entries)' : status.entries.map((n) => `  ${n}`).join('\n');
  return `Vault ${status.path}, ${status.entries.length} entries:\n${names}\n`;
}
