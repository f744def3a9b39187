// EXPLAIN of one statement inside advise's read-only transaction, in a savepoint of its own so that a
// statement the server refuses leaves the transaction usable. A statement with parameters ($1, as
// pg_stat_statements shows them) gets a generic plan: EXPLAIN (GENERIC_PLAN) on PostgreSQL 16+, else
// dexter's way, PREPARE and EXECUTE with NULLs under plan_cache_mode = force_generic_plan (which the
// transaction sets), prepared anew each time so that no cached plan hides a new hypothetical index.
import { type ParsedNode, type ParsedPlan, parsePlan } from '@aishell/plan';
import { TAG } from './postgres-catalog.js';
import { num } from './row-values.js';
import { inSavepoint } from './savepoint.js';
import type { AdviseRun } from './types.js';

const PREPARED = 'aishell_advise_statement';

/** What one EXPLAIN says. */
export interface PlanCost {
  /** The root's total cost. */
  readonly cost: number;
  /** Every index the plan uses, by name (hypothetical ones included). */
  readonly indexes: ReadonlySet<string>;
  readonly plan: ParsedPlan;
}

function indexesOf(node: ParsedNode, out: Set<string>): Set<string> {
  if (node.index !== null) out.add(node.index);
  for (const c of node.children) indexesOf(c, out);
  return out;
}

/** The plan's cost and indexes; rejects with the server's error (the savepoint is rolled back). */
export async function explainPostgres(
  run: AdviseRun,
  sql: string,
  options: { readonly parameters: boolean; readonly versionNum: number },
): Promise<PlanCost> {
  let prepared = false;
  try {
    return await inSavepoint(run, async () => {
      let rows: Record<string, unknown>[];
      if (!options.parameters) {
        rows = (await run(`EXPLAIN (FORMAT JSON) ${sql}`)).rows;
      } else if (options.versionNum >= 160_000) {
        rows = (await run(`EXPLAIN (GENERIC_PLAN, FORMAT JSON) ${sql}`)).rows;
      } else {
        await run(`PREPARE ${PREPARED} AS ${sql}`);
        prepared = true;
        const { rows: counts } = await run(
          `${TAG} SELECT coalesce(array_length(parameter_types, 1), 0) AS n FROM pg_prepared_statements WHERE name = $1`,
          [PREPARED],
        );
        const n = num(counts[0]?.n) ?? 0;
        const nulls = Array.from({ length: n }, () => 'NULL').join(', ');
        rows = (await run(`EXPLAIN (FORMAT JSON) EXECUTE ${PREPARED}(${nulls})`)).rows;
      }
      const plan = parsePlan(rows);
      return { cost: plan.root.totalCost ?? 0, indexes: indexesOf(plan.root, new Set()), plan };
    });
  } finally {
    // A prepared statement outlives the savepoint: deallocated whatever happened.
    if (prepared) await run(`DEALLOCATE ${PREPARED}`);
  }
}
