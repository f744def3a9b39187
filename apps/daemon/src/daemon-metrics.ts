import type {
  CacheLocalStats,
  FingerprintSummary,
  FingerprintWindows,
  LiveMetrics,
  NPlusOneDetector,
  NPlusOneFinding,
  WindowSummary,
} from '@aishell/engine';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** How a query request ended, as the latency histogram labels it. */
export type QueryOutcome = 'ok' | 'refused' | 'error';

/** Seconds; from a cache-speed 1 ms to a 30 s report. */
const QUERY_BUCKETS_SECONDS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Statement kinds of @aishell/sql, plus `script` (several statements) and `unknown` (never parsed). */
const KINDS = new Set([
  'select',
  'insert',
  'update',
  'delete',
  'merge',
  'ddl',
  'dcl',
  'transaction',
  'utility',
  'other',
  'script',
  'unknown',
]);
/** An error code as a label: codes come from closed sets (the packages'); anything else is `OTHER`. */
const CODE = /^[A-Z][A-Z0-9_]{1,47}$/;

/** The pool counters of one open session, under a label that never holds a password or a URL. */
export interface PoolFigures {
  /** `dialect`: postgres, mysql, sqlite, pglite. */
  readonly dialect: string;
  /** The saved name, `demo`, or `host:port/database` (a file's base name for SQLite and PGlite). */
  readonly connection: string;
  readonly total: number;
  readonly idle: number;
  readonly waiting: number;
}

/** What the daemon asks its session cache at each scrape. */
export interface MetricsSources {
  readonly openSessions: () => number;
  readonly pools: () => readonly PoolFigures[];
  /** Cache counters of the sessions open now. */
  readonly cacheStats: () => readonly CacheLocalStats[];
}

type CacheCounter = 'hits' | 'misses' | 'refused' | 'invalidations' | 'errors';
const CACHE_COUNTERS: readonly CacheCounter[] = ['hits', 'misses', 'refused', 'invalidations', 'errors'];

/** One statement of an answered request, for the sliding windows and the N+1 detector. */
export interface StatementSample {
  readonly fingerprint: string;
  readonly normalized: string;
  readonly durationMillis: number;
  readonly rows: number;
  readonly error: boolean;
  readonly cache?: 'hit' | 'miss';
}

/** The document of `GET /v1/metrics` (what `aishell metrics --daemon` prints). */
export interface LiveMetricsDocument {
  readonly source: 'daemon';
  readonly window: string;
  readonly overall: WindowSummary;
  readonly top: FingerprintSummary[];
  readonly fingerprints: { readonly tracked: number; readonly max: number; readonly evicted: number };
  readonly memoryCeilingBytes: number;
  readonly nPlusOne: NPlusOneFinding[];
}

/**
 * The daemon's Prometheus metrics, in a registry of their own (not prom-client's global one), so two
 * servers in one process never share or clash, and its live per-fingerprint figures (sliding windows,
 * N+1 suspicions). Every label comes from a small closed set or from the (at most `maxSessions`) open
 * sessions: never SQL text, a fingerprint, a URL or a password (docs/daemon.md, "GET /metrics").
 */
