import { chmod, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Vault, VaultInsecureError } from './index.js';
import { FAST_SCRYPT, tempVaultPath } from './temp-vault.fixture.js';

const PASSWORD = 'perm-test-password';

async function insecureError(promise: Promise<unknown>): Promise<VaultInsecureError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(VaultInsecureError);
  return error as VaultInsecureError;
}

describe('vault permissions', () => {
  it('refuses a vault file that others can read, naming the chmod that fixes it', async () => {
    const { file } = await tempVaultPath();
    await (await Vault.create(file, PASSWORD, { scrypt: FAST_SCRYPT })).close();
    await chmod(file, 0o644);
    const error = await insecureError(Vault.open(file, PASSWORD));
    expect(error.code).toBe('VAULT_INSECURE');
    expect(error.fix).toBe(`chmod 600 ${file}`);
    expect(error.message).toContain('0644');
    expect(error.message).toContain(`chmod 600 ${file}`);
  });

  it('refuses a vault file that the group can write', async () => {
    const { file } = await tempVaultPath();
    await (await Vault.create(file, PASSWORD, { scrypt: FAST_SCRYPT })).close();
    await chmod(file, 0o620);
    expect((await insecureError(Vault.open(file, PASSWORD))).target).toBe(file);
  });

  it('refuses a vault whose folder others can enter, naming chmod 700', async () => {
    const { file } = await tempVaultPath();
    await (await Vault.create(file, PASSWORD, { scrypt: FAST_SCRYPT })).close();
    await chmod(path.dirname(file), 0o755);
    const error = await insecureError(Vault.open(file, PASSWORD));
    expect(error.fix).toBe(`chmod 700 ${path.dirname(file)}`);
  });

  it('refuses to create a vault in an existing folder open to others', async () => {
    const { root } = await tempVaultPath();
    await chmod(root, 0o755);
    const file = path.join(root, 'vault.json');
    await insecureError(Vault.create(file, PASSWORD, { scrypt: FAST_SCRYPT }));
    expect(await Vault.exists(file)).toBe(false);
  });

  it('refuses writes once the file became readable by others, and leaves it untouched', async () => {
    const { file } = await tempVaultPath();
    await using vault = await Vault.create(file, PASSWORD, { scrypt: FAST_SCRYPT });
    await chmod(file, 0o640);
    const before = await readFile(file);
    await insecureError(vault.set('prod', 'x'));
    expect(await readFile(file)).toEqual(before);
  });

  it('quotes a path with spaces in the suggested command', async () => {
    const { root } = await tempVaultPath();
    const file = path.join(root, 'my data', 'vault.json');
    await (await Vault.create(file, PASSWORD, { scrypt: FAST_SCRYPT })).close();
    await chmod(file, 0o604);
    expect((await insecureError(Vault.open(file, PASSWORD))).fix).toBe(`chmod 600 '${file}'`);
  });
});
