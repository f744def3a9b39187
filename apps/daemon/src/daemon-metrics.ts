import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** How a query request ended, as the latency histogram labels it. */
export type QueryOutcome = 'ok' | 'refused' | 'error';

/** Seconds; from a cache-speed 1 ms to a 30 s report. */
const QUERY_BUCKETS_SECONDS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The daemon's Prometheus metrics, in a registry of its own (not prom-client's global one), so two
 * servers in one process never share or clash.
 */
export class DaemonMetrics {
  readonly registry = new Registry();
  readonly #requests: Counter<'method' | 'route' | 'status'>;
  readonly #queryDuration: Histogram<'outcome'>;

  constructor(options: { processMetrics: boolean; openSessions: () => number }) {
    this.#requests = new Counter({
      name: 'aishelld_http_requests_total',
      help: 'HTTP requests answered, by method, route and status code',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
    });
    this.#queryDuration = new Histogram({
      name: 'aishelld_query_duration_seconds',
      help: 'Time to answer POST /v1/query, by outcome (ok, refused by the guard, error)',
      labelNames: ['outcome'],
      buckets: QUERY_BUCKETS_SECONDS,
      registers: [this.registry],
    });
    const openSessions = options.openSessions;
    new Gauge({
      name: 'aishelld_open_sessions',
      help: 'Database sessions cached by the daemon',
      registers: [this.registry],
      collect() {
        this.set(openSessions());
      },
    });
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'aishelld_' });
  }

  /** Count one answered request; `route` is the route pattern (bounded cardinality), not the raw URL. */
  countRequest(method: string, route: string, status: number): void {
    this.#requests.inc({ method, route, status: String(status) });
  }

  observeQuery(outcome: QueryOutcome, seconds: number): void {
    this.#queryDuration.observe({ outcome }, seconds);
  }

  /** The Prometheus text exposition of every metric. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
