// @aishell/plan loads only when `aishell explain` runs.
import type { AnalyzedPlan, AnalyzePlanOptions, ExplainDocument, RenderPlanOptions } from '@aishell/plan';
import type { Risk, StatementAnalysis } from '@aishell/sql';
import { riskAtLeast } from '@aishell/sql';
import { SafetyError, UsageError } from './errors.js';
import type { Session } from './session.js';

/** Options of {@link explain}. */
export interface ExplainOptions {
  /**
   * Execute the statement to measure it (`EXPLAIN (ANALYZE, BUFFERS)`, MariaDB's `ANALYZE`, MySQL's
   * `EXPLAIN ANALYZE`). A statement that is not read-only then runs inside a transaction that is rolled
   * back, and only when confirmed. @default false
   */
  readonly analyze?: boolean;
  /** The person confirmed running a statement that writes (`--yes`). @default false */
  readonly confirmed?: boolean;
  /** Asked before a statement that writes is executed under `analyze`; false refuses (SafetyError). */
  readonly confirm?: (risk: Risk, reasons: readonly string[]) => Promise<boolean>;
  /** Thresholds of the plan findings. @default @aishell/plan's PLAN_THRESHOLDS */
  readonly thresholds?: AnalyzePlanOptions['thresholds'];
  readonly signal?: AbortSignal;
}

/**
 * The plan of one statement on the session's database, in the engine's JSON form, parsed and analysed
 * by @aishell/plan (tree, figures, findings, summary). Nothing runs unless `analyze`.
 * @example const plan = await explain(session, 'select * from orders where customer_id = 42');
 */
export async function explain(
  session: Session,
  sql: string,
  options: ExplainOptions = {},
): Promise<AnalyzedPlan> {
  const signal = options.signal ? { signal: options.signal } : {};
  const analysis = await session.analyze(sql, signal);
  const [statement] = analysis.statements;
  if (analysis.statements.length !== 1 || statement === undefined)
    throw new UsageError('explain takes exactly one statement');
  const analyze = options.analyze === true;
  if (analyze && !statement.readOnly) await guardExecution(statement, options);
  const text = await explainStatement(session, statement.text, analyze);
  const run = async (query: (sql: string) => Promise<{ rows: Record<string, unknown>[] }>) =>
    (await query(text)).rows;
  let rows: Record<string, unknown>[];
  if (!analyze) {
    rows = await run((q) => session.pool.query(q, [], signal));
  } else if (statement.readOnly) {
    rows = await session.pool.transaction((conn) => run((q) => conn.query(q, [], signal)), {
      readOnly: true,
      ...signal,
    });
  } else {
    // Executed to be measured, never kept: the transaction is rolled back whatever happens.
    rows = await session.pool.withConnection(async (conn) => {
      await conn.query(session.dialect === 'mysql' ? 'START TRANSACTION' : 'BEGIN');
      try {
        return await run((q) => conn.query(q, [], signal));
      } finally {
        await conn.query('ROLLBACK').catch(() => {});
      }
    }, signal);
  }
  const { analyzePlan, parsePlan } = await import('@aishell/plan');
  return analyzePlan(parsePlan(rows), options.thresholds ? { thresholds: options.thresholds } : {});
}

/**
 * A plan someone saved (PostgreSQL JSON or psql's text, auto_explain's log entry, MySQL/MariaDB JSON,
 * SQLite's EXPLAIN QUERY PLAN), parsed and analysed without connecting. Throws PlanParseError naming
 * the line of a plan that cannot be read.
 */
export async function explainPlanText(
  text: string,
  options: Pick<ExplainOptions, 'thresholds'> = {},
): Promise<AnalyzedPlan> {
  const { analyzePlan, parsePlan } = await import('@aishell/plan');
  return analyzePlan(parsePlan(text), options.thresholds ? { thresholds: options.thresholds } : {});
}

async function guardExecution(statement: StatementAnalysis, options: ExplainOptions): Promise<void> {
  const reasons = [...statement.reasons, 'EXPLAIN ANALYZE executes the statement (then rolls it back)'];
  // Any statement that writes asks first here, whatever its risk: it is executed to be measured.
  const risk: Risk = riskAtLeast(statement.risk, 'high') ? statement.risk : 'high';
  if (options.confirmed) return;
  if (options.confirm && (await options.confirm(risk, reasons))) return;
  throw new SafetyError(risk, reasons);
}

/** The EXPLAIN statement of the session's engine (MariaDB and MySQL differ), in its JSON form. */
async function explainStatement(session: Session, sql: string, analyze: boolean): Promise<string> {
  switch (session.sqlDialect) {
    case 'postgres':
      return `EXPLAIN (${analyze ? 'ANALYZE, BUFFERS, ' : ''}FORMAT JSON) ${sql}`;
    case 'sqlite':
      // SQLite measures nothing: its plan is EXPLAIN QUERY PLAN, with or without --analyze.
      return `EXPLAIN QUERY PLAN ${sql}`;
    case 'mysql': {
      if (!analyze) return `EXPLAIN FORMAT=JSON ${sql}`;
      const { rows } = await session.pool.query('SELECT VERSION() AS v');
      const mariadb = /mariadb/i.test(String(rows[0]?.v ?? ''));
      // MariaDB: ANALYZE FORMAT=JSON (r_rows, r_total_time_ms); MySQL 8.0.18+: EXPLAIN ANALYZE (a tree).
      return mariadb ? `ANALYZE FORMAT=JSON ${sql}` : `EXPLAIN ANALYZE ${sql}`;
    }
  }
}

/** The JSON document of `aishell explain --json` (PRODUCT.md): the tree with its figures, findings, summary. */
export async function planDocument(plan: AnalyzedPlan): Promise<ExplainDocument> {
  const { explainDocument } = await import('@aishell/plan');
  return explainDocument(plan);
}

/** The plan as an indented tree for a terminal (colour only when asked: the app decides). */
export async function renderPlanText(plan: AnalyzedPlan, options: RenderPlanOptions = {}): Promise<string> {
  const { renderPlan } = await import('@aishell/plan');
  return renderPlan(plan, options);
}
