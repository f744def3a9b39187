// pnpm bench lint [--json] [--statements 5000] [--runs 5]: lint a generated migration history of a few
// thousand statements (100 files of DDL of every kind the rules look at, with the comments and ignore
// comments of real files) with every default rule, for PostgreSQL and for MySQL. Baseline measured in the
// same run: the parse alone (libpg_query through @aishell/sql's parsePostgres, splitStatements for MySQL),
// so the ratio shows what the rules cost. Goal of the issue: over 1,000 statements a second.
// The last line is one JSON object: { statements, ms, statementsPerSecond, ... } (PostgreSQL's figures at
// the top level, both dialects under `postgres` and `mysql`).
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { type LintDialect, type LintFile, lintMigrations } from '@aishell/lint';
import { loadParser, parsePostgres, splitStatements } from '@aishell/sql';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  const v = i === -1 ? undefined : Number(args[i + 1]);
  return v !== undefined && Number.isFinite(v) && v > 0 ? v : fallback;
};
const STATEMENTS = flag('statements', 5000);
const RUNS = flag('runs', 5);
const FILES = 100;

const POSTGRES: ((i: number) => string)[] = [
  (i) =>
    `CREATE TABLE IF NOT EXISTS t${i} (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  name varchar(200),\n  created_at timestamp DEFAULT now(),\n  n integer\n)`,
  (i) => `ALTER TABLE t${i} ADD COLUMN c${i} text NOT NULL`,
  (i) => `CREATE INDEX t${i}_name ON t${i} (name)`,
  (i) => `ALTER TABLE t${i} ADD CONSTRAINT t${i}_fk FOREIGN KEY (n) REFERENCES t${i + 1} (id)`,
  (i) => `-- aishell-ignore ban-drop-column: retired in release ${i}\nALTER TABLE t${i} DROP COLUMN old_${i}`,
  (i) => `ALTER TABLE t${i} ALTER COLUMN n TYPE bigint, ALTER COLUMN name SET NOT NULL`,
  (i) => `UPDATE t${i} SET name = 'x', n = ${i} WHERE id = ${i}`,
  (i) => `ALTER TABLE t${i} ADD COLUMN token uuid DEFAULT gen_random_uuid()`,
  (i) => `INSERT INTO t${i} (name, n) VALUES ('row ${i}', ${i})`,
  (i) => `DROP INDEX IF EXISTS t${i}_old`,
];

const MYSQL: ((i: number) => string)[] = [
  (i) =>
    `CREATE TABLE IF NOT EXISTS t${i} (\n  id int AUTO_INCREMENT PRIMARY KEY,\n  name varchar(200),\n  status enum('a', 'b'),\n  at timestamp\n) CHARSET=utf8`,
  (i) => `ALTER TABLE t${i} ADD COLUMN c${i} text NOT NULL`,
  (i) => `ALTER TABLE t${i} ADD INDEX t${i}_name (name)`,
  (i) => `ALTER TABLE t${i} ADD CONSTRAINT t${i}_fk FOREIGN KEY (id) REFERENCES t${i + 1} (id)`,
  (i) =>
    `-- aishell-ignore ban-drop-column: retired in release ${i}\nALTER TABLE t${i} DROP COLUMN old_${i}, ALGORITHM=INSTANT`,
  (i) => `ALTER TABLE t${i} MODIFY status enum('b', 'a', 'c')`,
  (i) => `UPDATE t${i} SET name = 'x' WHERE id = ${i}`,
  (i) => `ALTER TABLE t${i} CONVERT TO CHARACTER SET utf8mb4`,
  (i) => `INSERT INTO t${i} (name) VALUES ('row ${i}')`,
  (i) => `RENAME TABLE t${i} TO u${i}`,
];

/** FILES migration files holding `total` statements between them, named as golang-migrate names them. */
function history(kinds: readonly ((i: number) => string)[], total: number): LintFile[] {
  const files: LintFile[] = [];
  const perFile = Math.ceil(total / FILES);
  let made = 0;
  for (let f = 0; made < total; f++) {
    const statements: string[] = [`-- migration ${f}: generated for the benchmark`];
    for (let k = 0; k < perFile && made < total; k++, made++)
      statements.push(`${(kinds[made % kinds.length] as (i: number) => string)(made)};`);
    files.push({
      path: `migrations/${String(f + 1).padStart(6, '0')}_step.up.sql`,
      text: statements.join('\n'),
    });
  }
  return files;
}

const median = (xs: readonly number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

async function measure(run: () => unknown): Promise<number> {
  await run(); // warm-up: parsers loaded, code compiled
  const times: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  return median(times);
}

async function bench(dialect: LintDialect) {
  const files = history(dialect === 'postgres' ? POSTGRES : MYSQL, STATEMENTS);
  const baselineMs = await measure(() => {
    for (const f of files) {
      if (dialect === 'postgres') parsePostgres(f.text);
      else splitStatements(f.text, 'mysql');
    }
  });
  let findings = 0;
  const ms = await measure(async () => {
    findings = (await lintMigrations(files, { dialect })).findings.length;
  });
  return {
    statements: STATEMENTS,
    files: files.length,
    findings,
    ms: Number(ms.toFixed(1)),
    statementsPerSecond: Math.round((STATEMENTS / ms) * 1000),
    parseBaselineMs: Number(baselineMs.toFixed(1)),
    ratioToParse: Number((ms / baselineMs).toFixed(2)),
  };
}

/** Both dialects' figures (also what `pnpm bench schema` prints beside the diff, as the issue asks). */
export async function lintFigures() {
  await loadParser('postgres');
  const postgres = await bench('postgres');
  const mysql = await bench('mysql');
  const goal = 1000;
  return {
    statements: postgres.statements,
    ms: postgres.ms,
    statementsPerSecond: postgres.statementsPerSecond,
    goalStatementsPerSecond: goal,
    withinGoal: postgres.statementsPerSecond > goal && mysql.statementsPerSecond > goal,
    postgres,
    mysql,
  };
}

// Run as a script (pnpm bench lint), not when schema.ts imports lintFigures.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const figures = await lintFigures();
  if (!args.includes('--json')) {
    for (const [name, r] of [
      ['PostgreSQL', figures.postgres],
      ['MySQL', figures.mysql],
    ] as const) {
      console.log(`${name}: ${r.statements} statements in ${r.files} files, ${r.findings} findings`);
      console.log(`  parse alone (baseline)   ${r.parseBaselineMs} ms`);
      console.log(
        `  lintMigrations           ${r.ms} ms (${r.ratioToParse}x), ${r.statementsPerSecond} statements/s`,
      );
    }
  }
  console.log(JSON.stringify(figures));
}
