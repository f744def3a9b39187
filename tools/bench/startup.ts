// Start-up cost of the CLI: median wall time of `aishell --version` and of
// `aishell query "select 1"` against PostgreSQL, beside `node -e 0` measured in the same run.
// Needs the CLI built (`pnpm build`). Goal: the query under 250 ms.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pgUrl } from '@aishell/testing';

const json = process.argv.includes('--json');
const runs = Number(process.env.BENCH_RUNS ?? 15);
const bin = path.resolve('apps/cli/bin/run.js');
const url = await pgUrl();

const cases: Record<string, string[]> = {
  node: ['-e', '0'],
  version: [bin, '--version'],
  query: [bin, 'query', 'select 1', '-c', url, '--json'],
};
const times: Record<string, number[]> = { node: [], version: [], query: [] };
const env = { ...process.env, NO_COLOR: '1' };
// Interleave the cases so that drift in machine load touches all of them alike.
for (let i = 0; i < runs + 2; i++) {
  for (const [name, argv] of Object.entries(cases)) {
    const started = performance.now();
    const r = spawnSync(process.execPath, argv, { env, encoding: 'utf8' });
    const ms = performance.now() - started;
    if (r.status !== 0) throw new Error(`${name} failed: ${r.stderr}`);
    if (i >= 2) times[name]?.push(ms); // two warm-up rounds fill the OS file cache
  }
}
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};
const figures = {
  nodeMs: Math.round(median(times.node as number[])),
  versionMs: Math.round(median(times.version as number[])),
  queryMs: Math.round(median(times.query as number[])),
  runs,
};
if (!json) {
  console.log(`node -e 0                 ${figures.nodeMs} ms`);
  console.log(`aishell --version         ${figures.versionMs} ms`);
  console.log(`aishell query "select 1"  ${figures.queryMs} ms (goal < 250 ms)`);
}
console.log(JSON.stringify(figures));
