// pnpm bench health [--json] [--tables 1000] [--runs 5]: a full `checkHealth` on PostgreSQL over a pool of
// four connections (@aishell/pool, as the engine will hand it in), on a scratch database of 1,000 tables
// (aishell_bench_health, created and dropped here). The baseline, measured in the same run, is the same
// checks over a pool of one connection, one query after another: `ratio` is what running them at once buys.
// The goal of the issue: a full run under 2 s. Human-readable lines, then one JSON object as the last line.

// tools/bench/package.json does not depend on @aishell/health yet (another engineer's file); the
// package's source is imported directly until it does.
import { checkHealth, healthChecks } from '@aishell/health';
import { createPool } from '@aishell/pool';
import { pgUrl } from '@aishell/testing';
import pg from 'pg';
import { databaseUrl, dropDatabase, median, recreateDatabase } from './bench-databases.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  const v = i === -1 ? undefined : Number(args[i + 1]);
  return v !== undefined && Number.isFinite(v) ? v : fallback;
};
const TABLES = flag('tables', 1000);
const RUNS = flag('runs', 5);
const POOL_SIZE = 4;
const DATABASE = 'aishell_bench_health';

const round1 = (x: number) => Math.round(x * 10) / 10;

/** 1,000 tables the shape of an application's: a serial key, a foreign key column with its index, a few rows. */
async function createScratch(base: string, scratchUrl: string): Promise<void> {
  await recreateDatabase(base, DATABASE);
  const db = new pg.Client({ connectionString: scratchUrl });
  await db.connect();
  try {
    const batch = 100;
    for (let start = 0; start < TABLES; start += batch) {
      const statements: string[] = [];
      for (let i = start; i < Math.min(TABLES, start + batch); i++) {
        const t = `t_${String(i).padStart(4, '0')}`;
        statements.push(
          `CREATE TABLE ${t} (id serial PRIMARY KEY, ref int, name text, created_at timestamptz DEFAULT now())`,
          `CREATE INDEX ${t}_ref ON ${t} (ref)`,
          `INSERT INTO ${t} (ref, name) SELECT g % 7, 'row ' || g FROM generate_series(1, 20) g`,
        );
      }
      await db.query(statements.join(';\n'));
    }
    await db.query('ANALYZE');
  } finally {
    await db.end();
  }
}

/** Wall milliseconds of `runs` full health runs over a pool of `size` connections (opened before timing). */
async function timeRuns(url: string, size: number, runs: number) {
  const pool = createPool(url, { max: size });
  try {
    const run = (sql: string) => pool.query(sql);
    await Promise.all(Array.from({ length: size }, () => pool.query('SELECT 1')));
    const cold = performance.now();
    const first = await checkHealth(run, 'postgres');
    const coldMs = performance.now() - cold;
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await checkHealth(run, 'postgres');
      times.push(performance.now() - t);
    }
    return { report: first, coldMs, medianMs: median(times), minMs: Math.min(...times) };
  } finally {
    await pool.close();
  }
}

/** Each check alone, for the slowest ones. */
async function perCheck(url: string): Promise<{ name: string; ms: number }[]> {
  const pool = createPool(url, { max: 1 });
  try {
    const run = (sql: string) => pool.query(sql);
    const out: { name: string; ms: number }[] = [];
    for (const { name } of healthChecks('postgres')) {
      const times: number[] = [];
      for (let i = 0; i < 3; i++) {
        const t = performance.now();
        await checkHealth(run, 'postgres', { only: [name] });
        times.push(performance.now() - t);
      }
      out.push({ name, ms: median(times) });
    }
    return out.sort((a, b) => b.ms - a.ms);
  } finally {
    await pool.close();
  }
}

async function main(): Promise<void> {
  const base = await pgUrl();
  const scratchUrl = databaseUrl(base, DATABASE);
  const setup = performance.now();
  await createScratch(base, scratchUrl);
  console.log(`${TABLES} tables created in ${Math.round(performance.now() - setup)} ms`);
  try {
    const concurrent = await timeRuns(scratchUrl, POOL_SIZE, RUNS);
    const serial = await timeRuns(scratchUrl, 1, RUNS);
    const slowest = await perCheck(scratchUrl);
    const statuses = concurrent.report.checks.map((c) => `${c.name}=${c.status}`).join(' ');
    console.log(`checks: ${statuses}`);
    console.log(
      `full run, pool of ${POOL_SIZE}: median ${round1(concurrent.medianMs)} ms (min ${round1(concurrent.minMs)}, first ${round1(concurrent.coldMs)})`,
    );
    console.log(`full run, pool of 1 (baseline): median ${round1(serial.medianMs)} ms`);
    console.log(
      `slowest checks alone: ${slowest
        .slice(0, 3)
        .map((c) => `${c.name} ${round1(c.ms)} ms`)
        .join(', ')}`,
    );
    console.log(
      JSON.stringify({
        tables: TABLES,
        healthMs: round1(concurrent.medianMs),
        checks: concurrent.report.checks.length,
        firstRunMs: round1(concurrent.coldMs),
        minMs: round1(concurrent.minMs),
        poolSize: POOL_SIZE,
        serialMs: round1(serial.medianMs),
        ratio: Math.round((concurrent.medianMs / serial.medianMs) * 100) / 100,
        slowestCheck: slowest[0]?.name,
        slowestCheckMs: round1(slowest[0]?.ms ?? 0),
      }),
    );
  } finally {
    await dropDatabase(base, DATABASE);
  }
}

await main();
