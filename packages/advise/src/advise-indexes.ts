import { AdviseError } from './errors.js';
import { adviseMysql } from './mysql-advisor.js';
import { advisePostgres, type ResolvedOptions } from './postgres-advisor.js';
import { adviseSqlite } from './sqlite-advisor.js';
import {
  ADVISE_DEFAULTS,
  ADVISE_DIALECTS,
  type AdviceReport,
  type AdviseDialect,
  type AdviseOptions,
  type AdviseRun,
} from './types.js';

function check(name: string, value: number, ok: (v: number) => boolean, what: string): number {
  if (!Number.isFinite(value) || !ok(value))
    throw new AdviseError('ADVISE_BAD_OPTION', `${name} must be ${what} (got ${value})`);
  return value;
}

/** The options with defaults, checked. */
function resolve(options: AdviseOptions): ResolvedOptions {
  const statements = options.statements?.map((s) => s.trim()).filter((s) => s !== '');
  if (options.statements !== undefined && statements?.length === 0)
    throw new AdviseError('ADVISE_NO_STATEMENTS', 'no statement to advise on', {
      hint: 'pass one or more statements, or none at all to read the top statements of pg_stat_statements',
    });
  return {
    statements,
    top: check(
      'top',
      options.top ?? ADVISE_DEFAULTS.top,
      (v) => Number.isInteger(v) && v >= 1 && v <= 1000,
      'a whole number from 1 to 1000',
    ),
    minCalls: check('minCalls', options.minCalls ?? ADVISE_DEFAULTS.minCalls, (v) => v >= 0, '0 or more'),
    minMeanMs: check('minMeanMs', options.minMeanMs ?? ADVISE_DEFAULTS.minMeanMs, (v) => v >= 0, '0 or more'),
    minCost: check('minCost', options.minCost ?? ADVISE_DEFAULTS.minCost, (v) => v >= 0, '0 or more'),
    minSavings: check(
      'minSavings',
      options.minSavings ?? ADVISE_DEFAULTS.minSavings,
      (v) => v > 0 && v < 1,
      'between 0 and 1',
    ),
    signal: options.signal,
  };
}

/**
 * Index advice for the statements given, or for the top statements of pg_stat_statements: on PostgreSQL
 * proven with HypoPG hypothetical indexes when the extension is created (dexter's method and
 * thresholds), else, and on MySQL/MariaDB and SQLite, candidates from the plan marked unproven.
 * Reads only: nothing is created, and on PostgreSQL everything runs in one READ ONLY transaction that
 * is rolled back, with `hypopg_reset()` before it ends.
 * @example const report = await adviseIndexes(run, 'postgres', { statements: ['select * from orders where status = $1'] });
 */
export async function adviseIndexes(
  run: AdviseRun,
  dialect: AdviseDialect,
  options: AdviseOptions = {},
): Promise<AdviceReport> {
  if (!ADVISE_DIALECTS.includes(dialect))
    throw new AdviseError('ADVISE_BAD_OPTION', `unknown dialect ${String(dialect)}`);
  const o = resolve(options);
  if (dialect !== 'postgres' && o.statements === undefined)
    throw new AdviseError(
      'ADVISE_TOP_UNSUPPORTED',
      `the top statements come from pg_stat_statements: ${dialect === 'mysql' ? 'MySQL/MariaDB' : 'SQLite'} has no equivalent that advise reads`,
      {
        hint: 'pass the statements to advise on (from the slow query log, for instance)',
      },
    );
  switch (dialect) {
    case 'postgres':
      return advisePostgres(run, o);
    case 'mysql':
      return adviseMysql(run, o.statements ?? [], o);
    case 'sqlite':
      return adviseSqlite(run, o.statements ?? [], o);
  }
}
