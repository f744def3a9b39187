import { setTimeout as sleep } from 'node:timers/promises';
import type { ConnectionConfig, DialectName, SqlDialect } from './connection-config.js';
import type { Dialect } from './dialect/dialect.js';
import type { DatabaseConnection } from './driver/database-connection.js';
import type { Driver } from './driver/driver.js';
import { AbortedError, AcquireTimeoutError, ConnectError, PoolClosedError, PoolError } from './errors.js';
import { type PoolOptions, type ResolvedPoolOptions, resolvePoolOptions } from './pool-options.js';
import { type Lease, PoolRowStream } from './pool-row-stream.js';
import type { Queryable, QueryOptions, QueryResult, RowStream, StreamOptions } from './query-result.js';
import { runCancellable } from './run-cancellable.js';
import type { SchemaInfo } from './schema-info.js';

/** A pool of connections to one database (pg-pool semantics); SQLite and PGlite hold exactly one. */
export interface Pool extends Queryable, AsyncDisposable {
  readonly dialect: DialectName;
  readonly sqlDialect: SqlDialect;
  /** Connections open or being opened. */
  readonly totalCount: number;
  /** Connections open and free. */
  readonly idleCount: number;
  /** Callers waiting for a connection. */
  readonly waitingCount: number;
  /** Runs `fn` on one connection held for its whole duration. */
  withConnection<T>(fn: (conn: Connection) => Promise<T>, options?: { signal?: AbortSignal }): Promise<T>;
  /**
   * Runs `fn` on one connection as a unit of its own, then makes the connection clean for whoever uses
   * it next: a transaction `fn` left open is rolled back (`rolledBack`), and session state (settings,
   * the current database or search_path, temporary tables, prepared statements, session locks) is reset
   * (PostgreSQL `DISCARD ALL`, MySQL `COM_RESET_CONNECTION`, a SQLite file opened anew). A connection
   * that cannot be reset is closed instead of going back to the pool. The same happens when `fn` throws.
   */
  isolated<T>(
    fn: (conn: Connection) => Promise<T>,
    options?: { signal?: AbortSignal },
  ): Promise<{ value: T; rolledBack: boolean }>;
  /** Runs `fn` in a transaction on a connection of its own (see {@link Connection.transaction}). */
  transaction<T>(fn: (conn: Queryable) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Schemas, tables, views, columns, keys and indexes in one shape for every engine. */
  introspect(options?: { signal?: AbortSignal; schemas?: string[] }): Promise<SchemaInfo>;
  /**
   * Starts opening one connection now and returns at once, so that connecting overlaps with work the
   * caller does first (loading a parser, reading a file). The next caller that needs a connection
   * takes this one, or its error, instead of opening another; unclaimed, it waits idle like any
   * released connection. Does nothing if the pool already has a connection or is closing.
   */
  warm(): void;
  /** Connects if needed and runs a trivial statement; throws `POOL_CONNECT` / `POOL_AUTH`. */
  ping(options?: { signal?: AbortSignal }): Promise<void>;
  /** Waits for work in flight (and callers already waiting), then closes everything. Idempotent. */
  close(): Promise<void>;
}

/** Options of a transaction. */
export interface TransactionOptions {
  /**
   * A read-only transaction: `BEGIN READ ONLY` (PostgreSQL, PGlite), `START TRANSACTION READ ONLY`
   * (MySQL); SQLite runs it on the file opened read-only (`PRAGMA query_only` for an in-memory
   * database). It always ends with a roll-back, so nothing it could have done is kept. @default false
   */
  readOnly?: boolean;
  signal?: AbortSignal;
  /** The transaction is the last work of an `isolated` unit: its end carries the session reset (see {@link QueryOptions.last}). */
  last?: boolean;
}

/** One connection lent to a callback (`withConnection`, `isolated`); unusable once the callback returns. */
export interface Connection extends Queryable {
  /**
   * Runs `fn` in a transaction on this connection: commits when it resolves, rolls back when it throws
   * (and always, for a read-only one).
   */
  transaction<T>(fn: (conn: Queryable) => Promise<T>, options?: TransactionOptions): Promise<T>;
}

interface Pooled {
  readonly conn: DatabaseConnection;
  readonly createdAt: number;
  lastUsedAt: number;
}

interface Waiter {
  resolve(pc: Pooled): void;
  reject(err: unknown): void;
}

const PING_SQL = 'SELECT 1';

/** How long a cancelled statement may take to end before its connection is dropped. */
export const CANCEL_GRACE_MILLIS = 1000;

/** The pool behind {@link createPool}. */
export class ConnectionPool implements Pool {
  readonly dialect: DialectName;
  readonly sqlDialect: SqlDialect;
  readonly #dialect: Dialect;
  readonly #driver: Driver;
  readonly #opts: ResolvedPoolOptions;
  readonly #max: number;
  readonly #all = new Set<Pooled>();
  readonly #idle: Pooled[] = [];
  readonly #waiters: Waiter[] = [];
  readonly #closingConnections = new Set<Promise<void>>();
  #connecting = 0;
  #warming: Promise<Pooled> | undefined;
  #connectingForWaiters = 0;
  #everConnected = false;
  #sweeper: NodeJS.Timeout | undefined;
  #closing: Promise<void> | undefined;
  #drained: (() => void) | undefined;

