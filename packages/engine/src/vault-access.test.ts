import { chmod, mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Vault } from '@aishell/vault';
import { afterEach, describe, expect, it } from 'vitest';
import { type AishellPaths, resolvePaths } from './paths.js';
import {
  createVault,
  forgetVaultPassword,
  openVault,
  rememberVaultPassword,
  rotateVault,
  type VaultPasswordPurpose,
  VaultSecrets,
  vaultStatus,
} from './vault-access.js';

const FAST = { N: 2 ** 10, r: 8, p: 1 };
const homes: string[] = [];

afterEach(async () => {
  await Promise.all(homes.splice(0).map((h) => rm(h, { recursive: true, force: true })));
});

async function home(extra: NodeJS.ProcessEnv = {}): Promise<{ env: NodeJS.ProcessEnv; paths: AishellPaths }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'aishell-vault-access-'));
  homes.push(dir);
  const env = {
    HOME: dir,
    XDG_DATA_HOME: path.join(dir, 'data'),
    XDG_CONFIG_HOME: path.join(dir, 'config'),
    ...extra,
  };
  return { env, paths: resolvePaths(env) };
}

/** A prompt that answers from a list and records what it was asked. */
function prompter(...answers: string[]) {
  const asked: VaultPasswordPurpose[] = [];
  return {
    asked,
    promptPassword: async (purpose: VaultPasswordPurpose) => {
      asked.push(purpose);
      return answers.shift() ?? '';
    },
  };
}

