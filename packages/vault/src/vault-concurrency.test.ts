import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Vault } from './index.js';
import { FAST_SCRYPT, tempVaultPath } from './temp-vault.fixture.js';

const PASSWORD = 'concurrency-password';
const WRITER = fileURLToPath(new URL('./concurrent-writer.fixture.ts', import.meta.url));

/** Run the writer fixture in a real separate node process (password by environment, never argv). */
function writer(
  file: string,
  prefix: string,
  count: number,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, file, prefix, String(count)], {
      env: { ...process.env, AISHELL_VAULT_PASSWORD: PASSWORD },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('concurrent writers', () => {
  it('lands every entry when 8 processes add 50 entries each at the same time', {
    timeout: 120_000,
  }, async () => {
    const { file } = await tempVaultPath();
    await (await Vault.create(file, PASSWORD, { scrypt: FAST_SCRYPT })).close();

    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => writer(file, `p${i}`, 50)));
    for (const result of results) expect(result).toEqual({ code: 0, stderr: '' });

    await using vault = await Vault.open(file, PASSWORD);
    const names = vault.list();
    expect(names).toHaveLength(400);
    for (let p = 0; p < 8; p++) {
      for (let i = 0; i < 50; i++) expect(vault.get(`p${p}-${i}`)).toBe(`value-of-p${p}-${i}`);
    }
  });
});
