export type { VaultErrorCode, VaultLockedReason } from './errors.js';
export {
  VaultBadNameError,
  VaultBadOptionsError,
  VaultBadPasswordError,
  VaultBusyError,
  VaultClosedError,
  VaultEntryExistsError,
  VaultEntryNotFoundError,
  VaultError,
  VaultExistsError,
  VaultInsecureError,
  VaultIoError,
  VaultKeychainUnavailableError,
  VaultLockedError,
  VaultNotFoundError,
  VaultTamperedError,
  VaultUnsupportedVersionError,
} from './errors.js';
export type { VaultCallOptions, VaultCreateOptions, VaultInfo, VaultOptions } from './vault.js';
export { VAULT_DEFAULTS, Vault } from './vault.js';
export { ENTRY_NAME_PATTERN, FORMAT_VERSION, SCRYPT_LIMITS } from './vault-file.js';
export type { VaultKeychainOptions } from './vault-keychain.js';
export { VAULT_KEYCHAIN_DEFAULTS, VaultKeychain } from './vault-keychain.js';
export type { ScryptParams } from './vault-keys.js';