  constructor(dialect: Dialect, config: ConnectionConfig, options?: PoolOptions) {
    this.dialect = dialect.name;
    this.sqlDialect = dialect.sqlDialect;
    this.#dialect = dialect;
    this.#driver = dialect.createDriver(config);
    this.#opts = resolvePoolOptions(options);
    this.#max = Math.min(this.#opts.max, dialect.maxConnections);
  }

  get totalCount(): number {
    return this.#all.size + this.#connecting;
  }

  get idleCount(): number {
    return this.#idle.length;
  }

  get waitingCount(): number {
    return this.#waiters.length;
  }

  async query(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<QueryResult> {
    const pc = await this.#acquire(options?.signal);
    try {
      return await this.#run(pc.conn, sql, params, options);
    } finally {
      this.#release(pc);
    }
  }

  stream(sql: string, params?: readonly unknown[], options?: StreamOptions): RowStream {
    return new PoolRowStream(
      (signal) => this.#lease(signal),
      sql,
      params,
      options,
      this.#opts.statementTimeoutMillis,
      CANCEL_GRACE_MILLIS,
    );
  }

  async withConnection<T>(
    fn: (conn: Connection) => Promise<T>,
    options?: { signal?: AbortSignal },
  ): Promise<T> {
    const pc = await this.#acquire(options?.signal);
    const bound = this.#bind(pc.conn);
    try {
      return await fn(bound);
    } finally {
      bound.detach();
      this.#release(pc);
    }
  }

  async isolated<T>(
    fn: (conn: Connection) => Promise<T>,
    options?: { signal?: AbortSignal },
  ): Promise<{ value: T; rolledBack: boolean }> {
    const pc = await this.#acquire(options?.signal);
    const bound = this.#bind(pc.conn);
    let outcome: { ok: true; value: T } | { ok: false; error: unknown };
    try {
      outcome = { ok: true, value: await fn(bound) };
    } catch (error) {
      outcome = { ok: false, error };
    }
    bound.detach();
    const reset = await pc.conn.reset().catch(() => ({ rolledBack: false, discard: true }));
    if (reset.discard) this.#discard(pc);
    else this.#release(pc);
    if (!outcome.ok) throw outcome.error;
    return { value: outcome.value, rolledBack: reset.rolledBack };
  }

  transaction<T>(fn: (conn: Queryable) => Promise<T>, options?: TransactionOptions): Promise<T> {
    const signal = options?.signal;
    return this.withConnection(
      (conn) => conn.transaction(fn, options),
      signal === undefined ? {} : { signal },
    );
  }

  #bind(conn: DatabaseConnection): BoundConnection {
    return new BoundConnection(conn, this.#opts, this.#dialect, (timeoutMillis) =>
      this.#driver.readOnlyConnection === undefined
        ? Promise.resolve(undefined)
        : this.#driver.readOnlyConnection({ timeoutMillis }),
    );
  }

  introspect(options?: { signal?: AbortSignal; schemas?: string[] }): Promise<SchemaInfo> {
    const signal = options?.signal;
    return this.withConnection(
      (conn) =>
        this.#dialect.introspect(
          (sql, params) => conn.query(sql, params, signal === undefined ? {} : { signal }),
          { schemas: options?.schemas },
        ),
      signal === undefined ? {} : { signal },
    );
  }

