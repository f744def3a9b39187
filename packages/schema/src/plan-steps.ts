// A plan as the statements to send, one by one, on one session: the lock and statement timeouts set
// before the statements that need them (as pg-schema-diff writes them), and reset at the end.
import type { PlanStatement, SchemaPlan } from './schema-plan.js';

/** One statement to send. */
export interface PlanStep {
  readonly sql: string;
  /** The index in `plan.statements` of the statement this is, or null for a session setting. */
  readonly statement: number | null;
}

/**
 * The statements to send for `plan`, in order, on one session (the settings apply to what follows).
 * Statements with `transactional: false` must not be inside an explicit transaction block.
 */
export function planSteps(plan: SchemaPlan): PlanStep[] {
  const steps: PlanStep[] = [];
  let lock: number | null = null;
  let statementTimeout: number | null = null;
  plan.statements.forEach((s, index) => {
    if (plan.dialect === 'postgres') {
      if (s.lockTimeoutMillis !== lock) {
        lock = s.lockTimeoutMillis;
        steps.push({ sql: `SET lock_timeout = ${lock}`, statement: null });
      }
      if (s.statementTimeoutMillis !== null && s.statementTimeoutMillis !== statementTimeout) {
        statementTimeout = s.statementTimeoutMillis;
        steps.push({ sql: `SET statement_timeout = ${statementTimeout}`, statement: null });
      }
    } else if (plan.dialect === 'mysql' && s.lockTimeoutMillis !== lock) {
      lock = s.lockTimeoutMillis;
      steps.push({
        sql: `SET SESSION lock_wait_timeout = ${Math.max(1, Math.ceil(lock / 1000))}`,
        statement: null,
      });
    }
    steps.push({ sql: s.sql, statement: index });
  });
  if (plan.dialect === 'postgres') {
    if (lock !== null) steps.push({ sql: 'RESET lock_timeout', statement: null });
    if (statementTimeout !== null) steps.push({ sql: 'RESET statement_timeout', statement: null });
  } else if (plan.dialect === 'mysql' && lock !== null)
    steps.push({ sql: 'SET SESSION lock_wait_timeout = DEFAULT', statement: null });
  return steps;
}

/**
 * The plan as a script a person reads or feeds to psql/mysql: every step ending in `;` (a MySQL body
 * holding `;` between DELIMITER lines), each statement preceded by its hazards as comments, the
 * unsupported differences listed at the top.
 */
export function renderPlan(plan: SchemaPlan): string {
  const lines: string[] = [];
  const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ');
  for (const u of plan.unsupported) lines.push(oneLine(`-- unsupported ${u.kind} ${u.name}: ${u.message}`));
  for (const step of planSteps(plan)) {
    const s: PlanStatement | undefined =
      step.statement === null ? undefined : plan.statements[step.statement];
    if (s) {
      for (const h of s.hazards) lines.push(oneLine(`-- ${h.code}: ${h.message}`));
      if (!s.transactional) lines.push('-- (outside a transaction block)');
    }
    // The mysql client splits at `;`: a routine or trigger body holding one goes between DELIMITER lines.
    if (plan.dialect === 'mysql' && step.sql.includes(';'))
      lines.push('DELIMITER //', `${step.sql}//`, 'DELIMITER ;');
    else lines.push(`${step.sql};`);
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** The statements of `plan` that delete data (DELETES_DATA): a dropped table or column, a narrowing type. */
export function dataLoss(plan: SchemaPlan): PlanStatement[] {
  return plan.statements.filter((s) => s.hazards.some((h) => h.code === 'DELETES_DATA'));
}
