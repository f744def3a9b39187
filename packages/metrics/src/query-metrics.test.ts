import { register as globalRegistry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createMetricsRegistry, MetricsError, QUERY_METRICS_DEFAULTS } from './index.js';

describe('createMetricsRegistry', () => {
  it('counts queries by dialect, kind, outcome and cache, with durations in seconds', async () => {
    const metrics = createMetricsRegistry();
    metrics.recordQuery({ dialect: 'postgres', kind: 'select', durationMillis: 3, rows: 2 });
    metrics.recordQuery({ dialect: 'postgres', kind: 'select', durationMillis: 0.5, rows: 2, cached: true });
    metrics.recordQuery({ dialect: 'sqlite', kind: 'delete', durationMillis: 20, outcome: 'refused' });
    const text = await metrics.metrics();
    expect(text).toContain(
      'aishell_queries_total{dialect="postgres",kind="select",outcome="ok",cached="false"} 1',
    );
    expect(text).toContain(
      'aishell_queries_total{dialect="postgres",kind="select",outcome="ok",cached="true"} 1',
    );
    expect(text).toContain(
      'aishell_queries_total{dialect="sqlite",kind="delete",outcome="refused",cached="false"} 1',
    );
    expect(text).toContain('aishell_query_rows_total{dialect="postgres",kind="select"} 4');
    expect(text).toContain(
      'aishell_query_duration_seconds_bucket{le="0.001",dialect="postgres",kind="select",cached="true"} 1',
    );
    expect(text).toContain(
      'aishell_query_duration_seconds_bucket{le="0.001",dialect="postgres",kind="select",cached="false"} 0',
    );
    expect(text).toContain(
      'aishell_query_duration_seconds_bucket{le="0.005",dialect="postgres",kind="select",cached="false"} 1',
    );
    expect(text).toContain(
      'aishell_query_duration_seconds_sum{dialect="sqlite",kind="delete",cached="false"} 0.02',
    );
    expect(text).toContain(
      'aishell_query_duration_seconds_count{dialect="sqlite",kind="delete",cached="false"} 1',
    );
  });

  it('counts cache lookups and N+1 findings', async () => {
    const metrics = createMetricsRegistry();
    metrics.recordCacheLookup('hit');
    metrics.recordCacheLookup('hit');
    metrics.recordCacheLookup('miss');
    metrics.recordNPlusOne();
    const text = await metrics.metrics();
    expect(text).toContain('aishell_cache_lookups_total{result="hit"} 2');
    expect(text).toContain('aishell_cache_lookups_total{result="miss"} 1');
    expect(text).toContain('aishell_n_plus_one_findings_total 1');
  });

  it('gives every instance its own registry, never the global one', async () => {
    const one = createMetricsRegistry();
    const two = createMetricsRegistry();
    one.recordCacheLookup('hit');
    expect(one.registry).not.toBe(two.registry);
    expect(one.registry).not.toBe(globalRegistry);
    expect(await two.metrics()).not.toContain('aishell_cache_lookups_total{result="hit"}');
    expect(globalRegistry.getSingleMetric('aishell_queries_total')).toBeUndefined();
  });

  it('applies the prefix, default labels and buckets it is given', async () => {
    const metrics = createMetricsRegistry({
      prefix: 'shell_',
      defaultLabels: { instance: 'aishelld-1' },
      durationBucketsSeconds: [0.1, 1],
    });
    metrics.recordQuery({ dialect: 'mysql', kind: 'select', durationMillis: 500 });
    const text = await metrics.metrics();
    expect(text).toContain(
      'shell_query_duration_seconds_bucket{le="1",instance="aishelld-1",dialect="mysql",kind="select",cached="false"} 1',
    );
    expect(text).toContain(
      'shell_query_duration_seconds_bucket{le="0.1",instance="aishelld-1",dialect="mysql",kind="select",cached="false"} 0',
    );
    expect(text).not.toContain('aishell_');
    expect(metrics.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
  });

  it('adds process metrics only when asked', async () => {
    expect(await createMetricsRegistry().metrics()).not.toContain('process_cpu_user_seconds_total');
    const withProcess = createMetricsRegistry({ processMetrics: true });
    expect(await withProcess.metrics()).toContain('aishell_process_cpu_user_seconds_total');
  });

  it('rejects a bad prefix, bad buckets and a negative duration', () => {
    expect(() => createMetricsRegistry({ prefix: 'bad-prefix' })).toThrow(MetricsError);
    expect(() => createMetricsRegistry({ durationBucketsSeconds: [1, 0.5] })).toThrow(MetricsError);
    expect(() => createMetricsRegistry({ durationBucketsSeconds: [] })).toThrow(MetricsError);
    expect(() =>
      createMetricsRegistry().recordQuery({ dialect: 'x', kind: 'y', durationMillis: -1 }),
    ).toThrow(MetricsError);
    expect(QUERY_METRICS_DEFAULTS.prefix).toBe('aishell_');
  });
});
