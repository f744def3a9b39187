import type { Cache, CacheError, CacheLocalStats } from '@aishell/cache';
import {
  type ConnectionConfig,
  createPool,
  type DialectName,
  type Pool,
  type PoolOptions,
  parseConnectionUrl,
  type Queryable,
  type QueryResult,
  type RowStream,
  redactUrl,
  type SchemaInfo,
  type SqlDialect,
} from '@aishell/pool';
import {
  type Analysis,
  analyze,
  highestRisk,
  loadParser,
  type Risk,
  readOnlyRefusal,
  riskAtLeast,
  type StatementAnalysis,
} from '@aishell/sql';
import { type AishellConfig, loadConfig } from './config.js';
import { type ConnectionTarget, resolveConnectionTarget } from './connection-target.js';
import { ensureDemo } from './demo.js';
import { ReadOnlyError, SafetyError, UsageError } from './errors.js';
import {
  type HistoryRecord,
  historyEnabled,
  MetricsHistory,
  type MetricsHistoryOptions,
  metricsHistoryFile,
} from './metrics-history.js';
import { type AishellPaths, resolvePaths } from './paths.js';
import {
  type CacheMiss,
  CacheNotConfiguredError,
  cacheSizeOptions,
  connectionIdentity,
  isCacheable,
  isCacheError,
  loadCacheModule,
  QUERY_CACHE_DEFAULTS,
  QueryCache,
  resolveRedisUrl,
  roundMillis,
} from './query-cache.js';
import { AnalysisMemo } from './query-cache-memo.js';
import type { RunResult, StatementResult } from './statement-result.js';

export interface OpenSessionOptions {
  /** `-c`: a saved connection name, a URL, or `demo`. Falls back as PRODUCT.md says. */
  readonly connection?: string;
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** @default resolvePaths(env) */
  readonly paths?: AishellPaths;
  /** @default the config file under paths */
  readonly config?: AishellConfig;
  readonly pool?: PoolOptions;
  /** Looks up a vault entry (a saved password, or `vault:<entry>` in a URL). */
  readonly resolveSecret?: (entry: string) => Promise<string>;
  /** Progress while the demo database is created on first use. */
  readonly onDemoProgress?: (done: number, total: number) => void;
  /**
   * Start connecting, and loading the dialect's SQL parser, as soon as the session opens, in the
   * background: the two overlap instead of running one after the other on the first statement.
   * A failure here is not reported; the first statement meets it. @default true
   */
  readonly warm?: boolean;
  /**
   * `--redis`: the Redis URL of the query cache; giving it makes the cache required, like `cache: true`.
   * @default env AISHELL_REDIS_URL, then REDIS_URL; without one the cache is off
   */
  readonly redis?: string;
  /**
   * `--cache` (true): the cache is required; without a Redis URL `open` throws CACHE_NOT_CONFIGURED, and a
   * Redis that cannot be reached fails the statement with CACHE_UNAVAILABLE before anything is sent.
   * `--no-cache` (false): results are neither read from nor stored in the cache (writes still invalidate).
   * @default undefined: used when a Redis URL is known; when Redis fails, statements run uncached
   */
  readonly cache?: boolean;
  /**
   * Namespace of the cache's keys in Redis.
   * @default env AISHELL_CACHE_NAMESPACE, then 'aishell'
   */
  readonly cacheNamespace?: string;
  /**
   * Time to live of a cached result when a run names none, in seconds.
   * @default 300
   */
  readonly cacheTtlSeconds?: number;
  /** Told of each cache failure the session worked around (the statement ran uncached, or a fill was lost). */
  readonly onCacheError?: (error: CacheError) => void;
  /**
   * The metrics history (one record per statement, `$XDG_STATE_HOME/aishell/metrics.ndjson`); false turns it off.
   * @default on, unless env AISHELL_HISTORY=off
   */
  readonly history?: boolean | Partial<MetricsHistoryOptions>;
}

