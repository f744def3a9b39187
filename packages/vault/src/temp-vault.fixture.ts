// Shared by the vault tests: real temporary folders, and a cheap scrypt cost so that the suite stays
// quick (the default cost is exercised by the tests that say so, and measured by tools/bench/vault.ts).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import type { ScryptParams } from './index.js';

export const FAST_SCRYPT: ScryptParams = { N: 2 ** 10, r: 8, p: 1 };

const made: string[] = [];

afterEach(async () => {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A fresh private folder (mode 0700 from mkdtemp) and the vault path inside `<folder>/aishell/`. */
export async function tempVaultPath(): Promise<{ readonly root: string; readonly file: string }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'aishell-vault-'));
  made.push(root);
  return { root, file: path.join(root, 'aishell', 'vault.json') };
}
