import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { Vault, type VaultError } from './index.js';
import { FAST_SCRYPT, tempVaultPath } from './temp-vault.fixture.js';

const PASSWORD = 'tamper-test-password';

/** A vault with two entries, and its exact bytes. */
async function makeVault(): Promise<{ file: string; text: string }> {
  const { file } = await tempVaultPath();
  await using vault = await Vault.create(file, PASSWORD, { scrypt: FAST_SCRYPT });
  await vault.set('prod', 'prod-secret-value');
  await vault.set('staging', 'staging-secret-value');
  return { file, text: await readFile(file, 'utf8') };
}

/** Open the vault and return the error code, checking the attempt left the file as it was. */
async function openCode(file: string): Promise<string | undefined> {
  const before = await readFile(file);
  const code = await Vault.open(file, PASSWORD).then(
    async (vault) => {
      await vault.close();
      return undefined;
    },
    (error: VaultError) => error.code,
  );
  expect(await readFile(file)).toEqual(before);
  return code;
}

/** Replace one character inside the JSON string value of `key` (the `nth` occurrence) by another of its alphabet. */
function changeValue(text: string, key: string, nth = 0): string {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(`"${key}": `, at + 1);
  if (at < 0) throw new Error(`no ${key} in file`);
  const start = text.indexOf(':', at) + 3; // past `: "` (or `: ` then the first digit of a number)
  const position = text[start - 1] === '"' ? start + 2 : start - 1;
  const old = text[position] ?? '';
  const replacement = /[0-9]/.test(old) ? String((Number(old) + 1) % 10) : old === 'A' ? 'B' : 'A';
  return text.slice(0, position) + replacement + text.slice(position + 1);
}

/** Recompute the unkeyed checksum, as an attacker who knows the format would. */
function reseal(text: string): string {
  const json = JSON.parse(text);
  const { sha256: _, ...sealed } = json;
  json.sha256 = createHash('sha256').update(JSON.stringify(sealed)).digest('hex');
  return `${JSON.stringify(json, null, 2)}\n`;
}

describe('tamper detection', () => {
  const regions: Array<[string, string, number?]> = [
    ['header: format', 'format'],
    ['header: scrypt N', 'N'],
    ['header: scrypt r', 'r'],
    ['salt', 'salt'],
    ['password check', 'check'],
    ['entry name', 'name', 1],
    ['nonce', 'nonce'],
    ['ciphertext', 'ciphertext', 1],
    ['tag', 'tag'],
    ['file MAC', 'mac'],
    ['checksum', 'sha256'],
  ];

  for (const [region, key, nth] of regions) {
    it(`detects a changed byte in the ${region} and leaves the file untouched`, async () => {
      const { file, text } = await makeVault();
      const changed = changeValue(text, key, nth);
      expect(changed).not.toBe(text);
      await writeFile(file, changed);
      expect(await openCode(file)).toBe('VAULT_TAMPERED');
    });
  }

  it('detects a changed byte at every single offset of the file', async () => {
    const { file, text } = await makeVault();
    const bytes = Buffer.from(text);
    const codes = new Set<string | undefined>();
    for (let i = 0; i < bytes.length; i++) {
      const copy = Buffer.from(bytes);
      copy[i] = (copy[i] ?? 0) ^ 0x01;
      await writeFile(file, copy);
      codes.add(await openCode(file));
    }
    expect([...codes]).toEqual(['VAULT_TAMPERED']);
  });

  it('detects a truncated file, an appended byte and changed whitespace', async () => {
    const { file, text } = await makeVault();
    for (const changed of [text.slice(0, -10), `${text} `, text.replace('\n  "kdf"', '\n   "kdf"'), '']) {
      await writeFile(file, changed);
      expect(await openCode(file)).toBe('VAULT_TAMPERED');
    }
  });

  it('detects a changed ciphertext even when the attacker recomputes the checksum', async () => {
    const { file, text } = await makeVault();
    await writeFile(file, reseal(changeValue(text, 'ciphertext')));
    const error = await Vault.open(file, PASSWORD).catch((e: VaultError) => e);
    expect(error).toMatchObject({ code: 'VAULT_TAMPERED', detail: 'mac' });
  });

  it('detects values swapped between entries even when the checksum is recomputed', async () => {
    const { file, text } = await makeVault();
    const json = JSON.parse(text);
    const [a, b] = json.entries;
    [a.ciphertext, b.ciphertext, a.nonce, b.nonce, a.tag, b.tag] = [
      b.ciphertext,
      a.ciphertext,
      b.nonce,
      a.nonce,
      b.tag,
      a.tag,
    ];
    await writeFile(file, reseal(JSON.stringify(json)));
    expect(await openCode(file)).toBe('VAULT_TAMPERED');
  });

  it('refuses a deliberately changed salt as a wrong password, without touching the file', async () => {
    const { file, text } = await makeVault();
    await writeFile(file, reseal(changeValue(text, 'salt')));
    expect(await openCode(file)).toBe('VAULT_LOCKED');
  });

  it('reports a newer format version as unsupported', async () => {
    const { file, text } = await makeVault();
    await writeFile(file, reseal(text.replace('"version": 1', '"version": 2')));
    expect(await openCode(file)).toBe('VAULT_UNSUPPORTED_VERSION');
  });

  it('refuses a file that is not a vault at all', async () => {
    const { file } = await makeVault();
    await writeFile(file, '{"hello": "world"}\n');
    expect(await openCode(file)).toBe('VAULT_TAMPERED');
  });

  it('refuses a write when the file was tampered with after open, leaving it as found', async () => {
    const { file, text } = await makeVault();
    await using vault = await Vault.open(file, PASSWORD);
    const changed = reseal(changeValue(text, 'ciphertext'));
    await writeFile(file, changed);
    expect(await vault.set('x', 'y').catch((e: VaultError) => e.code)).toBe('VAULT_TAMPERED');
    expect(await readFile(file, 'utf8')).toBe(changed);
  });
});
