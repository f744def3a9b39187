import type { DialectName, StatementAnalysis } from '@aishell/engine';

/** psql's `%x`: no transaction, one open (`*`), one that failed and must be rolled back (`!`). */
export type TransactionState = 'idle' | 'open' | 'failed';

const BEGINS = /^(BEGIN|START TRANSACTION)\b/i;
const CHAINS = /\bAND\s+CHAIN\b/i;
const ROLLS_BACK_TO = /^ROLLBACK\b(\s+(WORK|TRANSACTION))?\s+TO\b/i;
const ENDS = /^(COMMIT|END|ABORT|ROLLBACK|PREPARE\s+TRANSACTION)\b/i;

/** PostgreSQL and PGlite refuse every statement after an error until ROLLBACK; MySQL and SQLite go on. */
const failsOnError = (dialect: DialectName): boolean => dialect === 'postgres' || dialect === 'pglite';

/**
 * The state after `statements` ran without error, one after the other: BEGIN / START TRANSACTION opens,
 * COMMIT / ROLLBACK / END closes (AND CHAIN opens the next), ROLLBACK TO SAVEPOINT recovers a failed one;
 * on MySQL/MariaDB DDL and grants commit implicitly.
 */
export function stateAfter(
  state: TransactionState,
  statements: readonly Pick<StatementAnalysis, 'kind' | 'normalized'>[],
  dialect: DialectName,
): TransactionState {
  let now = state;
  for (const s of statements) {
    const text = s.normalized.trim();
    if (s.kind === 'transaction' || BEGINS.test(text) || ENDS.test(text)) {
      if (ROLLS_BACK_TO.test(text)) now = now === 'idle' ? 'idle' : 'open';
      else if (BEGINS.test(text)) now = 'open';
      else if (ENDS.test(text)) now = CHAINS.test(text) ? 'open' : 'idle';
    } else if (dialect === 'mysql' && now === 'open' && (s.kind === 'ddl' || s.kind === 'dcl')) {
      now = 'idle';
    }
  }
  return now;
}

/** The state after a statement failed (or was cancelled) while in `state`, when the server cannot be asked. */
export function stateAfterError(state: TransactionState, dialect: DialectName): TransactionState {
  return state === 'open' && failsOnError(dialect) ? 'failed' : state;
}

/** Runs one statement on the session's connection (its pool of one) and gives the first row. */
export type ProbeQuery = (sql: string) => Promise<Record<string, unknown> | undefined>;

/**
 * Asks the server whether a transaction is open, after a statement failed or was cancelled (when the
 * statements alone cannot tell). PostgreSQL and PGlite: a SAVEPOINT is refused outside a transaction
 * block (25P01) and in a failed one (25P02), and released at once inside a healthy one. MariaDB:
 * `@@in_transaction`. Undefined where the server cannot say (SQLite; MySQL has no such variable).
 */
export async function probeTransaction(
  dialect: DialectName,
  query: ProbeQuery,
): Promise<TransactionState | undefined> {
  if (failsOnError(dialect)) {
    try {
      await query('SAVEPOINT aishell_state_probe');
    } catch (error) {
      const sqlState = (error as { sqlState?: unknown }).sqlState;
      if (sqlState === '25P01') return 'idle';
      if (sqlState === '25P02') return 'failed';
      return undefined;
    }
    await query('RELEASE SAVEPOINT aishell_state_probe');
    return 'open';
  }
  if (dialect === 'mysql') {
    try {
      const row = await query('SELECT @@in_transaction AS open');
      return Number(row?.open) === 1 ? 'open' : 'idle';
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The prompt's marker: psql's `=>`, `=*>`, `=!>` (and `->`, `-*>` on continuation lines). */
export function promptMarker(state: TransactionState, continuation: boolean): string {
  const lead = continuation ? '-' : '=';
  return `${lead}${state === 'open' ? '*' : state === 'failed' ? '!' : ''}>`;
}
