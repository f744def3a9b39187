// The trial run: apply a plan to a scratch copy of `from` (the engine provides it), read the schema
// again and plan once more. A plan that converges leaves nothing to do: the second plan is empty.
import { diffSchemas } from './diff-schemas.js';
import { messageOf, SchemaError, sqlStateOf, throwIfAborted } from './errors.js';
import type { SchemaRun } from './introspect-options.js';
import { introspectSchema } from './introspect-schema.js';
import { planSteps } from './plan-steps.js';
import type { SchemaModel } from './schema-model.js';
import type { DiffOptions, SchemaPlan } from './schema-plan.js';

/** Options of `applyCheck`. */
export interface ApplyCheckOptions {
  /**
   * Reads the scratch copy's schema after the plan ran.
   * @default introspectSchema(run, to.dialect), PostgreSQL with the schemas and privileges `to` was read with
   */
  readonly introspect?: () => Promise<SchemaModel>;
  /** Options of the second plan (renames are never passed on: they were applied). @default {} */
  readonly diff?: Omit<DiffOptions, 'renames'>;
  readonly signal?: AbortSignal;
}

/** Something still to do after the plan ran. */
export interface ApplyCheckResidue {
  /** A statement the second plan still holds, or null for a difference it cannot plan. */
  readonly sql: string | null;
  readonly message: string;
}

/** What the trial run found. */
export interface ApplyCheckResult {
  /** The plan ran to its end and the second plan is empty (no statement, nothing unsupported). */
  readonly converged: boolean;
  /** The second plan: statements and unplannable differences left. */
  readonly residue: readonly ApplyCheckResidue[];
  /** How many of the plan's statements ran. */
  readonly applied: number;
  /** The statement the database refused (the rest did not run), or null. */
  readonly failed: {
    readonly statement: number;
    readonly sql: string;
    readonly message: string;
    readonly sqlState: string | null;
  } | null;
}

/**
 * Runs `plan` through `run` (one session on a scratch copy of `from`: the plan's session settings apply
 * to what follows), reads the schema again and diffs it with `to`. Never throws for a statement the
 * database refuses: that is `failed`, with `converged: false`.
 *
 * @example
 * const plan = diffSchemas(fromModel, toModel);
 * const check = await applyCheck(scratchRun, plan, toModel);
 * if (!check.converged) report(check.residue, check.failed);
 * @throws SchemaError `SCHEMA_INTROSPECTION` when the scratch copy cannot be read again, `SCHEMA_ABORTED`.
 */
export async function applyCheck(
  run: SchemaRun,
  plan: SchemaPlan,
  to: SchemaModel,
  options: ApplyCheckOptions = {},
): Promise<ApplyCheckResult> {
  if (plan.dialect !== to.dialect)
    throw new SchemaError(
      'SCHEMA_BAD_OPTION',
      `a ${plan.dialect} plan cannot be checked against a ${to.dialect} schema`,
    );
  const { signal } = options;
  let applied = 0;
  let failed: ApplyCheckResult['failed'] = null;
  for (const step of planSteps(plan)) {
    throwIfAborted(signal);
    try {
      await run(step.sql);
      if (step.statement !== null) applied++;
    } catch (error) {
      const index = step.statement ?? applied;
      failed = {
        statement: index,
        sql: step.sql,
        message: messageOf(error),
        sqlState: sqlStateOf(error) ?? null,
      };
      break;
    }
  }
  if (failed) {
    // The session settings the plan made stay behind on a failure; undo them for what runs next.
    for (const reset of resetSteps(plan)) await run(reset.sql).catch(() => undefined);
  }
  throwIfAborted(signal);
  const introspect =
    options.introspect ??
    (() =>
      introspectSchema(
        run,
        to.dialect,
        to.dialect === 'postgres'
          ? { privileges: to.privileges, ...(to.schemaFilter === null ? {} : { schemas: to.schemaFilter }) }
          : {},
      ));
  const after = await introspect();
  const second = diffSchemas(after, to, { ...options.diff });
  const residue: ApplyCheckResidue[] = [
    ...second.statements.map((s) => ({ sql: s.sql, message: 'still to do after the plan ran' })),
    ...second.unsupported.map((u) => ({ sql: null, message: `${u.kind} ${u.name}: ${u.message}` })),
  ];
  return { converged: failed === null && residue.length === 0, residue, applied, failed };
}

function resetSteps(plan: SchemaPlan): { sql: string }[] {
  if (plan.dialect === 'postgres') return [{ sql: 'RESET lock_timeout' }, { sql: 'RESET statement_timeout' }];
  if (plan.dialect === 'mysql') return [{ sql: 'SET SESSION lock_wait_timeout = DEFAULT' }];
  return [];
}
