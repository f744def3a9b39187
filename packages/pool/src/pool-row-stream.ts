import type { Cursor, DatabaseConnection } from './driver/database-connection.js';
import type { Field, RowStream, StreamOptions } from './query-result.js';
import { runCancellable } from './run-cancellable.js';

/** A connection lent for the lifetime of one stream. */
export interface Lease {
  readonly conn: DatabaseConnection;
  release(): void;
}

interface Opened {
  readonly lease: Lease;
  readonly cursor: Cursor;
}

/** Default rows per round trip of a stream. */
export const DEFAULT_STREAM_BATCH_SIZE = 500;

/**
 * Rows read batch by batch through a server-side cursor (or the engine's row stream), so memory stays
 * bounded whatever the result size. The connection is taken on first use and given back on close,
 * when iteration ends, or when the loop is left early.
 */
export class PoolRowStream implements RowStream {
  readonly #lease: (signal: AbortSignal | undefined) => Promise<Lease>;
  readonly #sql: string;
  readonly #params: readonly unknown[] | undefined;
  readonly #signal: AbortSignal | undefined;
  readonly #timeoutMillis: number;
  readonly #graceMillis: number;
  readonly #batchSize: number;
  #opened: Promise<Opened> | undefined;
  #closing: Promise<void> | undefined;

  constructor(
    lease: (signal: AbortSignal | undefined) => Promise<Lease>,
    sql: string,
    params: readonly unknown[] | undefined,
    options: StreamOptions | undefined,
    defaultTimeoutMillis: number,
    graceMillis: number,
  ) {
    this.#lease = lease;
    this.#sql = sql;
    this.#params = params;
    this.#signal = options?.signal;
    this.#timeoutMillis = options?.timeoutMillis ?? defaultTimeoutMillis;
    this.#graceMillis = graceMillis;
    this.#batchSize = Math.max(1, options?.batchSize ?? DEFAULT_STREAM_BATCH_SIZE);
  }

  #open(): Promise<Opened> {
    this.#opened ??= (async () => {
      const lease = await this.#lease(this.#signal);
      try {
        const cursor = await runCancellable(
          lease.conn,
          () => lease.conn.openCursor(this.#sql, this.#params, this.#batchSize),
          this.#signal,
          this.#timeoutMillis,
          this.#graceMillis,
        );
        return { lease, cursor };
      } catch (err) {
        lease.release();
        throw err;
      }
    })();
    return this.#opened;
  }

  /** The result's columns (opens the cursor if iteration has not started). */
  async fields(): Promise<Field[]> {
    return (await this.#open()).cursor.fields;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Record<string, unknown>> {
    if (this.#closing !== undefined) return;
    const { lease, cursor } = await this.#open();
    try {
      for (;;) {
        const batch = await runCancellable(
          lease.conn,
          () => cursor.next(),
          this.#signal,
          this.#timeoutMillis,
          this.#graceMillis,
        );
        if (batch === null) return;
        for (const row of batch) yield row;
      }
    } finally {
      await this.close();
    }
  }

  /** Stops reading and gives the connection back. A second call is harmless. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      if (this.#opened === undefined) return;
      let opened: Opened;
      try {
        opened = await this.#opened;
      } catch {
        return; // opening failed and already released the connection
      }
      try {
        await opened.cursor.close();
      } catch {
        // A cursor that cannot be closed leaves the connection in an unknown state: drop it.
        opened.lease.conn.destroy();
      } finally {
        opened.lease.release();
      }
    })();
    return this.#closing;
  }
}