export class DaemonMetrics {
  readonly registry = new Registry();
  readonly windows: FingerprintWindows;
  readonly #nPlusOne: NPlusOneDetector;
  readonly #requests: Counter<'method' | 'route' | 'status'>;
  readonly #queryDuration: Histogram<'kind' | 'outcome'>;
  readonly #errors: Counter<'code'>;
  readonly #refusals: Counter<'code' | 'risk'>;
  readonly #suspicions: Counter;
  /** Cache counters of sessions closed since the start, so that the totals never go down. */
  readonly #retired: Record<CacheCounter, number> = {
    hits: 0,
    misses: 0,
    refused: 0,
    invalidations: 0,
    errors: 0,
  };

  /** `live` from the engine's loadLiveMetrics(). */
  constructor(
    options: { processMetrics: boolean; maxFingerprints?: number; live: LiveMetrics } & MetricsSources,
  ) {
    this.#nPlusOne = new options.live.NPlusOneDetector();
    this.windows = new options.live.FingerprintWindows(
      options.maxFingerprints === undefined ? {} : { maxFingerprints: options.maxFingerprints },
    );
    const registers = [this.registry];
    this.#requests = new Counter({
      name: 'aishelld_http_requests_total',
      help: 'HTTP requests answered, by method, route and status code',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.#queryDuration = new Histogram({
      name: 'aishelld_query_duration_seconds',
      help: 'Time to answer POST /v1/query, by statement kind (script for several) and outcome (ok, refused by the guard, error)',
      labelNames: ['kind', 'outcome'],
      buckets: QUERY_BUCKETS_SECONDS,
      registers,
    });
    this.#errors = new Counter({
      name: 'aishelld_errors_total',
      help: 'Error answers, by error code',
      labelNames: ['code'],
      registers,
    });
    this.#refusals = new Counter({
      name: 'aishelld_guard_refusals_total',
      help: 'Statements the safety guard refused before sending them, by code (SAFETY_REFUSED, SAFETY_READ_ONLY) and risk',
      labelNames: ['code', 'risk'],
      registers,
    });
    this.#suspicions = new Counter({
      name: 'aishelld_n_plus_one_suspicions_total',
      help: 'Statement shapes run 10 or more times within 1 s on one connection (N+1 suspicions), counted once per connection and shape',
      registers,
    });
    const sources = options;
    new Gauge({
      name: 'aishelld_open_sessions',
      help: 'Database sessions cached by the daemon',
      registers,
      collect() {
        this.set(sources.openSessions());
      },
    });
    const poolGauge = (name: string, help: string, pick: (p: PoolFigures) => number): void => {
      new Gauge({
        name,
        help,
        labelNames: ['dialect', 'connection'],
        registers,
        collect() {
          // Only the sessions open now: a closed one's series disappears instead of freezing.
          this.reset();
          for (const p of sources.pools())
            this.set({ dialect: p.dialect, connection: p.connection }, pick(p));
        },
      });
    };
    poolGauge('aishelld_pool_connections', 'Connections open or opening, per session', (p) => p.total);
    poolGauge('aishelld_pool_idle_connections', 'Connections open and free, per session', (p) => p.idle);
    poolGauge(
      'aishelld_pool_waiting_requests',
      'Requests waiting for a connection, per session',
      (p) => p.waiting,
    );
    const retired = this.#retired;
    const cacheCounter = (field: CacheCounter, name: string, help: string): void => {
      let reported = 0;
      new Counter({
        name,
        help,
        registers,
        collect() {
          // The sessions' own counters, summed at each scrape; a counter only goes up, so by difference.
          const total = retired[field] + sources.cacheStats().reduce((sum, s) => sum + s[field], 0);
          if (total > reported) {
            this.inc(total - reported);
            reported = total;
          }
        },
      });
    };
    cacheCounter('hits', 'aishelld_cache_hits_total', 'Query cache lookups answered from Redis');
    cacheCounter('misses', 'aishelld_cache_misses_total', 'Query cache lookups that missed');
    cacheCounter(
      'refused',
      'aishelld_cache_fills_refused_total',
      'Results not stored because a write invalidated their tables while they ran',
    );
    cacheCounter(
      'invalidations',
      'aishelld_cache_invalidations_total',
      'Invalidations of cached results after writes',
    );
    cacheCounter('errors', 'aishelld_cache_errors_total', 'Cache calls that failed (worked around)');
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'aishelld_' });
  }

  /** Count one answered request; `route` is the route pattern (bounded cardinality), not the raw URL. */
  countRequest(method: string, route: string, status: number): void {
    this.#requests.inc({ method, route, status: String(status) });
  }

  /** One POST /v1/query: its time by kind and outcome. */
  observeQuery(kind: string, outcome: QueryOutcome, seconds: number): void {
    this.#queryDuration.observe({ kind: KINDS.has(kind) ? kind : 'other', outcome }, seconds);
  }

  /** One error answer, by its code. */
  countError(code: string): void {
    this.#errors.inc({ code: CODE.test(code) ? code : 'OTHER' });
  }

  /** One refusal of the safety guard. */
  countRefusal(code: string, risk: string | undefined): void {
    const r = risk === 'low' || risk === 'medium' || risk === 'high' || risk === 'critical' ? risk : 'none';
    this.#refusals.inc({ code: CODE.test(code) ? code : 'OTHER', risk: r });
  }

  /** Statements that ran for `connection` (its label): into the sliding windows and the N+1 detector. */
  recordStatements(connection: string, samples: readonly StatementSample[], nowMillis = Date.now()): void {
    for (const s of samples) {
      this.windows.record(
        s.fingerprint,
        s.durationMillis,
        {
          rows: s.rows,
          error: s.error,
          text: s.normalized,
          ...(s.cache ? { cache: s.cache } : {}),
        },
        nowMillis,
      );
      const finding = this.#nPlusOne.observe({
        fingerprint: s.fingerprint,
        timestampMs: nowMillis,
        sessionId: connection,
        example: s.normalized,
      });
      if (finding && finding.count === this.#nPlusOne.threshold) this.#suspicions.inc();
    }
  }

  /** A session is closing: keep its cache counters in the totals. */
  retireCacheStats(stats: CacheLocalStats | undefined): void {
    if (!stats) return;
    for (const field of CACHE_COUNTERS) this.#retired[field] += stats[field];
  }

  /** The live figures of `window` (`1m`, `5m`, `1h`): overall, the top fingerprints, N+1 suspicions. */
  live(window: string, top: number): LiveMetricsDocument {
    return {
      source: 'daemon',
      window,
      overall: this.windows.overall(window),
      top: this.windows.top(window, { top }),
      fingerprints: {
        tracked: this.windows.size,
        max: this.windows.maxFingerprints,
        evicted: this.windows.evicted,
      },
      memoryCeilingBytes: this.windows.memoryCeilingBytes,
      nPlusOne: this.#nPlusOne.findings().slice(0, top),
    };
  }

  /** The Prometheus text exposition of every metric. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
