// pnpm bench shell [--json] [--tables 1000] [--calls 2000]: the interactive shell's Tab completion on a schema of
// 1,000 tables (aishell_bench_shell on PostgreSQL, created and dropped here), introspected through the engine as
// the shell reads it. Each case is the text a person has typed and where the cursor is; the figure is the time of
// one completion (the shell's `complete`, which tokenizes the statement, finds its tables and aliases, and
// filters the schema's names). The baseline, measured in the same run, is the least any completer does: a
// prefix filter over the 1,000 table names; `ratio` is a completion's median over that. The goal of issue 15:
// a completion under 20 ms on such a schema. Human-readable lines, then one JSON object as the last line.

import { Session } from '@aishell/engine';
import { pgUrl } from '@aishell/testing';
import pg from 'pg';
// The shell's completion is the CLI's own code (apps/cli/src/shell/completion.ts), measured from its source.
import { complete } from '../../apps/cli/src/shell/completion.js';
import { databaseUrl, dropDatabase, recreateDatabase } from './bench-databases.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  const v = i === -1 ? undefined : Number(args[i + 1]);
  return v !== undefined && Number.isFinite(v) ? v : fallback;
};
const TABLES = flag('tables', 1000);
const CALLS = flag('calls', 2000);
const DATABASE = 'aishell_bench_shell';

const round3 = (x: number) => Math.round(x * 1000) / 1000;
function quantile(xs: readonly number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? Number.NaN;
}

/** 1,000 tables of eight columns each, and a view on every tenth. */
async function createScratch(base: string, scratchUrl: string): Promise<void> {
  await recreateDatabase(base, DATABASE);
  const db = new pg.Client({ connectionString: scratchUrl });
  await db.connect();
  try {
    for (let start = 0; start < TABLES; start += 100) {
      const statements: string[] = [];
      for (let i = start; i < Math.min(TABLES, start + 100); i++) {
        const t = `t_${String(i).padStart(4, '0')}`;
        statements.push(
          `CREATE TABLE ${t} (id serial PRIMARY KEY, account_id int, name text, status text, total numeric, ` +
            'created_at timestamptz DEFAULT now(), updated_at timestamptz, note text)',
        );
        if (i % 10 === 0) statements.push(`CREATE VIEW v_${t} AS SELECT id, name FROM ${t}`);
      }
      await db.query(statements.join(';\n'));
    }
  } finally {
    await db.end();
  }
}

/** The typed text, with `|` where the cursor is. */
const CASES: Record<string, string> = {
  afterFrom: 'select * from t_05|',
  afterJoin: 'select * from t_0500 a join t_07|',
  aliasBeforeFrom: 'select o.|, o.name from t_0500 o where o.status = 1',
  columnsInWhere: 'select * from t_0500 a join t_0501 b on a.id = b.account_id where a.st|',
  keyword: 'sel|',
  longStatement: `${'select a.id, b.name, c.total from t_0100 a join t_0200 b on b.account_id = a.id '.repeat(8)}join t_09|`,
};

async function main(): Promise<void> {
  const base = await pgUrl();
  const scratchUrl = databaseUrl(base, DATABASE);
  const setup = performance.now();
  await createScratch(base, scratchUrl);
  console.log(`${TABLES} tables created in ${Math.round(performance.now() - setup)} ms`);
  try {
    const session = await Session.open({
      connection: scratchUrl,
      config: { connections: {} },
      env: {},
      history: false,
    });
    let introspectMs: number;
    let schema: Awaited<ReturnType<Session['introspect']>>;
    try {
      const t = performance.now();
      schema = await session.introspect();
      introspectMs = performance.now() - t;
    } finally {
      await session.close();
    }
    console.log(`introspection: ${schema.tables.length} tables and views in ${Math.round(introspectMs)} ms`);
    const data = { dialect: 'postgres' as const, schema };
    const figures: Record<string, { medianMs: number; p99Ms: number; firstMs: number; candidates: number }> =
      {};
    for (const [name, typed] of Object.entries(CASES)) {
      const cursor = typed.indexOf('|');
      const text = typed.replace('|', '');
      const first = performance.now();
      const result = complete(text, cursor, data);
      const firstMs = performance.now() - first;
      const times: number[] = [];
      for (let i = 0; i < CALLS; i++) {
        const t = performance.now();
        complete(text, cursor, data);
        times.push(performance.now() - t);
      }
      figures[name] = {
        medianMs: round3(quantile(times, 0.5)),
        p99Ms: round3(quantile(times, 0.99)),
        firstMs: round3(firstMs),
        candidates: result.candidates.length,
      };
      console.log(
        `${name.padEnd(16)} median ${figures[name].medianMs} ms, p99 ${figures[name].p99Ms} ms, first ${figures[name].firstMs} ms (${result.candidates.length} candidates)`,
      );
    }
    // The baseline: a bare prefix filter over the table names, the least a completer can do.
    const names = schema.tables.map((t) => t.name);
    const baseline: number[] = [];
    let sink = 0;
    for (let i = 0; i < CALLS; i++) {
      const t = performance.now();
      sink += names.filter((n) => n.toLowerCase().startsWith('t_05')).length;
      baseline.push(performance.now() - t);
    }
    const baselineMs = quantile(baseline, 0.5);
    const worst = Math.max(...Object.values(figures).map((f) => f.p99Ms));
    const ratio = (figures.afterFrom?.medianMs ?? 0) / baselineMs;
    console.log(
      `baseline (prefix filter over ${names.length} names): median ${round3(baselineMs)} ms (${sink > 0 ? 'ok' : '?'})`,
    );
    console.log(
      `after FROM vs baseline: ${ratio.toFixed(1)}x; slowest p99 of all cases ${worst} ms (goal: under 20 ms)`,
    );
    console.log(
      JSON.stringify({
        tables: TABLES,
        calls: CALLS,
        introspectMs: Math.round(introspectMs),
        cases: figures,
        baselineMs: round3(baselineMs),
        ratio: Math.round(ratio * 10) / 10,
        worstP99Ms: worst,
      }),
    );
  } finally {
    await dropDatabase(base, DATABASE);
  }
}

await main();
