import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { VaultKeychain, VaultKeychainUnavailableError } from './index.js';

// A unique service per run so that parallel runs and a developer's real entries never meet.
const service = `aishell-vault-test-${randomBytes(6).toString('hex')}`;

// This machine (like CI) runs no Secret Service on D-Bus, so the real binding reports the keychain as
// unavailable; the round trip on a desktop with a keyring is not exercised here (see docs/security.md).
describe('VaultKeychain', () => {
  it('says plainly that no keychain is available when no Secret Service runs', async () => {
    const keychain = new VaultKeychain({ service });
    for (const attempt of [
      () => keychain.setPassword('/tmp/v.json', 'never-stored-master'),
      () => keychain.getPassword('/tmp/v.json'),
      () => keychain.deletePassword('/tmp/v.json'),
    ]) {
      const error = await attempt().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VaultKeychainUnavailableError);
      expect(error).toMatchObject({ code: 'VAULT_KEYCHAIN_UNAVAILABLE' });
      expect((error as Error).message).toContain('no Secret Service running on D-Bus');
      expect((error as Error).message).toContain('AISHELL_VAULT_PASSWORD');
      expect((error as Error).message).not.toContain('never-stored-master');
    }
  });

  it('throws the abort reason instead of touching the keychain when the signal is aborted', async () => {
    const keychain = new VaultKeychain({ service });
    const reason = new Error('stop');
    const error = await keychain
      .getPassword('/tmp/v.json', { signal: AbortSignal.abort(reason) })
      .catch((e: unknown) => e);
    expect(error).toBe(reason);
  });
});