describe('vault access', () => {
  it('creates the vault at $XDG_DATA_HOME/aishell/vault.json with the password from AISHELL_VAULT_PASSWORD', async () => {
    const { env, paths } = await home({ AISHELL_VAULT_PASSWORD: 'env-master' });
    await (await createVault({ env, scrypt: FAST })).close();
    expect(paths.vaultFile).toBe(path.join(env.XDG_DATA_HOME as string, 'aishell', 'vault.json'));
    await using vault = await Vault.open(paths.vaultFile, 'env-master');
    expect(vault.list()).toEqual([]);
  });

  it('makes an existing aishell data folder private before creating the vault in it', async () => {
    const { env, paths } = await home({ AISHELL_VAULT_PASSWORD: 'm' });
    await mkdir(paths.dataDir, { recursive: true, mode: 0o755 });
    await chmod(paths.dataDir, 0o755);
    await (await createVault({ env, scrypt: FAST })).close();
    expect((await stat(paths.dataDir)).mode & 0o777).toBe(0o700);
  });

  it('asks the prompt for a new password when creating and for the password when unlocking', async () => {
    const { env } = await home();
    const create = prompter('typed-master');
    await (await createVault({ env, scrypt: FAST, ...create })).close();
    const unlock = prompter('typed-master');
    await (await openVault({ env, ...unlock })).close();
    expect([...create.asked, ...unlock.asked]).toEqual(['create', 'unlock']);
  });

  it('uses only AISHELL_VAULT_PASSWORD when it is set, never prompting', async () => {
    const { env } = await home({ AISHELL_VAULT_PASSWORD: 'right' });
    await (await createVault({ env, scrypt: FAST })).close();
    const prompt = prompter('right');
    const error = await openVault({ env: { ...env, AISHELL_VAULT_PASSWORD: 'wrong' }, ...prompt }).catch(
      (e) => e,
    );
    expect(error).toMatchObject({ code: 'VAULT_LOCKED', reason: 'wrong-password' });
    expect(prompt.asked).toEqual([]);
  });

  it('fails with VAULT_LOCKED (missing password) in a script with no password and no prompt', async () => {
    const { env } = await home({ AISHELL_VAULT_PASSWORD: 'm' });
    await (await createVault({ env, scrypt: FAST })).close();
    const error = await openVault({ env: { ...env, AISHELL_VAULT_PASSWORD: '' } }).catch((e) => e);
    expect(error).toMatchObject({ code: 'VAULT_LOCKED', reason: 'missing-password' });
  });

  it('reports a missing vault before asking for any password', async () => {
    const { env } = await home();
    const prompt = prompter('x');
    expect(await openVault({ env, ...prompt }).catch((e) => e)).toMatchObject({ code: 'VAULT_NOT_FOUND' });
    expect(prompt.asked).toEqual([]);
  });

  it('falls back to the prompt when the keychain is enabled but there is none here', async () => {
    const { env } = await home({ AISHELL_VAULT_KEYCHAIN: '1' });
    await (await createVault({ env, scrypt: FAST, ...prompter('m') })).close();
    const prompt = prompter('m');
    await (await openVault({ env, ...prompt })).close();
    expect(prompt.asked).toEqual(['unlock']);
  });

  it('says plainly that there is no keychain when asked to remember or forget the password', async () => {
    const { env } = await home({ AISHELL_VAULT_PASSWORD: 'm' });
    await (await createVault({ env, scrypt: FAST })).close();
    expect(await rememberVaultPassword({ env }).catch((e) => e)).toMatchObject({
      code: 'VAULT_KEYCHAIN_UNAVAILABLE',
    });
    expect(await forgetVaultPassword({ env }).catch((e) => e)).toMatchObject({
      code: 'VAULT_KEYCHAIN_UNAVAILABLE',
    });
  });

  it('rotates to the password in AISHELL_VAULT_NEW_PASSWORD, or refuses without one', async () => {
    const { env, paths } = await home({ AISHELL_VAULT_PASSWORD: 'old' });
    await using vault = await createVault({ env, scrypt: FAST });
    await vault.set('k', 'v');
    expect(await rotateVault(vault, { env }).catch((e) => e)).toMatchObject({ code: 'VAULT_BAD_PASSWORD' });
    await rotateVault(vault, { env: { ...env, AISHELL_VAULT_NEW_PASSWORD: 'new' } });
    await using reopened = await Vault.open(paths.vaultFile, 'new');
    expect(reopened.get('k')).toBe('v');
  });

  it('stores, resolves and removes saved-connection secrets, creating the vault on first store', async () => {
    const { env, paths } = await home({ AISHELL_VAULT_PASSWORD: 'm' });
    {
      await using secrets = new VaultSecrets({ env, scrypt: FAST });
      await secrets.remove('connection.none'); // no vault yet: nothing to do
      expect(await Vault.exists(paths.vaultFile)).toBe(false);
      await secrets.store('connection.prod', 'db-pass-1');
      expect(await secrets.resolve('connection.prod')).toBe('db-pass-1');
    }
    expect(await readFile(paths.vaultFile, 'utf8')).not.toContain('db-pass-1');
    await using secrets = new VaultSecrets({ env });
    const { resolve, remove } = secrets; // bound: usable as callbacks
    expect(await resolve('connection.prod')).toBe('db-pass-1');
    await remove('connection.prod');
    await remove('connection.prod');
    expect(await resolve('connection.prod').catch((e) => e)).toMatchObject({ code: 'VAULT_ENTRY_NOT_FOUND' });
  });

  it('does not keep a failed unlock: the next call may prompt again', async () => {
    const { env } = await home();
    await (await createVault({ env, scrypt: FAST, ...prompter('m') })).close();
    const prompt = prompter('wrong', 'm');
    await using secrets = new VaultSecrets({ env, ...prompt });
    expect(await secrets.resolve('x').catch((e) => e)).toMatchObject({ code: 'VAULT_LOCKED' });
    expect(await secrets.resolve('x').catch((e) => e)).toMatchObject({ code: 'VAULT_ENTRY_NOT_FOUND' });
    expect(prompt.asked).toEqual(['unlock', 'unlock']);
  });
});

describe('vault status', () => {
  it('tells where the vault is and which entries it holds without the password', async () => {
    const { env, paths } = await home({ AISHELL_VAULT_PASSWORD: 'm' });
    expect(await vaultStatus({ env })).toEqual({ path: paths.vaultFile, exists: false, entries: [] });
    await using secrets = new VaultSecrets({ env, scrypt: FAST });
    await secrets.store('connection.b', 'x');
    await secrets.store('connection.a', 'y');
    expect(await vaultStatus({ env: { ...env, AISHELL_VAULT_PASSWORD: '' } })).toEqual({
      path: paths.vaultFile,
      exists: true,
      entries: ['connection.a', 'connection.b'],
    });
  });
});
