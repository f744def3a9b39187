// pnpm bench vault [--json] [--entries 100] [--runs 7]
//
// Measures the vault at its default scrypt cost, each figure beside a baseline from the same run:
//   unlockMs  Vault.open (read, checksum, scrypt, HKDF, MAC)   vs  bare scrypt at the same cost
//   addMs     vault.set (lock, re-read, verify, encrypt, two atomic fsynced writes)  vs  one fsynced writeFile
//   getMs     vault.get (AES-256-GCM decrypt of one value)      vs  a Map lookup of the plaintext
// Human-readable lines first; the last line is one JSON object of figures.
import { randomBytes, scrypt } from 'node:crypto';
import { mkdtemp, open, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { VAULT_DEFAULTS, Vault } from '@aishell/vault';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    entries: { type: 'string', default: '100' },
    runs: { type: 'string', default: '7' },
  },
});
const ENTRIES = Number(values.entries);
const RUNS = Number(values.runs);
const PASSWORD = randomBytes(18).toString('base64');

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function time(runs: number, fn: () => unknown): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

const round = (n: number, digits = 3) => Number(n.toFixed(digits));

const root = await mkdtemp(path.join(os.tmpdir(), 'aishell-bench-vault-'));
try {
  const file = path.join(root, 'aishell', 'vault.json');
  const { N, r, p } = VAULT_DEFAULTS.scrypt;
  {
    await using vault = await Vault.create(file, PASSWORD);
    for (let i = 0; i < ENTRIES; i++) await vault.set(`conn-${i}`, randomBytes(24).toString('base64'));
  }

  const salt = randomBytes(32);
  const scryptMs = await time(RUNS, () => {
    return new Promise((resolve, reject) =>
      scrypt(PASSWORD, salt, 32, { N, r, p, maxmem: 2 * 128 * N * r + 1024 * 1024 }, (e, k) =>
        e ? reject(e) : resolve(k),
      ),
    );
  });
  const unlockMs = await time(RUNS, async () => {
    await (await Vault.open(file, PASSWORD)).close();
  });

  await using vault = await Vault.open(file, PASSWORD);
  const text = 'x'.repeat(150 * ENTRIES);
  const plainWriteMs = await time(RUNS * 5, async () => {
    const handle = await open(path.join(root, 'plain.json'), 'w', 0o600);
    await handle.writeFile(text);
    await handle.sync();
    await handle.close();
  });
  let n = 0;
  const addMs = await time(RUNS * 5, () => vault.set(`added-${n++}`, 'value'));

  const plain = new Map(vault.list().map((name) => [name, 'value']));
  const GETS = 2_000;
  const mapLookupMs =
    (await time(RUNS, () => {
      for (let i = 0; i < GETS; i++) plain.get(`conn-${i % ENTRIES}`);
    })) / GETS;
  const getMs =
    (await time(RUNS, () => {
      for (let i = 0; i < GETS; i++) vault.get(`conn-${i % ENTRIES}`);
    })) / GETS;

  console.log(
    `vault at scrypt N=2^${Math.log2(N)} r=${r} p=${p} (${(128 * N * r) / 2 ** 20} MiB), ${ENTRIES} entries`,
  );
  console.log(
    `unlock  ${unlockMs.toFixed(1)} ms   (bare scrypt ${scryptMs.toFixed(1)} ms, x${(unlockMs / scryptMs).toFixed(2)})`,
  );
  console.log(
    `add     ${addMs.toFixed(2)} ms   (one fsynced write ${plainWriteMs.toFixed(2)} ms, x${(addMs / plainWriteMs).toFixed(1)})`,
  );
  console.log(`get     ${(getMs * 1000).toFixed(1)} µs   (Map lookup ${(mapLookupMs * 1000).toFixed(2)} µs)`);
  console.log(
    JSON.stringify({
      unlockMs: round(unlockMs, 1),
      addMs: round(addMs, 2),
      getMs: round(getMs, 4),
      scryptMs: round(scryptMs, 1),
      plainWriteMs: round(plainWriteMs, 2),
      unlockVsScrypt: round(unlockMs / scryptMs, 2),
      addVsPlainWrite: round(addMs / plainWriteMs, 2),
      entries: ENTRIES,
      scrypt: { N, r, p },
    }),
  );
} finally {
  await rm(root, { recursive: true, force: true });
}
