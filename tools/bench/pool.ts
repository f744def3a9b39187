// Queries per second through @aishell/pool against raw pg.Pool and a raw mysql2 pool, measured in the
// same run, interleaved (baseline, subject, baseline, ...) so that drift of a shared machine cancels.
// Workloads: `SELECT 1` and a 100-row select; concurrency 1, 8 and 32.
// Usage: pnpm bench pool [--json] [--segment-ms 150] [--rounds 10]
// The last line printed is one JSON object of figures.
import { createPool, type Pool } from '@aishell/pool';
import { mysqlUrl, pgUrl } from '@aishell/testing';
import mysql from 'mysql2/promise';
import pg from 'pg';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  const v = i === -1 ? undefined : Number(args[i + 1]);
  return v !== undefined && Number.isFinite(v) ? v : fallback;
};
const SEGMENT_MS = flag('segment-ms', 150);
const ROUNDS = flag('rounds', 10);
const LEVELS = [1, 8, 32] as const;
const MAX = 32;

type RunQuery = (sql: string) => Promise<unknown>;

interface Side {
  queries: number;
  millis: number;
  /** Client CPU time of this process during the segment: steadier than wall time on a busy machine. */
  cpuMicros: number;
}

/** Runs `concurrency` workers issuing `sql` back to back for `ms`; returns queries completed. */
async function segment(run: RunQuery, sql: string, concurrency: number, ms: number): Promise<Side> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const deadline = started + ms;
  let queries = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        await run(sql);
        queries++;
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  return { queries, millis: performance.now() - started, cpuMicros: used.user + used.system };
}

const qps = (s: Side) => (s.queries * 1000) / s.millis;

async function compare(baseline: RunQuery, subject: RunQuery, sql: string, concurrency: number) {
  // Warm both sides (connections open, statements planned) before measuring.
  await segment(baseline, sql, concurrency, 100);
  await segment(subject, sql, concurrency, 100);
  const base: Side = { queries: 0, millis: 0, cpuMicros: 0 };
  const subj: Side = { queries: 0, millis: 0, cpuMicros: 0 };
  const pairRatios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate which side goes first so neither always gets the warmer slot.
    const baseFirst = round % 2 === 0;
    const a = await segment(baseFirst ? baseline : subject, sql, concurrency, SEGMENT_MS);
    const b = await segment(baseFirst ? subject : baseline, sql, concurrency, SEGMENT_MS);
    const [bs, ss] = baseFirst ? [a, b] : [b, a];
    base.queries += bs.queries;
    base.millis += bs.millis;
    base.cpuMicros += bs.cpuMicros;
    subj.queries += ss.queries;
    subj.millis += ss.millis;
    subj.cpuMicros += ss.cpuMicros;
    pairRatios.push(qps(ss) / qps(bs));
  }
  // The median of adjacent pairs resists bursts of load from other processes better than totals.
  pairRatios.sort((x, y) => x - y);
  const mid = pairRatios.length >> 1;
  const ratio =
    pairRatios.length % 2 === 1 ? pairRatios[mid]! : (pairRatios[mid - 1]! + pairRatios[mid]!) / 2;
  return {
    baselineQps: qps(base),
    subjectQps: qps(subj),
    ratio,
    baselineCpuMicrosPerQuery: base.cpuMicros / base.queries,
    subjectCpuMicrosPerQuery: subj.cpuMicros / subj.queries,
  };
}

const figures: Record<string, number> = {};
const round2 = (n: number) => Math.round(n * 100) / 100;

async function engine(
  name: 'pg' | 'mysql',
  baseline: RunQuery,
  subject: Pool,
  rowsSql: string,
): Promise<void> {
  const workloads = [
    ['Select1', 'SELECT 1'],
    ['Rows100', rowsSql],
  ] as const;
  for (const level of LEVELS) {
    const ratios: number[] = [];
    for (const [label, sql] of workloads) {
      const r = await compare(baseline, (q) => subject.query(q), sql, level);
      ratios.push(r.ratio);
      figures[`${name}${label}RawQpsC${level}`] = Math.round(r.baselineQps);
      figures[`${name}${label}QpsC${level}`] = Math.round(r.subjectQps);
      figures[`${name}${label}RatioC${level}`] = round2(r.ratio);
      figures[`${name}${label}RawCpuMicrosPerQueryC${level}`] = Math.round(r.baselineCpuMicrosPerQuery);
      figures[`${name}${label}CpuMicrosPerQueryC${level}`] = Math.round(r.subjectCpuMicrosPerQuery);
      console.log(
        `${name.padEnd(5)} ${label.padEnd(8)} c=${String(level).padEnd(2)}  raw ${Math.round(r.baselineQps)
          .toString()
          .padStart(
            6,
          )} q/s   @aishell/pool ${Math.round(r.subjectQps).toString().padStart(6)} q/s   ratio ${r.ratio.toFixed(3)}`,
      );
    }
    // The headline figure of a level is its worse workload.
    figures[`${name}RatioC${level}`] = round2(Math.min(...ratios));
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const table = `bench_pool_${Math.random().toString(36).slice(2, 8)}`;
  const rowsSql = `SELECT id, label, amount FROM ${table} ORDER BY id`;

  // Tables are made and dropped over a separate admin connection, so that neither measured pool gets a
  // backend that has already touched them.
  const pgConnection = await pgUrl();
  const pgAdmin = new pg.Client({ connectionString: pgConnection });
  await pgAdmin.connect();
  await pgAdmin.query(`CREATE TABLE ${table} (id int primary key, label text, amount numeric(10,2))`);
  await pgAdmin.query(`INSERT INTO ${table} SELECT g, 'row ' || g, g * 1.5 FROM generate_series(1, 100) g`);
  const rawPg = new pg.Pool({ connectionString: pgConnection, max: MAX });
  const ourPg = createPool(pgConnection, { max: MAX });
  try {
    await engine('pg', (sql) => rawPg.query(sql), ourPg, rowsSql);
  } finally {
    await Promise.all([rawPg.end(), ourPg.close()]);
    await pgAdmin.query(`DROP TABLE ${table}`);
    await pgAdmin.end();
  }

  const myConnection = await mysqlUrl();
  const myAdmin = await mysql.createConnection(myConnection);
  await myAdmin.query(`CREATE TABLE ${table} (id int primary key, label varchar(40), amount decimal(10,2))`);
  const values = Array.from({ length: 100 }, (_, i) => `(${i + 1}, 'row ${i + 1}', ${(i + 1) * 1.5})`);
  await myAdmin.query(`INSERT INTO ${table} VALUES ${values.join(', ')}`);
  const rawMy = mysql.createPool({ uri: myConnection, connectionLimit: MAX });
  const ourMy = createPool(myConnection, { max: MAX });
  try {
    await engine('mysql', (sql) => rawMy.query(sql), ourMy, rowsSql);
  } finally {
    await Promise.all([rawMy.end(), ourMy.close()]);
    await myAdmin.query(`DROP TABLE ${table}`);
    await myAdmin.end();
  }

  figures.durationSeconds = round2((performance.now() - started) / 1000);
  console.log(`done in ${figures.durationSeconds} s`);
  console.log(JSON.stringify(figures));
}

await main();
