import { describe, expect, it } from 'vitest';
import { checkHealth } from './check-health.js';
import { HealthError } from './errors.js';
import { healthChecks } from './health-checks.js';
import { healthExitCode, worstStatus } from './health-exit-code.js';
import type { HealthDialect, HealthRun, HealthStatus } from './types.js';

// Option errors are thrown before any query: a run that fails the test if it is ever called.
const neverRun: HealthRun = async () => {
  throw new Error('run was called');
};

const PRODUCT_NAMES: Record<HealthDialect, string[]> = {
  postgres: [
    'connections',
    'idle_in_transaction',
    'long_running_queries',
    'blocked_queries',
    'transaction_id_wraparound',
    'sequence_overflow',
    'invalid_indexes',
    'invalid_constraints',
    'duplicate_indexes',
    'unused_indexes',
    'missing_indexes',
    'cache_hit_ratio',
    'dead_tuples',
    'replication_lag',
    'inactive_replication_slots',
    'slow_queries',
    'database_size',
  ],
  mysql: [
    'connections',
    'long_running_queries',
    'lock_waits',
    'buffer_pool_hit_ratio',
    'replication_lag',
    'auto_increment_overflow',
    'redundant_indexes',
    'unused_indexes',
    'tables_without_primary_key',
    'disk_temp_tables',
    'aborted_connections',
  ],
  sqlite: ['integrity', 'foreign_keys', 'free_pages'],
};

async function rejection(promise: Promise<unknown>): Promise<HealthError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HealthError);
  return error as HealthError;
}

describe('healthChecks', () => {
  it.each(Object.keys(PRODUCT_NAMES) as HealthDialect[])(
    'lists the check names PRODUCT.md gives for %s',
    (dialect) => {
      expect(healthChecks(dialect).map((c) => c.name)).toEqual(PRODUCT_NAMES[dialect]);
    },
  );

  it('names every threshold after its check and its unit, once per dialect', () => {
    for (const dialect of Object.keys(PRODUCT_NAMES) as HealthDialect[]) {
      const names = healthChecks(dialect).flatMap((c) => c.thresholds.map((t) => t.name));
      expect(new Set(names).size).toBe(names.length);
      for (const c of healthChecks(dialect)) {
        expect(c.thresholds.length, c.name).toBeGreaterThan(0);
        for (const t of c.thresholds) expect(t.name.startsWith(c.name), t.name).toBe(true);
      }
    }
  });

  it('keeps the defaults the issue sets', () => {
    const defaults = Object.fromEntries(
      healthChecks('postgres').flatMap((c) => c.thresholds.map((t) => [t.name, t.default])),
    );
    expect(defaults).toMatchObject({
      connections_ratio: 0.7,
      long_running_queries_seconds: 60,
      transaction_id_wraparound_xids: 1_500_000_000,
      transaction_id_wraparound_autovacuum_xids: 2_000_000,
      sequence_overflow_ratio: 0.9,
      unused_indexes_bytes: 10 * 1024 * 1024,
      missing_indexes_ratio: 0.95,
      missing_indexes_rows: 10_000,
      cache_hit_ratio: 0.99,
      replication_lag_seconds: 5,
      slow_queries_ms: 20,
      slow_queries_calls: 100,
    });
    const mysql = Object.fromEntries(
      healthChecks('mysql').flatMap((c) => c.thresholds.map((t) => [t.name, t.default])),
    );
    expect(mysql).toMatchObject({ disk_temp_tables_ratio: 0.25, auto_increment_overflow_ratio: 0.9 });
  });
});

describe('checkHealth options', () => {
  it('throws HEALTH_UNKNOWN_CHECK listing the valid names', async () => {
    const e = await rejection(checkHealth(neverRun, 'sqlite', { only: ['integrity', 'vacuum'] }));
    expect(e.code).toBe('HEALTH_UNKNOWN_CHECK');
    expect(e.message).toBe(
      'unknown check "vacuum" for sqlite; the checks are: integrity, foreign_keys, free_pages',
    );
  });

  it('refuses a check of another dialect', async () => {
    const e = await rejection(checkHealth(neverRun, 'postgres', { only: ['lock_waits'] }));
    expect(e.code).toBe('HEALTH_UNKNOWN_CHECK');
    expect(e.message).toContain('blocked_queries');
  });

  it('throws HEALTH_UNKNOWN_THRESHOLD listing the valid names, prototype names included', async () => {
    for (const name of ['idle_seconds', 'toString', '__proto__']) {
      const thresholds = JSON.parse(`{"${name}": 1}`) as Record<string, number>;
      const e = await rejection(checkHealth(neverRun, 'sqlite', { thresholds }));
      expect(e.code).toBe('HEALTH_UNKNOWN_THRESHOLD');
      expect(e.message).toBe(
        `unknown threshold "${name}" for sqlite; the thresholds are: integrity_errors, foreign_keys_violations, free_pages_ratio`,
      );
    }
  });

  it.each([
    ['free_pages_ratio', 1.5, /between 0 and 1/],
    ['free_pages_ratio', -0.1, /between 0 and 1/],
    ['integrity_errors', -1, /0 or more/],
    ['integrity_errors', Number.NaN, /0 or more/],
    ['integrity_errors', Number.POSITIVE_INFINITY, /0 or more/],
    ['integrity_errors', '3', /0 or more/],
  ])('throws HEALTH_BAD_THRESHOLD for %s = %s', async (name, value, message) => {
    const e = await rejection(checkHealth(neverRun, 'sqlite', { thresholds: { [name]: value as number } }));
    expect(e.code).toBe('HEALTH_BAD_THRESHOLD');
    expect(e.message).toMatch(message);
  });

  it('throws HEALTH_BAD_OPTION for a bad dialect, maxObjects or an empty only', async () => {
    expect((await rejection(checkHealth(neverRun, 'oracle' as HealthDialect))).code).toBe(
      'HEALTH_BAD_OPTION',
    );
    expect((await rejection(checkHealth(neverRun, 'sqlite', { maxObjects: -1 }))).code).toBe(
      'HEALTH_BAD_OPTION',
    );
    expect((await rejection(checkHealth(neverRun, 'sqlite', { maxObjects: 1.5 }))).code).toBe(
      'HEALTH_BAD_OPTION',
    );
    expect((await rejection(checkHealth(neverRun, 'sqlite', { only: [] }))).code).toBe('HEALTH_BAD_OPTION');
  });

  it('throws HEALTH_ABORTED before any query when the signal has fired', async () => {
    const e = await rejection(checkHealth(neverRun, 'sqlite', { signal: AbortSignal.abort() }));
    expect(e.code).toBe('HEALTH_ABORTED');
  });
});

describe('worstStatus and healthExitCode', () => {
  const of = (...statuses: HealthStatus[]) => statuses.map((status) => ({ status }));

  it.each([
    [of(), 'ok', 0],
    [of('skipped', 'skipped'), 'ok', 0],
    [of('ok', 'skipped'), 'ok', 0],
    [of('ok', 'warn', 'skipped'), 'warn', 8],
    [of('warn', 'crit', 'ok'), 'crit', 9],
  ] as const)('%j -> %s, exit %i', (checks, worst, code) => {
    expect(worstStatus(checks)).toBe(worst);
    expect(healthExitCode({ checks })).toBe(code);
  });
});
