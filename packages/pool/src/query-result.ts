/** A result column: its name and the engine's type name (`int4`, `varchar`, `INTEGER`, ...). */
export interface Field {
  name: string;
  type: string;
}

/** The outcome of one statement. */
export interface QueryResult {
  /** Upper-case verb: `SELECT`, `INSERT`, `CREATE`, ... */
  command: string;
  /** Rows returned for reads, rows affected for writes. */
  rowCount: number;
  fields: Field[];
  rows: Record<string, unknown>[];
}

export interface QueryOptions {
  /** Cancels the statement on the server (pg_cancel_backend, KILL QUERY) and rejects with `POOL_ABORTED`. */
  signal?: AbortSignal;
  /** Statement timeout of this query; the statement is cancelled on the server (`POOL_TIMEOUT`). */
  timeoutMillis?: number;
  /**
   * No other statement follows on this connection before it goes back to the pool (the final statement of
   * an `isolated` unit): an engine that can sends its session reset in the same round trip (PostgreSQL:
   * `DISCARD ALL` pipelined behind the statement), so that giving the connection back costs none.
   * Ignored elsewhere. @default false
   */
  last?: boolean;
}

export interface StreamOptions extends QueryOptions {
  /** Rows fetched from the server per round trip. @default 500 */
  batchSize?: number;
}

/** Rows of a large result read in batches (bounded memory). Closing early releases the connection. */
export interface RowStream extends AsyncIterable<Record<string, unknown>> {
  fields(): Promise<Field[]>;
  close(): Promise<void>;
}

/** What runs SQL: a pool, or one connection inside `withConnection` / `transaction`. */
export interface Queryable {
  query(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<QueryResult>;
  stream(sql: string, params?: readonly unknown[], options?: StreamOptions): RowStream;
}