export interface RunOptions {
  /** Bound parameters; only for a single statement. */
  readonly params?: readonly unknown[];
  /**
   * Run the whole input inside a read-only transaction. Nothing in the input may end, replace or loosen
   * it: every statement that the analysis does not prove to be a read (transaction control, session
   * settings, DDL, writes, procedures) is refused with ReadOnlyError before anything is sent, and the
   * server's READ ONLY transaction (a read-only file handle on SQLite) is the second wall. @default false
   */
  readonly readOnly?: boolean;
  /**
   * Run the input as one unit on a connection of its own, as aishelld does for every request: a
   * transaction it leaves open is rolled back (`RunResult.rolledBack`), and the connection's session state
   * (settings, USE / search_path, temporary tables, prepared statements) is reset before anyone else uses
   * it. Without it a session keeps its state between runs, as psql does. @default false
   */
  readonly isolated?: boolean;
  /** The person already confirmed risky statements (`--yes`). @default false */
  readonly confirmed?: boolean;
  /** Asked before a high or critical statement runs when not `confirmed`; false refuses. */
  readonly confirm?: (risk: Risk, reasons: readonly string[], analysis: Analysis) => Promise<boolean>;
  /** Statement timeout per statement. */
  readonly timeoutMillis?: number;
  /**
   * Time to live of this statement's result in the query cache, in seconds.
   * @default the session's cacheTtlSeconds (300)
   */
  readonly ttlSeconds?: number;
  readonly signal?: AbortSignal;
}

/** `CREATE TEMP TABLE`, `CREATE TEMPORARY VIEW`, `CREATE GLOBAL TEMPORARY TABLE`: objects of this session only. */
const CREATES_TEMPORARY = /^CREATE (?:OR REPLACE )?(?:(?:GLOBAL|LOCAL) )?TEMP(?:ORARY)? /i;

/**
 * Whether a statement may leave the session in a state the cache key does not describe: SET, USE, BEGIN,
 * SET ROLE, PRAGMA, ATTACH, set_config(), a temporary table that hides a real one. Proven reads, writes,
 * grants and other DDL do not (the tables they change are invalidated instead).
 */
function changesSessionState(statement: StatementAnalysis): boolean {
  if (statement.readOnly && statement.kind !== 'transaction') return false;
  switch (statement.kind) {
    case 'insert':
    case 'update':
    case 'delete':
    case 'merge':
    case 'dcl':
      return false;
    case 'ddl':
      return CREATES_TEMPORARY.test(statement.normalized);
    default:
      return true;
  }
}

/** The URL with `password` in its password position (percent-encoded). */
export function withPassword(url: string, password: string): string {
  const u = new URL(url);
  u.password = encodeURIComponent(password);
  return u.toString();
}

/** One open connection target: the guarded path from text to rows. */
export class Session implements AsyncDisposable {
  readonly target: ConnectionTarget;
  readonly #pool: Pool;
  readonly #cache: QueryCache | undefined;
  /** False with `cache: false`: the cache only hears of writes. */
  readonly #readsCache: boolean;
  readonly #history: MetricsHistory | undefined;
  /** The last history append in flight (append never rejects); close() waits for it. */
  #appending: Promise<void> = Promise.resolve();
  #schema: Promise<SchemaInfo> | undefined;
  /**
   * Set once a statement that may change session state ran outside `isolated` (a USE, a SET search_path,
   * a BEGIN, a temporary table): from then on the cache key no longer says what a statement reads, so this
   * session neither reads nor fills the cache (writes still invalidate).
   */
  #sessionStateChanged = false;
  #closed = false;
  /** The analyses of the last statement texts `run` was given (a cache hit then costs no parse). */
  readonly #analyses = new AnalysisMemo();

  /** The parsed connection, password included (non-enumerable), for tools that connect on their own. */
  readonly #config: ConnectionConfig;

  private constructor(
    target: ConnectionTarget,
    pool: Pool,
    extras: {
      cache?: QueryCache | undefined;
      readsCache: boolean;
      history?: MetricsHistory | undefined;
      config: ConnectionConfig;
    },
  ) {
    this.target = Object.freeze({ ...target, url: redactUrl(target.url) });
    this.#pool = pool;
    this.#config = extras.config;
    this.#cache = extras.cache;
    this.#readsCache = extras.readsCache;
    this.#history = extras.history;
  }

