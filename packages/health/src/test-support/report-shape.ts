// What every report must look like, whatever the server: the contract of PRODUCT.md.
import { expect } from 'vitest';
import { healthChecks } from '../health-checks.js';
import type { HealthCheckResult, HealthDialect, HealthReport } from '../types.js';

const STATUSES = ['ok', 'warn', 'crit', 'skipped'];

/** Asserts the report's shape and returns its checks by name. */
export function expectValidReport(
  report: HealthReport,
  dialect: HealthDialect,
  maxObjects = 10,
): Record<string, HealthCheckResult> {
  expect(report.dialect).toBe(dialect);
  expect(report.checks.map((c) => c.name)).toEqual(healthChecks(dialect).map((c) => c.name));
  const byName: Record<string, HealthCheckResult> = {};
  for (const check of report.checks) {
    expect(STATUSES, check.name).toContain(check.status);
    expect(check.value === null || Number.isFinite(check.value), check.name).toBe(true);
    expect(check.objects.length, check.name).toBeLessThanOrEqual(maxObjects);
    expect(check.moreObjects, check.name).toBeGreaterThanOrEqual(0);
    expect(typeof check.reason, check.name).toBe('string');
    expect(check.reason.length, check.name).toBeGreaterThan(0);
    if (check.status === 'ok') expect(check.fix, check.name).toBeNull();
    if (check.status === 'warn' || check.status === 'crit')
      expect(check.fix, check.name).toEqual(expect.any(String));
    if (check.status === 'skipped') expect(check.value, check.name).toBeNull();
    // The JSON document is the contract: it must survive a round trip unchanged.
    expect(JSON.parse(JSON.stringify(check))).toEqual(check);
    byName[check.name] = check;
  }
  return byName;
}
