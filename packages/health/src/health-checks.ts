// The checks of each dialect, and what callers may know of them (names, units, thresholds).
import type { CheckDefinition } from './check-definition.js';
import { MYSQL_CHECKS } from './mysql-checks.js';
import { POSTGRES_CHECKS } from './postgres-checks.js';
import { SQLITE_CHECKS } from './sqlite-checks.js';
import type { HealthCheckInfo, HealthDialect } from './types.js';

export const CHECKS: Record<HealthDialect, readonly CheckDefinition[]> = {
  postgres: POSTGRES_CHECKS,
  mysql: MYSQL_CHECKS,
  sqlite: SQLITE_CHECKS,
};

/**
 * The checks of a dialect in the order `checkHealth` reports them, with their thresholds and defaults.
 * @example healthChecks('postgres').map((c) => c.name) // ['connections', 'idle_in_transaction', ...]
 */
export function healthChecks(dialect: HealthDialect): readonly HealthCheckInfo[] {
  return (CHECKS[dialect] ?? []).map((c) => ({
    name: c.name,
    description: c.description,
    unit: c.unit,
    thresholds: c.thresholds.map((t) => ({
      name: t.name,
      default: t.default,
      unit: t.unit,
      description: t.description,
    })),
  }));
}
