import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { VAULT_DEFAULTS, Vault, type VaultError } from './index.js';
import { FAST_SCRYPT, tempVaultPath } from './temp-vault.fixture.js';

const PASSWORD = 'correct horse battery staple';

async function codeOf(promise: Promise<unknown> | (() => unknown)): Promise<string | undefined> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    return (error as VaultError).code;
  }
  return undefined;
}

describe('Vault', () => {
  it('creates a vault file of mode 0600 inside a new folder of mode 0700', async () => {
    const { file } = await tempVaultPath();
    const vault = await Vault.create(file, PASSWORD, { scrypt: FAST_SCRYPT });
    await vault.close();
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(file))).mode & 0o777).toBe(0o700);
  });

  it('stores the default scrypt parameters in the file and unlocks with them', async () => {
    const { file } = await tempVaultPath();
    await (await Vault.create(file, PASSWORD)).close();
    const json = JSON.parse(await readFile(file, 'utf8'));
    expect(json.kdf).toMatchObject({ name: 'scrypt', ...VAULT_DEFAULTS.scrypt });
    await using vault = await Vault.open(file, PASSWORD);
    expect(vault.scrypt).toEqual(VAULT_DEFAULTS.scrypt);
  });

  it('keeps values across a close and a new open', async () => {
    const { file } = await tempVaultPath();
    {
      await using vault = await Vault.create(file, PASSWORD, { scrypt: FAST_SCRYPT });
      await vault.set('prod', 'p@ss:word/with?odd&chars ✓');
      await vault.set('staging', 'another');
    }
    await using vault = await Vault.open(file, PASSWORD);
    expect(vault.list()).toEqual(['prod', 'staging']);
    expect(vault.get('prod')).toBe('p@ss:word/with?odd&chars ✓');
    expect(vault.has('staging')).toBe(true);
    expect(vault.has('nope')).toBe(false);
  });

  it('replaces a value with set and refuses a duplicate with add', async () => {
    const { file } = await tempVaultPath();
    await using vault = await Vault.create(file, PASSWORD, { scrypt: FAST_SCRYPT });
    await vault.add('prod', 'one');
    await vault.set('prod', 'two');
    expect(vault.get('prod')).toBe('two');
    expect(await codeOf(vault.add('prod', 'three'))).toBe('VAULT_ENTRY_EXISTS');
    expect(vault.get('prod')).toBe('two');
  });

  it('removes an entry and reports a missing one', async () => {
    const { file } = await tempVaultPath();
    await using vault = await Vault.create(file, PASSWORD, { scrypt: FAST_SCRYPT });
    await vault.set('prod', 'x');
    await vault.remove('prod');
    expect(vault.list()).toEqual([]);
    expect(await codeOf(vault.remove('prod'))).toBe('VAULT_ENTRY_NOT_FOUND');
    expect(await codeOf(() => vault.get('prod'))).toBe('VAULT_ENTRY_NOT_FOUND');
  });

  it('refuses entry names outside the allowed set', async () => {
    const { file } = await tempVaultPath();
    await using vault = await Vault.create(file, PASSWORD, { scrypt: FAST_SCRYPT });
    for (const name of ['', ' prod', 'a b', '-x', 'x'.repeat(129), 'über']) {
      expect(await codeOf(vault.set(name, 'v'))).toBe('VAULT_BAD_NAME');
    }
    await vault.set('conn:prod/user@host_1.x-y', 'ok');
    expect(vault.list()).toEqual(['conn:prod/user@host_1.x-y']);
  });

  it('refuses to create a second vault over an existing one and leaves it intact', async () => {
    const { file } = await tempVaultPath();
    await (await Vault.create(file, PASSWORD, { scrypt: FAST_SCRYPT })).close();
    const before = await readFile(file);
    expect(await codeOf(Vault.create(file, 'other', { scrypt: FAST_SCRYPT }))).toBe('VAULT_EXISTS');
    expect(await readFile(file)).toEqual(before);
  });

  it('says VAULT_NOT_FOUND, naming aishell vault init, when there is no vault', async () => {
    const { file } = await tempVaultPath();
    const error = await Vault.open(file, PASSWORD).catch((e: VaultError) => e);
    expect(error).toMatchObject({ code: 'VAULT_NOT_FOUND' });
    expect((error as Error).message).toContain('aishell vault init');
    expect(await Vault.exists(file)).toBe(false);
    // "No vault" says more than "no password", so it wins when both are true.
    expect(await codeOf(Vault.open(file, ''))).toBe('VAULT_NOT_FOUND');
  });

  it('refuses a wrong password with VAULT_LOCKED and leaves the file untouched', async () => {
    const { file } = await tempVaultPath();
    {
      await using vault = await Vault.create(file, PASSWORD, { scrypt: FAST_SCRYPT });
      await vault.set('prod', 'x');
    }
    const before = await readFile(file);
    const mtime = (await stat(file)).mtimeMs;
    const error = await Vault.open(file, 'wrong').catch((e: VaultError) => e);
    expect(error).toMatchObject({ code: 'VAULT_LOCKED', reason: 'wrong-password' });
    expect(await readFile(file)).toEqual(before);
    expect((await stat(file)).mtimeMs).toBe(mtime);
  });

  it('refuses an empty password as missing', async () => {
    const { file } = await tempVaultPath();
    await (await Vault.create(file, PASSWORD, { scrypt: FAST_SCRYPT })).close();
    expect(await Vault.open(file, '').catch((e: VaultError) => e)).toMatchObject({
      code: 'VAULT_LOCKED',
      reason: 'missing-password',
    });
    expect(await codeOf(Vault.create(`${file}.2`, '', { scrypt: FAST_SCRYPT }))).toBe('VAULT_BAD_PASSWORD');
  });

  it('keeps the previous version of the file beside it on every write', async () => {
    const { file } = await tempVaultPath();
    await using vault = await Vault.create(file, PASSWORD, { scrypt: FAST_SCRYPT });
    await vault.set('one', '1');
    const afterOne = await readFile(file, 'utf8');
    await vault.set('two', '2');
    expect(await readFile(`${file}.prev`, 'utf8')).toBe(afterOne);
    expect((await stat(`${file}.prev`)).mode & 0o777).toBe(0o600);
  });

  it('merges the latest file on write, so a writer does not drop entries another instance added', async () => {
    const { file } = await tempVaultPath();
    await using a = await Vault.create(file, PASSWORD, { scrypt: FAST_SCRYPT });
    await using b = await Vault.open(file, PASSWORD);
    await a.set('from-a', 'A');
    await b.set('from-b', 'B');
    expect(b.list()).toEqual(['from-a', 'from-b']);
    expect(a.list()).toEqual(['from-a']);
    await a.refresh();
    expect(a.get('from-b')).toBe('B');
  });

  it('rotates every entry to a new password in one write; the old password then opens nothing', async () => {
    const { file } = await tempVaultPath();
    {
      await using vault = await Vault.create(file, PASSWORD, { scrypt: FAST_SCRYPT });
      await vault.set('prod', 'P');
      await vault.set('dev', 'D');
      const saltBefore = JSON.parse(await readFile(file, 'utf8')).kdf.salt;
      await vault.rotate('new password');
      expect(JSON.parse(await readFile(file, 'utf8')).kdf.salt).not.toBe(saltBefore);
      expect(vault.get('prod')).toBe('P');
      await vault.set('after', 'A');
    }
    expect(await codeOf(Vault.open(file, PASSWORD))).toBe('VAULT_LOCKED');
    await using vault = await Vault.open(file, 'new password');
    expect(vault.list()).toEqual(['after', 'dev', 'prod']);
    expect(vault.get('dev')).toBe('D');
    // The kept previous version is the rotated file too: nothing on disk still opens with the old password.
    const prev = `${file}.prev`;
    expect(await codeOf(Vault.open(prev, PASSWORD))).toBe('VAULT_LOCKED');
  });

  it('tells another instance that the vault was re-keyed instead of overwriting it', async () => {
    const { file } = await tempVaultPath();
    await using a = await Vault.create(file, PASSWORD, { scrypt: FAST_SCRYPT });
    await using b = await Vault.open(file, PASSWORD);
    await a.rotate('next');
    const before = await readFile(file);
    expect(await b.set('x', 'y').catch((e: VaultError) => e)).toMatchObject({
      code: 'VAULT_LOCKED',
      reason: 'rekeyed',
    });
    expect(await readFile(file)).toEqual(before);
  });

  it('refuses use after close, and a second close is harmless', async () => {
    const { file } = await tempVaultPath();
    const vault = await Vault.create(file, PASSWORD, { scrypt: FAST_SCRYPT });
    await vault.set('prod', 'x');
    await vault.close();
    await vault.close();
    expect(await codeOf(() => vault.get('prod'))).toBe('VAULT_CLOSED');
    expect(await codeOf(() => vault.list())).toBe('VAULT_CLOSED');
    expect(await codeOf(vault.set('a', 'b'))).toBe('VAULT_CLOSED');
  });

  it('lets a write in flight finish before close drops the keys', async () => {
    const { file } = await tempVaultPath();
    const vault = await Vault.create(file, PASSWORD, { scrypt: FAST_SCRYPT });
    const writing = vault.set('prod', 'x');
    await vault.close();
    await writing;
    await using again = await Vault.open(file, PASSWORD);
    expect(again.get('prod')).toBe('x');
  });

  it('writes nothing when the signal is already aborted', async () => {
    const { file } = await tempVaultPath();
    await using vault = await Vault.create(file, PASSWORD, { scrypt: FAST_SCRYPT });
    const before = await readFile(file);
    const error = await vault.set('prod', 'x', { signal: AbortSignal.abort() }).catch((e: Error) => e);
    expect((error as Error).name).toBe('AbortError');
    expect(await readFile(file)).toEqual(before);
    const opening = await Vault.open(file, PASSWORD, { signal: AbortSignal.abort() }).catch((e: Error) => e);
    expect((opening as Error).name).toBe('AbortError');
  });

  it('shows names and cost without the password through inspect', async () => {
    const { file } = await tempVaultPath();
    {
      await using vault = await Vault.create(file, PASSWORD, { scrypt: FAST_SCRYPT });
      await vault.set('b', '1');
      await vault.set('a', '2');
    }
    expect(await Vault.inspect(file)).toEqual({
      path: file,
      version: 1,
      scrypt: FAST_SCRYPT,
      entries: ['a', 'b'],
    });
  });

  it('rejects scrypt parameters outside the accepted bounds', async () => {
    const { file } = await tempVaultPath();
    expect(await codeOf(Vault.create(file, PASSWORD, { scrypt: { N: 1000 } }))).toBe('VAULT_BAD_OPTIONS');
    expect(await codeOf(Vault.create(file, PASSWORD, { scrypt: { N: 2 ** 21 } }))).toBe('VAULT_BAD_OPTIONS');
    expect(await codeOf(Vault.create(file, PASSWORD, { scrypt: { r: 0 } }))).toBe('VAULT_BAD_OPTIONS');
    expect(await Vault.exists(file)).toBe(false);
  });

  it('does not overwrite an existing file content when reading it back during open', async () => {
    const { file } = await tempVaultPath();
    await (await Vault.create(file, PASSWORD, { scrypt: FAST_SCRYPT })).close();
    await writeFile(`${file}.unrelated`, 'x');
    await using vault = await Vault.open(file, PASSWORD);
    expect(vault.list()).toEqual([]);
  });
});
