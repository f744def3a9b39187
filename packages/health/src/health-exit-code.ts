// PRODUCT.md's exit codes for `aishell health`: 0 ok (skipped checks do not count), 8 warn, 9 crit.
import type { HealthCheckResult, HealthStatus } from './types.js';

const RANK: Record<HealthStatus, number> = { skipped: 0, ok: 1, warn: 2, crit: 3 };

/** The worst status among the checks: crit > warn > ok > skipped (`ok` when every check was skipped or there are none). */
export function worstStatus(
  checks: readonly Pick<HealthCheckResult, 'status'>[],
): Exclude<HealthStatus, 'skipped'> {
  let worst: HealthStatus = 'ok';
  for (const c of checks) if (RANK[c.status] > RANK[worst]) worst = c.status;
  return worst === 'skipped' ? 'ok' : worst;
}

/** The process exit code of a report: 0 (ok or skipped), 8 (a warning), 9 (a critical finding). */
export function healthExitCode(report: {
  readonly checks: readonly Pick<HealthCheckResult, 'status'>[];
}): 0 | 8 | 9 {
  const worst = worstStatus(report.checks);
  return worst === 'crit' ? 9 : worst === 'warn' ? 8 : 0;
}
