// Run by vault-concurrency.test.ts in separate node processes: adds `count` entries named
// `<prefix>-<i>` to the vault at `file`, each through its own locked, atomic write.
import { Vault } from './index.js';

const [file, prefix, count] = process.argv.slice(2);
const password = process.env.AISHELL_VAULT_PASSWORD ?? '';
await using vault = await Vault.open(file ?? '', password, { lockTimeoutMillis: 60_000 });
for (let i = 0; i < Number(count); i++) {
  await vault.add(`${prefix}-${i}`, `value-of-${prefix}-${i}`);
}
