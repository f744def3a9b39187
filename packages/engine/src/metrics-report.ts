import { type HistoryRecord, metricsHistoryFile, readHistory } from './metrics-history.js';
import { type AishellPaths, resolvePaths } from './paths.js';

/** Latency percentiles in milliseconds. */
export interface LatencyFigures {
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly meanMs: number;
}

/** One statement shape (fingerprint) of the report. */
export interface FingerprintFigures {
  readonly fingerprint: string;
  readonly normalized: string;
  readonly count: number;
  readonly errors: number;
  readonly cached: number;
  readonly totalMs: number;
  readonly p95Ms: number;
}

/** The document of `aishell metrics --json`. */
export interface MetricsReport {
  /** The history file read. */
  readonly file: string;
  /** The start of the window (`--since`), or null for the whole history. */
  readonly since: string | null;
  /** Time of the oldest and newest record of the window, or null when it is empty. */
  readonly from: string | null;
  readonly to: string | null;
  readonly statements: number;
  readonly errors: number;
  readonly cached: number;
  /** Statements that consulted the query cache. */
  readonly cacheLookups: number;
  /** cached / cacheLookups, or null when the cache was never consulted. */
  readonly cacheHitRate: number | null;
  readonly latency: LatencyFigures;
  /** The statement shapes that took the most time in total, most first. */
  readonly top: FingerprintFigures[];
}

/** Options of `metricsReport` and `readMetrics`. */
export interface MetricsReportOptions {
  /** Only records at or after this time. */
  readonly since?: Date;
  /**
   * How many fingerprints `top` lists.
   * @default 10
   */
  readonly top?: number;
}

/** Summarize history records: counts, cache hit rate, HDR latency percentiles, top fingerprints by total time. */
export async function metricsReport(
  records: readonly HistoryRecord[],
  file: string,
  options: MetricsReportOptions = {},
): Promise<MetricsReport> {
  // Loaded here: its HDR histograms (hdr-histogram-js, WebAssembly) are for `aishell metrics` only, and
  // every other command would pay for loading them at start-up.
  const { LatencyRecorder } = await import('@aishell/metrics');
  const fingerprints = await fingerprintsOf(records);
  // One histogram per distinct fingerprint of the window (at most 2 × 10 000 records by default).
  const latency = new LatencyRecorder({ maxFingerprints: Math.max(1, records.length) });
  const shapes = new Map<
    string,
    { normalized: string; count: number; errors: number; cached: number; totalMs: number }
  >();
  let errors = 0;
  let cached = 0;
  let cacheLookups = 0;
  for (const [i, r] of records.entries()) {
    const fingerprint = fingerprints[i] as string;
    latency.record(fingerprint, r.durationMs);
    if (!r.ok) errors++;
    if (r.cached) cached++;
    if (r.cacheLookup) cacheLookups++;
    const shape = shapes.get(fingerprint) ?? {
      normalized: r.normalized,
      count: 0,
      errors: 0,
      cached: 0,
      totalMs: 0,
    };
    shape.count++;
    shape.totalMs += r.durationMs;
    if (!r.ok) shape.errors++;
    if (r.cached) shape.cached++;
    shapes.set(fingerprint, shape);
  }
  const overall = latency.overall();
  // An HDR percentile is its bucket's upper bound, which can lie a hair above the largest value recorded.
  const atMost = (value: number, max: number): number => Math.min(value, max);
  const top = [...shapes]
    .sort(([, a], [, b]) => b.totalMs - a.totalMs)
    .slice(0, options.top ?? 10)
    .map(([fingerprint, s]) => ({
      fingerprint,
      normalized: s.normalized,
      count: s.count,
      errors: s.errors,
      cached: s.cached,
      totalMs: Math.round(s.totalMs * 1000) / 1000,
      p95Ms: atMost(
        latency.summary(fingerprint)?.p95Millis ?? 0,
        latency.summary(fingerprint)?.maxMillis ?? 0,
      ),
    }));
  return {
    file,
    since: options.since ? options.since.toISOString() : null,
    from: records[0]?.time ?? null,
    to: records[records.length - 1]?.time ?? null,
    statements: records.length,
    errors,
    cached,
    cacheLookups,
    cacheHitRate: cacheLookups === 0 ? null : Math.round((cached / cacheLookups) * 10_000) / 10_000,
    latency: {
      p50Ms: atMost(overall.p50Millis, overall.maxMillis),
      p95Ms: atMost(overall.p95Millis, overall.maxMillis),
      p99Ms: atMost(overall.p99Millis, overall.maxMillis),
      maxMs: overall.maxMillis,
      meanMs: Math.round(overall.meanMillis * 1000) / 1000,
    },
    top,
  };
}

/** Read this host's metrics history (`$XDG_STATE_HOME/aishell/metrics.ndjson`) and summarize it. */
export async function readMetrics(
  options: MetricsReportOptions & { env?: NodeJS.ProcessEnv; paths?: AishellPaths } = {},
): Promise<MetricsReport> {
  const paths = options.paths ?? resolvePaths(options.env ?? process.env);
  const file = metricsHistoryFile(paths);
  const records = await readHistory(file, options.since ? { since: options.since } : {});
  return metricsReport(records, file, options);
}

/**
 * Each record's fingerprint: its own, or (PostgreSQL and PGlite records, which leave it out) the
 * fingerprint of its normalized text, which is the statement's own. A text the parser rejects keeps
 * the text itself as its key.
 */
async function fingerprintsOf(records: readonly HistoryRecord[]): Promise<string[]> {
  const missing = [...new Set(records.filter((r) => r.fingerprint === undefined).map((r) => r.normalized))];
  const computed = new Map<string, string>();
  if (missing.length > 0) {
    const { analyze } = await import('@aishell/sql');
    for (const text of missing) {
      const statements = await analyze(text, 'postgres').then(
        (a) => a.statements,
        () => [],
      );
      computed.set(text, statements.length === 1 ? (statements[0]?.fingerprint ?? text) : text);
    }
  }
  return records.map((r) => r.fingerprint ?? computed.get(r.normalized) ?? r.normalized);
}
