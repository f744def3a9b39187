// @aishell/health loads only when `aishell health` runs.
import type { HealthOptions, HealthReport } from '@aishell/health';
import type { Session } from './session.js';

/**
 * The health checks of the session's database (pghero's for PostgreSQL, their counterparts for
 * MySQL/MariaDB, SQLite's integrity checks): each one catalog query on the session's pool, run at once.
 * @example const report = await health(session, { thresholds: { idle_in_transaction_seconds: 30 } });
 */
export async function health(session: Session, options: HealthOptions = {}): Promise<HealthReport> {
  const { checkHealth } = await import('@aishell/health');
  const signal = options.signal ? { signal: options.signal } : {};
  return checkHealth((sql, params) => session.pool.query(sql, params, signal), session.sqlDialect, options);
}

/** The exit code of a report: 0 when every check is ok or skipped, 8 on a warning, 9 on a critical one. */
export async function healthExitCode(report: HealthReport): Promise<0 | 8 | 9> {
  const { healthExitCode: exitCode } = await import('@aishell/health');
  return exitCode(report);
}