  /** Resolve the connection (flag, env, config, demo), create the demo on first use, and open a pool. */
  static async open(options: OpenSessionOptions = {}): Promise<Session> {
    const env = options.env ?? process.env;
    const paths = options.paths ?? resolvePaths(env);
    const config = options.config ?? (await loadConfig(paths));
    const target = resolveConnectionTarget(options.connection, { env, config, paths });
    if (target.isDemo) {
      await ensureDemo(paths, options.onDemoProgress ? { onProgress: options.onDemoProgress } : {});
    }
    let url = target.url;
    const entry = target.passwordEntry ?? vaultReference(url);
    if (entry) {
      if (!options.resolveSecret) {
        throw new UsageError(`connection needs the vault entry "${entry}" but no vault is available`);
      }
      url = withPassword(url, await options.resolveSecret(entry));
    }
    const config2 = parseConnectionUrl(url, { env });
    const pool = createPool(config2, options.pool);
    if (options.warm !== false) {
      pool.warm();
      loadParser(pool.sqlDialect).catch(() => {}); // analyze() loads it again and reports the error
    }
    // After the warm-up has started, so that loading the cache's Redis client overlaps with connecting.
    let cache: QueryCache | undefined;
    try {
      cache = await openQueryCache(options, env, connectionIdentity(config2));
    } catch (error) {
      await pool.close();
      throw error;
    }
    const history = openHistory(options, env, paths);
    return new Session(target, pool, {
      cache,
      readsCache: options.cache !== false,
      history,
      config: config2,
    });
  }

