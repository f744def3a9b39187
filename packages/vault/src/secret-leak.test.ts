import { chmod, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Vault } from './index.js';
import { FAST_SCRYPT, tempVaultPath } from './temp-vault.fixture.js';

const MASTER = 'Master-Pa55word-NEVER-SHOWN';
const NEW_MASTER = 'Rotated-Master-NEVER-SHOWN';
const SECRETS = ['db-secret-AAAA-never-shown', 'sk-live-BBBB-never-shown', 'pw with spaces CCCC'];
const FORBIDDEN = [MASTER, NEW_MASTER, ...SECRETS];

/** Every spelling a secret could leak in: plain, base64, hex, JSON-escaped. */
function spellings(secret: string): string[] {
  const bytes = Buffer.from(secret);
  return [secret, bytes.toString('base64'), bytes.toString('hex'), JSON.stringify(secret).slice(1, -1)];
}

function expectClean(haystack: string, where: string): void {
  for (const secret of FORBIDDEN) {
    for (const spelling of spellings(secret)) {
      expect(haystack.includes(spelling), `${where} contains a secret`).toBe(false);
    }
  }
}

async function allFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe('secrets stay secret', () => {
  it('never writes a password or a value into any file, error message, stack or inspected error', async () => {
    const { root, file } = await tempVaultPath();
    const captured: string[] = [];
    const capture = (error: unknown) => {
      captured.push(
        String(error),
        (error as Error).stack ?? '',
        inspect(error, { depth: 5 }),
        JSON.stringify(error),
      );
    };

    {
      await using vault = await Vault.create(file, MASTER, { scrypt: FAST_SCRYPT });
      for (const [i, secret] of SECRETS.entries()) await vault.set(`entry-${i}`, secret);
      await vault.add('entry-0', SECRETS[0] ?? '').catch(capture);
      await vault.set(SECRETS[2] ?? '', 'x').catch(capture); // a secret pasted as a name
      await vault.set(`${SECRETS[0]} `, 'x').catch(capture);
      capture(await vault.remove('missing').catch((e: unknown) => e));
      captured.push(inspect(vault, { showHidden: true, depth: 5 }), JSON.stringify(vault.list()));
      await vault.rotate(NEW_MASTER);
    }

    await Vault.open(file, MASTER).catch(capture); // the old password
    await Vault.open(file, `${NEW_MASTER}x`).catch(capture);
    await Vault.open(file, '').catch(capture);
    captured.push(JSON.stringify(await Vault.inspect(file)));

    const good = await readFile(file, 'utf8');
    await writeFile(file, good.replace('"ciphertext": "', '"ciphertext": "A'));
    await Vault.open(file, NEW_MASTER).catch(capture);
    await writeFile(file, good);
    await chmod(file, 0o644);
    await Vault.open(file, NEW_MASTER).catch(capture);
    await chmod(file, 0o600);

    expect(captured.length).toBeGreaterThan(20);
    expectClean(captured.join('\n'), 'captured errors');
    const files = await allFiles(root);
    expect(files.map((f) => path.basename(f)).sort()).toEqual(['vault.json', 'vault.json.prev']);
    for (const f of files) expectClean(await readFile(f, 'latin1'), f);

    // And the values are really in there, encrypted: the right password still reads them.
    await using vault = await Vault.open(file, NEW_MASTER);
    expect(SECRETS.map((_, i) => vault.get(`entry-${i}`))).toEqual(SECRETS);
  });
});