  warm(): void {
    if (this.#closing !== undefined || this.#warming !== undefined || this.totalCount > 0) return;
    const pending = this.#create(undefined);
    this.#warming = pending;
    pending.then(
      (pc) => {
        if (this.#warming !== pending) return; // claimed by #acquire
        this.#warming = undefined;
        this.#release(pc);
      },
      () => {
        // Claimed: the caller that took it gets this error. Unclaimed: the next caller connects anew
        // and meets its own error then.
        if (this.#warming === pending) this.#warming = undefined;
        this.#checkDrained();
      },
    );
  }

  async ping(options?: { signal?: AbortSignal }): Promise<void> {
    await this.query(PING_SQL, undefined, options);
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      for (const pc of this.#idle.splice(0)) this.#discard(pc);
      await new Promise<void>((resolve) => {
        this.#drained = resolve;
        this.#checkDrained();
      });
      await Promise.all(this.#closingConnections);
      if (this.#sweeper !== undefined) clearInterval(this.#sweeper);
      await this.#driver.close();
    })();
    return this.#closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #run(
    conn: DatabaseConnection,
    sql: string,
    params: readonly unknown[] | undefined,
    options: QueryOptions | undefined,
  ): Promise<QueryResult> {
    const timeout = options?.timeoutMillis ?? this.#opts.statementTimeoutMillis;
    if (options?.signal === undefined && timeout <= 0) return conn.query(sql, params);
    return runCancellable(conn, () => conn.query(sql, params), options?.signal, timeout, CANCEL_GRACE_MILLIS);
  }

  async #lease(signal: AbortSignal | undefined): Promise<Lease> {
    const pc = await this.#acquire(signal);
    let released = false;
    return {
      conn: pc.conn,
      release: () => {
        if (released) return;
        released = true;
        this.#release(pc);
      },
    };
  }

  async #acquire(signal: AbortSignal | undefined): Promise<Pooled> {
    if (this.#closing !== undefined) throw new PoolClosedError();
    if (signal?.aborted) throw new AbortedError({ cause: signal.reason });
    for (let pc = this.#idle.pop(); pc !== undefined; pc = this.#idle.pop()) {
      if (pc.conn.broken || this.#expired(pc, Date.now())) {
        this.#discard(pc);
        continue;
      }
      const validateAfter = this.#opts.validateAfterIdleMillis;
      if (validateAfter > 0 && Date.now() - pc.lastUsedAt > validateAfter && !(await this.#validate(pc))) {
        this.#discard(pc);
        continue;
      }
      return pc;
    }
    const warming = this.#warming;
    if (warming !== undefined) {
      this.#warming = undefined;
      return signal === undefined ? warming : this.#claimWarm(warming, signal);
    }
    if (this.totalCount < this.#max) return this.#create(signal);
    return this.#enqueue(signal);
  }

  /** Waits for the warming connection unless `signal` fires first; then it goes back to the pool. */
  #claimWarm(warming: Promise<Pooled>, signal: AbortSignal): Promise<Pooled> {
    return new Promise<Pooled>((resolve, reject) => {
      let settled = false;
      const onAbort = () => {
        settled = true;
        reject(new AbortedError({ cause: signal.reason }));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      warming.then(
        (pc) => {
          signal.removeEventListener('abort', onAbort);
          if (settled) this.#release(pc);
          else resolve(pc);
        },
        (err: unknown) => {
          signal.removeEventListener('abort', onAbort);
          if (!settled) reject(err);
        },
      );
    });
  }

  /** A ping bounded by the connect timeout; a connection that does not answer in time is dropped. */
  async #validate(pc: Pooled): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        pc.conn.query(PING_SQL, undefined),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error('validation timed out')),
            this.#opts.connectTimeoutMillis,
          );
        }),
      ]);
      return !pc.conn.broken;
    } catch {
      pc.conn.destroy();
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  #enqueue(signal: AbortSignal | undefined): Promise<Pooled> {
    return new Promise<Pooled>((resolve, reject) => {
      const timeoutMillis = this.#opts.acquireTimeoutMillis;
      const leave = () => {
        const i = this.#waiters.indexOf(waiter);
        if (i !== -1) this.#waiters.splice(i, 1);
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const waiter: Waiter = {
        resolve: (pc) => {
          leave();
          resolve(pc);
        },
        reject: (err) => {
          leave();
          reject(err);
        },
      };
      const timer =
        timeoutMillis > 0
          ? setTimeout(() => waiter.reject(new AcquireTimeoutError(timeoutMillis)), timeoutMillis)
          : undefined;
      const onAbort = () => waiter.reject(new AbortedError({ cause: signal?.reason }));
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
    });
  }

  async #create(signal: AbortSignal | undefined): Promise<Pooled> {
    this.#connecting++;
    let conn: DatabaseConnection;
    try {
      conn = await this.#connect(signal);
    } finally {
      this.#connecting--;
    }
    const now = Date.now();
    const pc: Pooled = { conn, createdAt: now, lastUsedAt: now };
    this.#all.add(pc);
    this.#startSweeper();
    return pc;
  }

  /** Opens one connection; once the pool has been up, retries refused connects with bounded backoff. */
  async #connect(signal: AbortSignal | undefined): Promise<DatabaseConnection> {
    const { retries, initialDelayMillis, maxDelayMillis } = this.#opts.reconnect;
    for (let attempt = 0; ; attempt++) {
      try {
        const conn = await this.#driver.connect({ signal, timeoutMillis: this.#opts.connectTimeoutMillis });
        this.#everConnected = true;
        return conn;
      } catch (err) {
        const retriable = err instanceof ConnectError && err.code === 'POOL_CONNECT';
        if (!retriable || !this.#everConnected || attempt >= retries || signal?.aborted) throw err;
        const delay = Math.min(maxDelayMillis, initialDelayMillis * 2 ** attempt);
        try {
          await sleep(delay, undefined, signal === undefined ? {} : { signal });
        } catch {
          throw new AbortedError({ cause: signal?.reason });
        }
      }
    }
  }

  #release(pc: Pooled): void {
    const now = Date.now();
    pc.lastUsedAt = now;
    if (pc.conn.broken || this.#expired(pc, now)) {
      this.#discard(pc);
      return;
    }
    const waiter = this.#waiters[0];
    if (waiter !== undefined) {
      waiter.resolve(pc);
      return;
    }
    if (this.#closing !== undefined) {
      this.#discard(pc);
      return;
    }
    this.#idle.push(pc);
  }

  #discard(pc: Pooled): void {
    if (!this.#all.delete(pc)) return;
    const i = this.#idle.indexOf(pc);
    if (i !== -1) this.#idle.splice(i, 1);
    const closing = pc.conn.close().catch(() => {});
    this.#closingConnections.add(closing);
    void closing.then(() => this.#closingConnections.delete(closing));
    this.#serveWaiters();
    this.#checkDrained();
  }

  /** Opens connections for callers that wait while the pool has room (after evictions). */
  #serveWaiters(): void {
    while (this.#waiters.length > this.#connectingForWaiters && this.totalCount < this.#max) {
      this.#connectingForWaiters++;
      this.#create(undefined).then(
        (pc) => {
          this.#connectingForWaiters--;
          this.#release(pc);
        },
        (err: unknown) => {
          this.#connectingForWaiters--;
          this.#waiters[0]?.reject(err);
          // The others try again (each attempt has its own bounded backoff and acquire timeout).
          this.#serveWaiters();
          this.#checkDrained();
        },
      );
    }
  }

  #checkDrained(): void {
    if (
      this.#drained !== undefined &&
      this.#all.size === this.#idle.length &&
      this.#connecting === 0 &&
      this.#waiters.length === 0
    ) {
      for (const pc of this.#idle.splice(0)) this.#discard(pc);
      const drained = this.#drained;
      this.#drained = undefined;
      drained();
    }
  }

  #expired(pc: Pooled, now: number): boolean {
    const lifetime = this.#opts.maxLifetimeSeconds;
    return lifetime > 0 && now - pc.createdAt >= lifetime * 1000;
  }

  /** One unref'd timer for idle timeout, lifetime and dead idle connections (not one per release). */
  #startSweeper(): void {
    if (this.#sweeper !== undefined) return;
    const idleTimeout = this.#opts.idleTimeoutMillis;
    const every = Math.max(25, Math.min(1000, idleTimeout > 0 ? idleTimeout / 2 : 1000));
    this.#sweeper = setInterval(() => this.#sweep(), every);
    this.#sweeper.unref();
  }

  #sweep(): void {
    const now = Date.now();
    const idleTimeout = this.#opts.idleTimeoutMillis;
    for (const pc of [...this.#idle]) {
      const idleTooLong = idleTimeout > 0 && now - pc.lastUsedAt >= idleTimeout;
      if (idleTooLong || pc.conn.broken || this.#expired(pc, now)) this.#discard(pc);
    }
    if (this.#all.size === 0 && this.#sweeper !== undefined) {
      clearInterval(this.#sweeper);
      this.#sweeper = undefined;
    }
  }
}

/** The connection handed to `withConnection` / `isolated` / `transaction` callbacks; unusable once they return. */
class BoundConnection implements Connection {
  readonly #conn: DatabaseConnection;
  readonly #opts: ResolvedPoolOptions;
  readonly #dialect: Dialect;
  readonly #readOnlyConnection: (timeoutMillis: number) => Promise<DatabaseConnection | undefined>;
  #detached = false;

  constructor(
    conn: DatabaseConnection,
    opts: ResolvedPoolOptions,
    dialect: Dialect,
    readOnlyConnection: (timeoutMillis: number) => Promise<DatabaseConnection | undefined>,
  ) {
    this.#conn = conn;
    this.#opts = opts;
    this.#dialect = dialect;
    this.#readOnlyConnection = readOnlyConnection;
  }

  detach(): void {
    this.#detached = true;
  }

  query(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<QueryResult> {
    if (this.#detached) return Promise.reject(released());
    return runCancellable(
      this.#conn,
      () => this.#conn.query(sql, params, options?.last ? { resetAfter: true } : undefined),
      options?.signal,
      options?.timeoutMillis ?? this.#opts.statementTimeoutMillis,
      CANCEL_GRACE_MILLIS,
    );
  }

  stream(sql: string, params?: readonly unknown[], options?: StreamOptions): RowStream {
    const lease = async (): Promise<Lease> => {
      if (this.#detached) throw released();
      return { conn: this.#conn, release: () => {} };
    };
    return new PoolRowStream(
      lease,
      sql,
      params,
      options,
      this.#opts.statementTimeoutMillis,
      CANCEL_GRACE_MILLIS,
    );
  }

  async transaction<T>(fn: (conn: Queryable) => Promise<T>, options?: TransactionOptions): Promise<T> {
    if (this.#detached) throw released();
    const readOnly = options?.readOnly === true;
    // Where the engine can open the database read-only (a SQLite file), the read-only transaction runs
    // there: no statement can make that handle writable, as `PRAGMA query_only = 0` would this one.
    const own = readOnly ? await this.#readOnlyConnection(this.#opts.connectTimeoutMillis) : undefined;
    const conn =
      own === undefined
        ? this
        : new BoundConnection(own, this.#opts, this.#dialect, this.#readOnlyConnection);
    try {
      for (const sql of this.#dialect.beginTransaction(readOnly)) await conn.query(sql);
      let result: T;
      try {
        result = await fn(conn);
        // A read-only transaction keeps nothing: it ends with a roll-back whatever happened inside.
        // The end of a transaction that is the last work of an `isolated` unit carries the session reset.
        const end = this.#dialect.endTransaction(!readOnly, readOnly);
        for (const [i, sql] of end.entries())
          await conn.query(
            sql,
            undefined,
            options?.last && i === end.length - 1 ? { last: true } : undefined,
          );
      } catch (err) {
        // Every statement of the roll-back runs even if one fails, so session state is restored.
        for (const sql of this.#dialect.endTransaction(false, readOnly))
          await conn.query(sql).catch(() => {});
        throw err;
      }
      return result;
    } finally {
      if (conn !== this) conn.detach();
    }
  }
}

function released(): PoolError {
  return new PoolError(
    'POOL_CLOSED',
    'this connection was given back to the pool when its callback returned',
  );
}