  /** Whether this session has a query cache (a Redis URL was known), and whether it is required. */
  get cacheMode(): 'off' | 'optional' | 'required' {
    if (!this.#cache) return 'off';
    return this.#cache.required ? 'required' : 'optional';
  }

  get dialect(): DialectName {
    return this.#pool.dialect;
  }

  get sqlDialect(): SqlDialect {
    return this.#pool.sqlDialect;
  }

  /**
   * The connection as parsed (host, port, user, database, file, URL parameters), with the password as a
   * non-enumerable property (never printed or serialised): for the tools that connect on their own,
   * such as pg_dump and mysqldump in `backup`.
   */
  get connectionConfig(): ConnectionConfig {
    return this.#config;
  }

  /**
   * This session's query cache counters since it opened (hits, misses, refused fills, invalidations,
   * errors), read without a round trip; undefined without a cache. The daemon's /metrics sums them.
   */
  get cacheStats(): CacheLocalStats | undefined {
    return this.#cache?.cache.localStats;
  }

  /** The pool under this session (for counters and for callers that need a raw connection). */
  get pool(): Pool {
    return this.#pool;
  }

  /** Classify a script in this connection's dialect without running it. */
  analyze(sql: string, options: { signal?: AbortSignal } = {}): Promise<Analysis> {
    return analyze(sql, this.sqlDialect, options);
  }

  /** Check that the server answers. */
  ping(options: { signal?: AbortSignal } = {}): Promise<void> {
    return this.#pool.ping(options);
  }

  /**
   * Analyse, guard, then run every statement of `sql`. A high or critical statement runs only when
   * confirmed; otherwise a SafetyError is thrown and nothing is sent.
   */
  async run(sql: string, options: RunOptions = {}): Promise<RunResult> {
    // A text run before has the same analysis (pure in text and dialect): remembered, frozen, no parse.
    // An aborted signal takes the path that reports it.
    const analysis =
      (options.signal?.aborted ? undefined : this.#analyses.get(sql)) ??
      this.#analyses.remember(sql, await this.analyze(sql, options.signal ? { signal: options.signal } : {}));
    const statements = analysis.statements;
    if (statements.length === 0) throw new UsageError('no SQL statement to run');
    if (options.params && options.params.length > 0 && statements.length > 1) {
      throw new UsageError('parameters can only be bound to a single statement');
    }
    if (options.readOnly) guardReadOnly(analysis);
    await this.#guard(analysis, options);
    const params = options.params ?? [];
    const records: HistoryRecord[] = [];
    // Only a lone statement is cached: inside a script, statements before it may write (or BEGIN) unseen.
    const only = statements.length === 1 ? statements[0] : undefined;
    let miss: CacheMiss | undefined;
    if (this.#cache && this.#readsCache && !this.#sessionStateChanged && only && isCacheable(only)) {
      const found = await this.#cache.lookup(only, params, options.signal);
      if (found && 'cached' in found) {
        if (this.#history) this.#append([this.#record(only, { ...found, cacheLookup: true })]);
        return { analysis, results: [found] };
      }
      miss = found;
    }
    const queryOptions = {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.timeoutMillis ? { timeoutMillis: options.timeoutMillis } : {}),
    };
    const written: string[] = [];
    const runAll = async (conn: Queryable): Promise<StatementResult[]> => {
      const results: StatementResult[] = [];
      // The last statement of an isolated unit (outside a read-only transaction, whose end comes after it)
      // carries the connection's reset where the engine can pipeline it.
      const lastOptions =
        options.isolated && !options.readOnly ? { ...queryOptions, last: true } : queryOptions;
      for (const [i, statement] of statements.entries()) {
        // Counted before it is sent: a statement that fails midway may still have written (MyISAM, autocommit).
        written.push(...statement.tablesWritten);
        if (!options.isolated && changesSessionState(statement)) this.#sessionStateChanged = true;
        const started = performance.now();
        let r: QueryResult;
        try {
          r = await conn.query(
            statement.text,
            params,
            i === statements.length - 1 ? lastOptions : queryOptions,
          );
        } catch (error) {
          const durationMs = roundMillis(performance.now() - started);
          if (this.#history)
            records.push(
              this.#record(statement, { durationMs, rowCount: 0, cacheLookup: miss !== undefined, error }),
            );
          throw error;
        }
        const result: StatementResult = {
          command: r.command,
          rowCount: r.rowCount,
          fields: r.fields,
          rows: r.rows,
          durationMs: roundMillis(performance.now() - started),
          cached: false,
        };
        results.push(result);
        // Built only for a history file (a date and a record per statement otherwise made for nothing).
        if (this.#history)
          records.push(this.#record(statement, { ...result, cacheLookup: miss !== undefined }));
      }
      return results;
    };
    let results: StatementResult[];
    let rolledBack = false;
    const signal = options.signal ? { signal: options.signal } : {};
    try {
      if (options.isolated) {
        const unit = await this.#pool.isolated(
          (conn) =>
            options.readOnly
              ? conn.transaction(runAll, { readOnly: true, last: true, ...signal })
              : runAll(conn),
          signal,
        );
        results = unit.value;
        rolledBack = unit.rolledBack;
      } else if (options.readOnly) {
        results = await this.#pool.transaction(runAll, { readOnly: true, ...signal });
      } else if (statements.length === 1) {
        results = await runAll(this.#pool);
      } else {
        // One connection for the whole script, so SET, BEGIN ... COMMIT and temp tables behave as in psql.
        results = await this.#pool.withConnection(runAll, options.signal ? { signal: options.signal } : {});
      }
    } catch (error) {
      // Lookups of the same key that waited for this miss (single flight) look up again themselves.
      if (miss) this.#cache?.release(miss);
      throw error;
    } finally {
      // After the whole input (so after its COMMIT), whether it succeeded or failed midway: statements that
      // ran before a failure may have committed, and dropping too much only costs misses.
      if (this.#cache && written.length > 0) await this.#cache.invalidate(written);
      if (statements.some((s) => s.kind === 'ddl')) this.#schema = undefined;
      this.#append(records);
    }
    if (miss && results[0] && !this.#sessionStateChanged)
      await this.#cache?.fill(miss, results[0], options.ttlSeconds);
    else if (miss) this.#cache?.release(miss);
    return rolledBack ? { analysis, results, rolledBack } : { analysis, results };
  }

  /**
   * Stream the rows of one read statement in bounded memory (for ndjson/csv output of large results).
   * The statement passes the same analysis and guard as `run`.
   */
  async stream(sql: string, options: RunOptions = {}): Promise<{ analysis: Analysis; rows: RowStream }> {
    const analysis = await this.analyze(sql, options.signal ? { signal: options.signal } : {});
    const [statement] = analysis.statements;
    if (analysis.statements.length !== 1 || !statement)
      throw new UsageError('streaming takes exactly one statement');
    if (options.readOnly) guardReadOnly(analysis);
    await this.#guard(analysis, options);
    const streamOptions = {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.timeoutMillis ? { timeoutMillis: options.timeoutMillis } : {}),
    };
    const rows = options.readOnly
      ? this.#readOnlyStream(statement.text, options.params ?? [], streamOptions)
      : this.#pool.stream(statement.text, options.params ?? [], streamOptions);
    return { analysis, rows: this.#observed(statement, rows) };
  }

  /**
   * A stream inside a read-only transaction (`--read-only` with ndjson or csv): the transaction holds
   * one connection from the first row until `close()`, which ends it. Rows still arrive in batches, so
   * memory stays bounded.
   */
  #readOnlyStream(
    sql: string,
    params: readonly unknown[],
    options: { signal?: AbortSignal; timeoutMillis?: number },
  ): RowStream {
    let opened!: (inner: RowStream) => void;
    let finish!: () => void;
    const inner = new Promise<RowStream>((resolve) => {
      opened = resolve;
    });
    const finished = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const transaction = this.#pool.transaction(
      async (conn) => {
        opened(conn.stream(sql, params, options));
        await finished;
      },
      { readOnly: true, ...(options.signal ? { signal: options.signal } : {}) },
    );
    // BEGIN (or acquiring the connection) failed: the stream's first use reports it.
    const ready = Promise.race([inner, transaction.then(() => inner)]);
    ready.catch(() => {}); // reported where the stream is used, not as an unhandled rejection
    let closing: Promise<void> | undefined;
    return {
      async *[Symbol.asyncIterator]() {
        yield* await ready;
      },
      fields: async () => (await ready).fields(),
      close: () => {
        closing ??= (async () => {
          const stream = await ready.catch(() => undefined);
          await stream?.close();
          finish();
          // Nothing was written: a COMMIT that fails (the connection died mid-stream) loses nothing,
          // and the stream's own error has already reached the reader.
          await transaction.catch(() => {});
        })();
        return closing;
      },
    };
  }

  /** `rows`, recorded in the history (and invalidating what it wrote) when it is closed. */
  #observed(statement: StatementAnalysis, rows: RowStream): RowStream {
    const started = performance.now();
    let count = 0;
    let failure: unknown;
    let done = false;
    const finish = async (): Promise<void> => {
      if (done) return;
      done = true;
      if (this.#cache && statement.tablesWritten.length > 0)
        await this.#cache.invalidate(statement.tablesWritten);
      const durationMs = roundMillis(performance.now() - started);
      this.#append([
        this.#record(statement, {
          durationMs,
          rowCount: count,
          cacheLookup: false,
          ...(failure === undefined ? {} : { error: failure }),
        }),
      ]);
    };
    return {
      fields: () => rows.fields(),
      close: async () => {
        try {
          await rows.close();
        } finally {
          await finish();
        }
      },
      [Symbol.asyncIterator]: async function* () {
        try {
          for await (const row of rows) {
            count++;
            yield row;
          }
        } catch (error) {
          failure = error;
          throw error;
        }
      },
    };
  }

  /** One history record of a statement that ran (or was served from the cache). */
  #record(
    statement: StatementAnalysis,
    outcome: {
      durationMs: number;
      rowCount: number;
      cached?: boolean;
      cacheLookup: boolean;
      error?: unknown;
    },
  ): HistoryRecord {
    const code = (outcome.error as { code?: unknown } | undefined)?.code;
    return {
      time: new Date().toISOString(),
      dialect: this.dialect,
      connection: this.target.name ?? this.target.url,
      kind: statement.kind,
      // PostgreSQL's fingerprint is left to the report (see HistoryRecord.fingerprint); the others are cheap.
      ...(this.sqlDialect === 'postgres' ? {} : { fingerprint: statement.fingerprint }),
      normalized: statement.normalized,
      durationMs: outcome.durationMs,
      rowCount: outcome.rowCount,
      cached: outcome.cached === true,
      cacheLookup: outcome.cacheLookup,
      ok: outcome.error === undefined,
      ...(outcome.error === undefined ? {} : { errorCode: typeof code === 'string' ? code : 'ERROR' }),
    };
  }

