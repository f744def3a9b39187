// pnpm bench demo [--runs 3]: how long the demo database takes to generate, create and reopen.
// Reopening is measured three ways, each in a fresh Node process as a command pays it: PGlite with its
// defaults (the baseline), PGlite opened as @aishell/pool opens it (reopenPoolMs), and the whole
// `aishell query "select 1"` on the demo (cliQueryMs; needs the CLI built), beside `node -e 0`.
// Human-readable lines, then one JSON object as the last line.
// Wall time and CPU time (user + system) are both reported: on a busy machine the CPU time is the
// better estimate of what an idle machine's wall time would be (PGlite runs on one thread).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { demoDataStatements, seedDemo } from '@aishell/demo';
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
const db = new PGlite(process.argv[1]);
await db.query('select 1');
const wall = performance.now() - t;
const used = process.cpuUsage(cpu0);
await db.query('select count(*) from orders');
await db.close();
console.log(JSON.stringify({ wall, cpu: (used.user + used.system) / 1000 }));`;

// As aishell opens it: through @aishell/pool, with the CLI's WebAssembly setting (apps/cli/bin/run.js).
const reopenPoolScript = `
(await import('node:v8')).default.setFlagsFromString('--liftoff-only');
const cpu0 = process.cpuUsage();
const t = performance.now();
const { createPool } = await import('@aishell/pool');
const pool = createPool('pglite://' + process.argv[1]);
await pool.query('select 1');
const wall = performance.now() - t;
const used = process.cpuUsage(cpu0);
await pool.query('select count(*) from orders');
await pool.close();
console.log(JSON.stringify({ wall, cpu: (used.user + used.system) / 1000 }));`;

const cli = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../apps/cli/bin/run.js');

/** Wall time of one whole command, as its parent sees it (its CPU time is not reported). */
function command(argv: string[], env: NodeJS.ProcessEnv): Timing {
  const t = performance.now();
  const child = spawnSync(process.execPath, argv, { encoding: 'utf8', env });
  const wall = performance.now() - t;
  if (child.status !== 0) throw new Error(`${argv.join(' ')} failed: ${child.stderr}`);
  return { wall, cpu: Number.NaN };
}

function reopen(dir: string, script: string): Timing {
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script, dir], {
    encoding: 'utf8',
    cwd: path.dirname(new URL(import.meta.url).pathname),
  });
  if (child.status !== 0) throw new Error(child.stderr);
  return JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as Timing;
}

const phases = ['generate', 'initdb', 'seed', 'reopen', 'reopenPool', 'node', 'cliQuery'] as const;
const results: Record<(typeof phases)[number], Timing[]> = {
  generate: [],
  initdb: [],
  seed: [],
  reopen: [],
  reopenPool: [],
  node: [],
  cliQuery: [],
};
for (let run = 0; run < runs; run++) {
  results.generate.push(await time(() => demoDataStatements()));
  const home = mkdtempSync(path.join(os.tmpdir(), 'aishell-bench-demo-'));
  // Where `aishell` looks for its demo: $XDG_DATA_HOME/aishell/demo.
  const dir = path.join(home, 'data', 'aishell', 'demo');
  mkdirSync(dir, { recursive: true });
  const cliEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    XDG_DATA_HOME: path.join(home, 'data'),
    XDG_CONFIG_HOME: path.join(home, 'config'),
  };
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
    // Interleaved, several times each, so that drift in machine load touches all alike.
    const reopen1: Timing[] = [];
    const reopen2: Timing[] = [];
    const nodes: Timing[] = [];
    const clis: Timing[] = [];
    command([cli, 'query', 'select 1', '--json'], cliEnv); // warm the OS file cache
    for (let i = 0; i < 5; i++) {
      reopen1.push(reopen(dir, reopenScript));
      reopen2.push(reopen(dir, reopenPoolScript));
      nodes.push(command(['-e', '0'], cliEnv));
      clis.push(command([cli, 'query', 'select 1', '--json'], cliEnv));
    }
    const mid = (ts: Timing[]): Timing => ({
      wall: median(ts.map((x) => x.wall)),
      cpu: median(ts.map((x) => x.cpu)),
    });
    results.reopen.push(mid(reopen1));
    results.reopenPool.push(mid(reopen2));
    results.node.push(mid(nodes));
    results.cliQuery.push(mid(clis));
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
  console.log(
    `run ${run + 1}: ` +
      phases
        .map((p) => {
          const { wall, cpu } = results[p][run]!;
          return `${p} ${round(wall)} ms${Number.isNaN(cpu) ? '' : ` (cpu ${round(cpu)} ms)`}`;
        })
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
  const cpu = round(median(results[p].map((r) => r.cpu)));
  if (!Number.isNaN(cpu)) figures[`${p}CpuMs`] = cpu;
}
console.log(JSON.stringify(figures));
