import { VaultSecrets } from '@aishell/engine';
import { vaultAccess } from './commands/vault/index.js';

/**
 * The vault as saved connections use it: opened lazily (only when a connection needs a secret), with the
 * master password from AISHELL_VAULT_PASSWORD or a hidden prompt on a terminal. Close it when done.
 */
export function vaultSecrets(): VaultSecrets {
  return new VaultSecrets(vaultAccess());
}