  /** Append to the history without making the caller wait, one append after the other (so in order); close() waits. */
  #append(records: readonly HistoryRecord[]): void {
    const history = this.#history;
    if (!history || records.length === 0) return;
    this.#appending = this.#appending.then(() => history.append(records));
  }

  /** Resolves when every history record written so far is in the file. */
  flushHistory(): Promise<void> {
    return this.#appending;
  }

  /** The connection's schema, introspected once and cached until DDL runs through this session or `refresh`. */
  introspect(options: { refresh?: boolean; signal?: AbortSignal } = {}): Promise<SchemaInfo> {
    if (options.refresh || !this.#schema) {
      const pending = this.#pool.introspect(options.signal ? { signal: options.signal } : {});
      this.#schema = pending;
      pending.catch(() => {
        if (this.#schema === pending) this.#schema = undefined;
      });
      return pending;
    }
    return this.#schema;
  }

  async #guard(analysis: Analysis, options: RunOptions): Promise<void> {
    const { risk, reasons } = highestRisk(analysis.statements);
    if (!riskAtLeast(risk, 'high') || options.confirmed) return;
    if (options.confirm && (await options.confirm(risk, reasons, analysis))) return;
    throw new SafetyError(risk, reasons);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.#pool.close();
    } finally {
      await Promise.all([this.flushHistory(), this.#cache?.close()]);
    }
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/** Under read-only, every statement must be a proven read: else nothing is sent (ReadOnlyError). */
function guardReadOnly(analysis: Analysis): void {
  const many = analysis.statements.length > 1;
  const reasons: string[] = [];
  analysis.statements.forEach((statement, i) => {
    const refusal = readOnlyRefusal(statement);
    if (refusal !== undefined) reasons.push(many ? `statement ${i + 1}: ${refusal}` : refusal);
  });
  if (reasons.length > 0) throw new ReadOnlyError(reasons);
}

/** `vault:<entry>` standing in a URL's password position names a vault entry. */
function vaultReference(url: string): string | undefined {
  let password: string;
  try {
    password = decodeURIComponent(new URL(url).password);
  } catch {
    return undefined;
  }
  return password.startsWith('vault:') ? password.slice('vault:'.length) : undefined;
}

/** The session's query cache, or undefined when no Redis URL is known (or an optional one is malformed). */
async function openQueryCache(
  options: OpenSessionOptions,
  env: NodeJS.ProcessEnv,
  identity: string,
): Promise<QueryCache | undefined> {
  const required = options.cache === true || options.redis !== undefined;
  const choice = resolveRedisUrl(options.redis, env);
  if (!choice) {
    if (required) throw new CacheNotConfiguredError();
    return undefined;
  }
  const onError = options.onCacheError ?? (() => {});
  const cacheModule = await loadCacheModule();
  let cache: Cache;
  try {
    cache = cacheModule.createCache({
      url: choice.url,
      namespace: options.cacheNamespace ?? (env.AISHELL_CACHE_NAMESPACE || QUERY_CACHE_DEFAULTS.namespace),
      defaultTtlSeconds: options.cacheTtlSeconds ?? QUERY_CACHE_DEFAULTS.defaultTtlSeconds,
      ...cacheSizeOptions(env),
    });
  } catch (error) {
    if (required || !isCacheError(error)) throw error;
    onError(error);
    return undefined;
  }
  return new QueryCache(cacheModule, cache, identity, required, onError);
}

/** The metrics history, unless turned off by the option or AISHELL_HISTORY=off. */
function openHistory(
  options: OpenSessionOptions,
  env: NodeJS.ProcessEnv,
  paths: AishellPaths,
): MetricsHistory | undefined {
  if (options.history === false || !historyEnabled(env)) return undefined;
  const custom = typeof options.history === 'object' ? options.history : {};
  return new MetricsHistory({
    file: custom.file ?? metricsHistoryFile(paths),
    ...(custom.maxRecords ? { maxRecords: custom.maxRecords } : {}),
  });
}
