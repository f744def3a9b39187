/** How the pool reconnects once a server that was up goes away. */
export interface ReconnectOptions {
  /**
   * Further connection attempts after a failed one (only once the pool has connected at least once:
   * a first connection that fails fails at once, so a wrong URL is reported quickly).
   * @default 5
   */
  retries?: number;
  /** Delay before the first retry; it doubles with each retry. @default 100 */
  initialDelayMillis?: number;
  /** Upper bound of the delay between retries. @default 2000 */
  maxDelayMillis?: number;
}

/** Options of {@link createPool}. SQLite and PGlite always use exactly one connection. */
export interface PoolOptions {
  /** Most connections open at once. @default 10 */
  max?: number;
  /** How long `query()` and friends wait for a free connection before `POOL_ACQUIRE_TIMEOUT`. @default 30000 */
  acquireTimeoutMillis?: number;
  /** An idle connection is closed after this long; 0 keeps idle connections open. @default 30000 */
  idleTimeoutMillis?: number;
  /** A connection older than this is closed when it is next released or picked; 0 is unlimited. @default 0 */
  maxLifetimeSeconds?: number;
  /** Time allowed to open one connection (TCP + TLS + login). @default 10000 */
  connectTimeoutMillis?: number;
  /** A connection idle for longer than this is checked with a ping before it is handed out. @default 5000 */
  validateAfterIdleMillis?: number;
  /**
   * Default statement timeout of every query; the statement is cancelled on the server when it runs
   * longer. 0 means none. Per-query `timeoutMillis` overrides it.
   * @default 0
   */
  statementTimeoutMillis?: number;
  /** Reconnection with bounded exponential backoff. */
  reconnect?: ReconnectOptions;
}

/** {@link PoolOptions} with every field resolved. */
export interface ResolvedPoolOptions {
  readonly max: number;
  readonly acquireTimeoutMillis: number;
  readonly idleTimeoutMillis: number;
  readonly maxLifetimeSeconds: number;
  readonly connectTimeoutMillis: number;
  readonly validateAfterIdleMillis: number;
  readonly statementTimeoutMillis: number;
  readonly reconnect: Readonly<Required<ReconnectOptions>>;
}

/** The defaults of {@link PoolOptions}, in one place. */
export const DEFAULT_POOL_OPTIONS: ResolvedPoolOptions = Object.freeze({
  max: 10,
  acquireTimeoutMillis: 30_000,
  idleTimeoutMillis: 30_000,
  maxLifetimeSeconds: 0,
  connectTimeoutMillis: 10_000,
  validateAfterIdleMillis: 5_000,
  statementTimeoutMillis: 0,
  reconnect: Object.freeze({ retries: 5, initialDelayMillis: 100, maxDelayMillis: 2_000 }),
});

export function resolvePoolOptions(options: PoolOptions = {}): ResolvedPoolOptions {
  const d = DEFAULT_POOL_OPTIONS;
  return Object.freeze({
    max: Math.max(1, options.max ?? d.max),
    acquireTimeoutMillis: options.acquireTimeoutMillis ?? d.acquireTimeoutMillis,
    idleTimeoutMillis: options.idleTimeoutMillis ?? d.idleTimeoutMillis,
    maxLifetimeSeconds: options.maxLifetimeSeconds ?? d.maxLifetimeSeconds,
    connectTimeoutMillis: options.connectTimeoutMillis ?? d.connectTimeoutMillis,
    validateAfterIdleMillis: options.validateAfterIdleMillis ?? d.validateAfterIdleMillis,
    statementTimeoutMillis: options.statementTimeoutMillis ?? d.statementTimeoutMillis,
    reconnect: Object.freeze({
      retries: options.reconnect?.retries ?? d.reconnect.retries,
      initialDelayMillis: options.reconnect?.initialDelayMillis ?? d.reconnect.initialDelayMillis,
      maxDelayMillis: options.reconnect?.maxDelayMillis ?? d.reconnect.maxDelayMillis,
    }),
  });
}
