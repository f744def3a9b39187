import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { MetricsError } from './errors.js';

/** Options of `createMetricsRegistry`. */
export interface QueryMetricsOptions {
  /**
   * Prefix of every metric name.
   * @default 'aishell_'
   */
  readonly prefix?: string;
  /**
   * Upper bounds of the query duration histogram's buckets, in seconds, ascending.
   * @default [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
   */
  readonly durationBucketsSeconds?: readonly number[];
  /**
   * Labels added to every metric of this registry (for example `{ instance: 'aishelld-1' }`).
   * @default {}
   */
  readonly defaultLabels?: Readonly<Record<string, string>>;
  /**
   * Also expose prom-client's process metrics (CPU, memory, event loop lag, ...), prefixed the same way.
   * @default false
   */
  readonly processMetrics?: boolean;
}

/** Defaults of every optional field of `QueryMetricsOptions`. */
export const QUERY_METRICS_DEFAULTS = Object.freeze({
  prefix: 'aishell_',
  durationBucketsSeconds: Object.freeze([0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]),
  defaultLabels: Object.freeze({}),
  processMetrics: false,
} as const);

/** How a query ended. */
export type QueryOutcome = 'ok' | 'error' | 'refused';

/** One query, as the metrics see it. Labels come from small closed sets: never a fingerprint or SQL text. */
export interface QueryObservation {
  /** `postgres`, `mysql`, `sqlite`, `pglite`. */
  readonly dialect: string;
  /** The statement kind: `select`, `insert`, ..., `other`. */
  readonly kind: string;
  readonly durationMillis: number;
  /** Rows returned or affected. @default 0 */
  readonly rows?: number;
  /** Served from the cache. @default false */
  readonly cached?: boolean;
  /** @default 'ok' */
  readonly outcome?: QueryOutcome;
}

/**
 * Prometheus metrics of queries, in a registry of their own (never prom-client's global registry, so two
 * instances in one process, or two tests, never share or clash).
 *
 * Metrics (with the default prefix):
 * - `aishell_queries_total{dialect,kind,outcome,cached}` counter
 * - `aishell_query_duration_seconds{dialect,kind,cached}` histogram
 * - `aishell_query_rows_total{dialect,kind}` counter
 * - `aishell_cache_lookups_total{result}` counter, result `hit`, `miss` or `error`
 * - `aishell_n_plus_one_findings_total` counter
 */
export class QueryMetrics {
  /** The registry that holds every metric below; serve `await registry.metrics()` on /metrics. */
  readonly registry: Registry;
  readonly queries: Counter<'dialect' | 'kind' | 'outcome' | 'cached'>;
  readonly queryDuration: Histogram<'dialect' | 'kind' | 'cached'>;
  readonly rows: Counter<'dialect' | 'kind'>;
  readonly cacheLookups: Counter<'result'>;
  readonly nPlusOneFindings: Counter;

  constructor(options: QueryMetricsOptions = {}) {
    const prefix = options.prefix ?? QUERY_METRICS_DEFAULTS.prefix;
    if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$|^$/.test(prefix)) {
      throw new MetricsError(
        'METRICS_INVALID_ARGUMENT',
        `The metric prefix ${JSON.stringify(prefix)} is not a valid name.`,
      );
    }
    const buckets = [...(options.durationBucketsSeconds ?? QUERY_METRICS_DEFAULTS.durationBucketsSeconds)];
    if (buckets.length === 0 || buckets.some((b, i) => !(b > 0) || (i > 0 && b <= (buckets[i - 1] ?? 0)))) {
      throw new MetricsError(
        'METRICS_INVALID_ARGUMENT',
        'durationBucketsSeconds must be positive and ascending.',
      );
    }
    const registry = new Registry();
    registry.setDefaultLabels({ ...(options.defaultLabels ?? QUERY_METRICS_DEFAULTS.defaultLabels) });
    const registers = [registry];
    this.registry = registry;
    this.queries = new Counter({
      name: `${prefix}queries_total`,
      help: 'Queries run, by dialect, statement kind, outcome and whether the cache served them.',
      labelNames: ['dialect', 'kind', 'outcome', 'cached'] as const,
      registers,
    });
    this.queryDuration = new Histogram({
      name: `${prefix}query_duration_seconds`,
      help: 'Query duration in seconds, by dialect, statement kind and whether the cache served them.',
      labelNames: ['dialect', 'kind', 'cached'] as const,
      buckets,
      registers,
    });
    this.rows = new Counter({
      name: `${prefix}query_rows_total`,
      help: 'Rows returned or affected by queries.',
      labelNames: ['dialect', 'kind'] as const,
      registers,
    });
    this.cacheLookups = new Counter({
      name: `${prefix}cache_lookups_total`,
      help: 'Result cache lookups, by result (hit, miss, error).',
      labelNames: ['result'] as const,
      registers,
    });
    this.nPlusOneFindings = new Counter({
      name: `${prefix}n_plus_one_findings_total`,
      help: 'N+1 query patterns detected.',
      registers,
    });
    if (options.processMetrics ?? QUERY_METRICS_DEFAULTS.processMetrics) {
      collectDefaultMetrics({ register: registry, prefix });
    }
  }

  /** Counts one query in `queries`, `queryDuration` and `rows`. */
  recordQuery(query: QueryObservation): void {
    if (!Number.isFinite(query.durationMillis) || query.durationMillis < 0) {
      throw new MetricsError(
        'METRICS_INVALID_ARGUMENT',
        `durationMillis must be a finite number >= 0, not ${query.durationMillis}.`,
      );
    }
    const cached = query.cached ? 'true' : 'false';
    const { dialect, kind } = query;
    this.queries.inc({ dialect, kind, outcome: query.outcome ?? 'ok', cached });
    this.queryDuration.observe({ dialect, kind, cached }, query.durationMillis / 1000);
    const rows = query.rows ?? 0;
    if (rows > 0) this.rows.inc({ dialect, kind }, rows);
  }

  /** Counts one cache lookup. */
  recordCacheLookup(result: 'hit' | 'miss' | 'error'): void {
    this.cacheLookups.inc({ result });
  }

  /** Counts one N+1 finding. */
  recordNPlusOne(): void {
    this.nPlusOneFindings.inc();
  }

  /** The exposition text of every metric (Prometheus text format 0.0.4). */
  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  /** The Content-Type header to serve `metrics()` with. */
  get contentType(): string {
    return this.registry.contentType;
  }
}

/** Creates query metrics in a registry of their own. */
export function createMetricsRegistry(options: QueryMetricsOptions = {}): QueryMetrics {
  return new QueryMetrics(options);
}
