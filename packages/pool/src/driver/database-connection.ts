import type { Field, QueryResult } from '../query-result.js';

/** Rows of one statement read in batches from the server. */
export interface Cursor {
  readonly fields: Field[];
  /** The next batch, or null once the result is exhausted. */
  next(): Promise<Record<string, unknown>[] | null>;
  /** Stops reading; the connection is usable again afterwards. Harmless when already closed. */
  close(): Promise<void>;
}

/**
 * One live connection of an engine, as a driver hands it to the pool. Errors it throws are already
 * typed ({@link PoolError}); a fatal one sets `broken` so that the pool evicts the connection.
 */
export interface DatabaseConnection {
  /** True once the connection died or failed fatally; the pool then evicts it. */
  readonly broken: boolean;
  /** Whether `cancel()` can stop a running statement on the server. */
  readonly canCancel: boolean;
  /**
   * Runs one statement. With `resetAfter`, a connection that can pipeline sends its session reset behind
   * the statement in the same round trip, and its next `reset()` then needs none when that reset took
   * (no transaction left open). Connections that cannot ignore the option.
   */
  query(
    sql: string,
    params: readonly unknown[] | undefined,
    options?: { resetAfter?: boolean },
  ): Promise<QueryResult>;
  openCursor(sql: string, params: readonly unknown[] | undefined, batchSize: number): Promise<Cursor>;
  /** Cancels the statement running right now, on the server (pg_cancel_backend, KILL QUERY). */
  cancel(): Promise<void>;
  /** Closes the connection gracefully. */
  close(): Promise<void>;
  /** Drops the connection at once (socket destroyed); used when a cancel did not take. */
  destroy(): void;
  /**
   * Ends what the last user left on the connection, so that the next one starts clean: rolls back an
   * open transaction and resets session state (settings, the current database or schema path, temporary
   * tables, prepared statements, session locks). `discard: true` asks the pool to close the connection
   * instead of reusing it (an engine that cannot reset a live connection).
   */
  reset(): Promise<ResetOutcome>;
}

/** What {@link DatabaseConnection.reset} found and did. */
export interface ResetOutcome {
  /** A transaction was open and has been rolled back. */
  readonly rolledBack: boolean;
  /** The connection cannot be reused: the pool closes it. */
  readonly discard: boolean;
}
