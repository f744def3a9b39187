// Proposed tools/bench/demo.ts: how long the demo database takes to generate, create and reopen.
// Usage: tsx tools/bench/demo.ts [--runs 3]. Human-readable lines, then one JSON object as the last line.
// Wall time and CPU time (user + system) are both reported: on a busy machine the CPU time is the
// better estimate of what an idle machine's wall time would be (PGlite runs on one thread).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { demoDataStatements, seedDemo } from '@aishell/engine';
import { PGlite } from '@electric-sql/pglite';

const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const round = (x: number) => Math.round(x);

interface Timing {
  wall: number;
  cpu: number;
}

async function time(fn: () => Promise<unknown>): Promise<Timing> {
  const cpu = process.cpuUsage();
  const t = performance.now();
  await fn();
  const used = process.cpuUsage(cpu);
  return { wall: performance.now() - t, cpu: (used.user + used.system) / 1000 };
}

// Reopening is measured in a fresh Node process each time: that is what a CLI invocation pays.
const reopenScript = `
const cpu0 = process.cpuUsage();
const t = performance.now();
const { PGlite } = await import('@electric-sql/pglite');
const db = new PGlite(process.argv[1], JSON.parse(process.argv[2]));
await db.query('select 1');
const wall = performance.now() - t;
const used = process.cpuUsage(cpu0);
await db.query('select count(*) from orders');
await db.close();
console.log(JSON.stringify({ wall, cpu: (used.user + used.system) / 1000 }));`;

function reopen(dir: string, options: object): Timing {
  const child = spawnSync(
    process.execPath,
    ['--input-type=module', '-e', reopenScript, dir, JSON.stringify(options)],
    {
      encoding: 'utf8',
      cwd: path.dirname(new URL(import.meta.url).pathname),
    },
  );
  if (child.status !== 0) throw new Error(child.stderr);
  return JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as Timing;
}

const phases = ['generate', 'initdb', 'seed', 'reopen', 'reopenRelaxed'] as const;
const results: Record<(typeof phases)[number], Timing[]> = {
  generate: [],
  initdb: [],
  seed: [],
  reopen: [],
  reopenRelaxed: [],
};
for (let run = 0; run < runs; run++) {
  results.generate.push(await time(() => demoDataStatements()));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aishell-bench-demo-'));
  try {
    let db: PGlite | undefined;
    results.initdb.push(
      await time(async () => {
        db = new PGlite(dir);
        await db.waitReady;
      }),
    );
    results.seed.push(await time(() => seedDemo((sql) => db!.exec(sql))));
    await db!.close();
    results.reopen.push(reopen(dir, {}));
    results.reopenRelaxed.push(reopen(dir, { relaxedDurability: true }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(
    `run ${run + 1}: ` +
      phases
        .map((p) => `${p} ${round(results[p][run]!.wall)} ms (cpu ${round(results[p][run]!.cpu)} ms)`)
        .join(', '),
  );
}
console.log(
  `load average ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')} on ${os.cpus().length} CPUs`,
);
const figures: Record<string, number> = { runs };
for (const p of phases) {
  figures[`${p}Ms`] = round(median(results[p].map((r) => r.wall)));
  figures[`${p}CpuMs`] = round(median(results[p].map((r) => r.cpu)));
}
console.log(JSON.stringify(figures));
