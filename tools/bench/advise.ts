// pnpm bench advise [--json] [--runs 5] [--rows 20000]: engine's `advise` (HypoPG proof of dexter's rules,
// plus health's drop checks) for 20 statements on 10 tables of 20,000 rows each, on a scratch database
// (aishell_bench_advise, created and dropped here; HypoPG must be installed on the server). The baseline,
// measured in the same run on the same session: one plain EXPLAIN of each of the 20 statements, which is
// what a person would run to look at them. `ratio` is what the proof costs over looking.
// Human-readable lines, then one JSON object as the last line.
import { advise, Session } from '@aishell/engine';
import { pgUrl } from '@aishell/testing';
import pg from 'pg';
import { databaseUrl, dropDatabase, median, recreateDatabase } from './bench-databases.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  const v = i === -1 ? undefined : Number(args[i + 1]);
  return v !== undefined && Number.isFinite(v) ? v : fallback;
};
const RUNS = flag('runs', 5);
const ROWS = flag('rows', 20_000);
const TABLES = 10;
const DATABASE = 'aishell_bench_advise';

const round1 = (x: number) => Math.round(x * 10) / 10;

/** Ten tables the shape of an application's: a key, two filter columns without indexes, a status with one. */
async function createScratch(url: string): Promise<string[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const statements: string[] = [];
  try {
    await c.query('CREATE EXTENSION hypopg');
    for (let i = 0; i < TABLES; i++) {
      const t = `t_${i}`;
      await c.query(`CREATE TABLE ${t} (id serial PRIMARY KEY, account_id int NOT NULL, kind int NOT NULL,
                       day int NOT NULL, status text NOT NULL, payload text)`);
      await c.query(`INSERT INTO ${t} (account_id, kind, day, status, payload)
                     SELECT g % 2000, g % 100, (g / 100) % 100, (array['new','paid','shipped'])[g % 3 + 1], repeat('x', 60)
                       FROM generate_series(1, ${ROWS}) g`);
      await c.query(`CREATE INDEX ${t}_status ON ${t} (status)`);
      statements.push(
        `SELECT * FROM ${t} WHERE account_id = $1 ORDER BY id DESC LIMIT 20`,
        `SELECT count(*) FROM ${t} WHERE kind = $1 AND day = $2`,
      );
    }
    await c.query('ANALYZE');
  } finally {
    await c.end();
  }
  return statements;
}

async function main(): Promise<void> {
  const base = await pgUrl();
  const url = databaseUrl(base, DATABASE);
  await recreateDatabase(base, DATABASE);
  try {
    const setup = performance.now();
    const statements = await createScratch(url);
    console.log(`${TABLES} tables of ${ROWS} rows created in ${Math.round(performance.now() - setup)} ms`);
    const session = await Session.open({
      connection: url,
      config: { connections: {} },
      env: {},
      history: false,
    });
    try {
      await session.pool.query('SELECT 1');
      const cold = performance.now();
      const first = await advise(session, { statements });
      const coldMs = performance.now() - cold;
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        await advise(session, { statements });
        times.push(performance.now() - t);
      }
      const baseline: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        await session.pool.withConnection(async (conn) => {
          await conn.query('BEGIN');
          await conn.query("SET LOCAL plan_cache_mode = 'force_generic_plan'");
          for (const [n, sql] of statements.entries()) {
            await conn.query(`PREPARE b${n} AS ${sql}`);
            await conn.query(
              `EXPLAIN (FORMAT JSON) EXECUTE b${n}(${sql.includes('$2') ? 'NULL, NULL' : 'NULL'})`,
            );
            await conn.query(`DEALLOCATE b${n}`);
          }
          await conn.query('ROLLBACK');
        });
        baseline.push(performance.now() - t);
      }
      const adviseMs = median(times);
      const explainMs = median(baseline);
      const improved = first.statements.filter((s) => s.status === 'improved').length;
      console.log(
        `advised ${first.indexes.length} indexes (${first.indexes.map((i) => `${i.table}(${i.columns.join(',')})`).join(' ')}), ${improved}/${statements.length} statements improved`,
      );
      console.log(
        `advise, ${statements.length} statements: median ${round1(adviseMs)} ms (first ${round1(coldMs)})`,
      );
      console.log(`plain EXPLAIN of the same statements (baseline): median ${round1(explainMs)} ms`);
      console.log(
        JSON.stringify({
          statements: statements.length,
          rows: ROWS,
          adviseMs: round1(adviseMs),
          firstRunMs: round1(coldMs),
          perStatementMs: round1(adviseMs / statements.length),
          explainMs: round1(explainMs),
          ratio: Math.round((adviseMs / explainMs) * 10) / 10,
          indexes: first.indexes.length,
          improved,
          drops: first.drop.length,
        }),
      );
    } finally {
      await session.close();
    }
  } finally {
    await dropDatabase(base, DATABASE);
  }
}

await main();
