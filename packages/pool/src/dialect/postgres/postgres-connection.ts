import type { Cursor, DatabaseConnection, ResetOutcome } from '../../driver/database-connection.js';
import { ConnectionLostError } from '../../errors.js';
import type { QueryResult } from '../../query-result.js';
import { isPostgresConnectionLoss, mapPostgresQueryError } from './postgres-errors.js';
import { type PostgresTypeNames, TYPE_LOOKUP_SQL } from './postgres-type-names.js';
import { withUtcDates } from './temporal-values.js';

type PgClient = import('pg').Client;
type PgResult = import('pg').QueryResult<Record<string, unknown>>;

interface PgClientInternals {
  readonly processID?: number | null;
  readonly connection?: { readonly stream?: { destroy(): void } };
}

/**
 * node-postgres' pipeline mode (pg >= 8.20: `new Client({ pipeline: true })`), switched on for one
 * statement and its reset only: the client writes every queued query at once and matches the answers
 * in order. Streams (pg-cursor) refuse it, so the client otherwise stays in its ordinary mode.
 */
interface PgPipelining {
  pipeline: boolean;
  readonly connection: { readonly stream: { cork(): void; uncork(): void } };
}

function canPipeline(client: PgClient): boolean {
  const c = client as unknown as Partial<PgPipelining> & { _sentQueryQueue?: unknown };
  return (
    typeof c.pipeline === 'boolean' && Array.isArray(c._sentQueryQueue) && c.connection?.stream !== undefined
  );
}

/** What `reset()` sends: settings, search_path, role, temporary tables, prepared statements, cursors, advisory locks, LISTEN. */
const DISCARD_ALL = 'DISCARD ALL';

/**
 * What a connection needs from its driver, handed in by the driver (as Kysely's connections receive
 * theirs), so that this module does not import the driver's.
 */
export interface PostgresClientSource {
  /** The driver's pg type parsers (pg-cursor would otherwise read rows with pg's global ones). */
  readonly types: import('pg').ClientConfig['types'];
  /** Opens another client to the same server (for pg_cancel_backend). */
  openClient(options: { timeoutMillis: number }): Promise<PgClient>;
}

/** One node-postgres client. */
export class PostgresConnection implements DatabaseConnection {
  readonly canCancel = true;
  readonly #client: PgClient;
  readonly #driver: PostgresClientSource;
  readonly #types: PostgresTypeNames;
  readonly #cancelTimeoutMillis: number;
  #broken = false;
  /**
   * The `DISCARD ALL` written behind the last statement (`resetAfter`), resolving to whether it took;
   * undefined once any other statement has run since.
   */
  #resetAhead: Promise<boolean> | undefined;

  constructor(
    client: PgClient,
    driver: PostgresClientSource,
    types: PostgresTypeNames,
    cancelTimeoutMillis: number,
  ) {
    this.#client = client;
    this.#driver = driver;
    this.#types = types;
    this.#cancelTimeoutMillis = cancelTimeoutMillis;
    client.on('error', () => {
      this.#broken = true;
    });
    client.on('end', () => {
      this.#broken = true;
    });
  }

  get broken(): boolean {
    return this.#broken;
  }

  async query(
    sql: string,
    params: readonly unknown[] | undefined,
    options?: { resetAfter?: boolean },
  ): Promise<QueryResult> {
    this.#resetAhead = undefined;
    // The extended protocol carries exactly one statement: what the server runs is what aishell analysed,
    // even where the server lexes text differently (standard_conforming_strings = off turns a string
    // that hides a `;` into two statements under the simple protocol).
    const config = {
      text: sql,
      values: withUtcDates(params) as unknown[] | undefined,
      queryMode: 'extended',
    } as import('pg').QueryConfig;
    let res: PgResult | PgResult[];
    try {
      res =
        options?.resetAfter && canPipeline(this.#client)
          ? await this.#queryThenDiscard(config)
          : await this.#client.query<Record<string, unknown>>(config);
    } catch (err) {
      throw this.#fail(err);
    }
    // Several statements without parameters (simple protocol) answer with one result each: keep the last.
    const last = Array.isArray(res) ? res[res.length - 1] : res;
    if (last === undefined) return { command: '', rowCount: 0, fields: [], rows: [] };
    const fields = this.#types.fields(last.fields);
    const missing = this.#types.unknownIn(last.fields);
    if (missing !== undefined) {
      await this.#types.resolve(fields, last.fields, missing, async (oids) => {
        const r = await this.#client.query<{ oid: unknown; typname: unknown }>(TYPE_LOOKUP_SQL, [oids]);
        return r.rows;
      });
    }
    const command = last.command ?? '';
    const rowCount = command === 'SELECT' || last.rowCount === null ? last.rows.length : last.rowCount;
    return { command, rowCount, fields, rows: last.rows };
  }

  /**
   * The statement, then `DISCARD ALL`, written together (one round trip instead of two). The statement's
   * Sync ends its implicit transaction first, so DISCARD ALL runs on its own as after a separate round
   * trip; it fails, and `reset()` does the ordinary roll-back and reset, when the statement left a
   * transaction open or the connection failed.
   */
  #queryThenDiscard(config: import('pg').QueryConfig): Promise<PgResult> {
    const client = this.#client as unknown as PgPipelining;
    const stream = client.connection.stream;
    client.pipeline = true;
    stream.cork(); // both in one write
    let statement: Promise<PgResult>;
    let discard: Promise<unknown>;
    try {
      statement = this.#client.query<Record<string, unknown>>(config);
      discard = this.#client.query(DISCARD_ALL);
    } finally {
      stream.uncork();
    }
    const ahead = discard.then(
      () => true,
      () => false,
    );
    // Back to the ordinary mode once the reset has answered (the client is lent to no one before that).
    void ahead.then(() => {
      client.pipeline = false;
    });
    this.#resetAhead = ahead;
    return statement;
  }

  async openCursor(sql: string, params: readonly unknown[] | undefined, batchSize: number): Promise<Cursor> {
    this.#resetAhead = undefined;
    const { default: PgCursor } = await import('pg-cursor');
    // The client's parsers: pg-cursor would otherwise read rows with pg's global ones (Dates, int8 text).
    const types = this.#driver.types;
    const cursor = this.#client.query(
      new PgCursor<Record<string, unknown>>(
        sql,
        withUtcDates(params) as unknown[] | undefined,
        types === undefined ? {} : { types },
      ),
    );
    const read = () =>
      new Promise<{ rows: Record<string, unknown>[]; fields: PgResult['fields'] }>((resolve, reject) => {
        cursor.read(batchSize, (err, rows, result) => {
          if (err) reject(this.#fail(err));
          else resolve({ rows, fields: (result as PgResult | undefined)?.fields ?? [] });
        });
      });
    let first: Awaited<ReturnType<typeof read>>;
    try {
      first = await read();
    } catch (err) {
      await cursor.close().catch(() => {});
      throw err;
    }
    let pending: Record<string, unknown>[] | null = first.rows;
    let done = false;
    return {
      fields: this.#types.fields(first.fields),
      next: async () => {
        if (done) return null;
        const rows = pending ?? (await read()).rows;
        pending = null;
        if (rows.length === 0) done = true;
        return rows.length === 0 ? null : rows;
      },
      close: async () => {
        done = true;
        if (this.#broken) return;
        await cursor.close().catch((err: unknown) => {
          throw this.#fail(err);
        });
      },
    };
  }

  async reset(): Promise<ResetOutcome> {
    const ahead = this.#resetAhead;
    this.#resetAhead = undefined;
    if (ahead !== undefined && (await ahead) && !this.#broken && this.#status() === 'I')
      return { rolledBack: false, discard: false };
    if (this.#broken) return { rolledBack: false, discard: true };
    const status = this.#status();
    const rolledBack = status === 'T' || status === 'E';
    try {
      if (rolledBack) await this.#client.query('ROLLBACK');
      // Settings, search_path, role, temporary tables, prepared statements, cursors, advisory locks, LISTEN.
      await this.#client.query(DISCARD_ALL);
    } catch {
      return { rolledBack, discard: true };
    }
    return { rolledBack, discard: false };
  }

  /** 'I' idle, 'T' in a transaction, 'E' in a failed transaction (ReadyForQuery's status byte). */
  #status(): string | null {
    return (this.#client as unknown as { getTransactionStatus(): string | null }).getTransactionStatus();
  }

  async cancel(): Promise<void> {
    const pid = (this.#client as unknown as PgClientInternals).processID;
    if (pid === null || pid === undefined || this.#broken) return;
    const helper = await this.#driver.openClient({ timeoutMillis: this.#cancelTimeoutMillis });
    try {
      await helper.query('SELECT pg_cancel_backend($1)', [pid]);
    } finally {
      await helper.end().catch(() => {});
    }
  }

  async close(): Promise<void> {
    if (this.#broken) {
      this.destroy();
      return;
    }
    this.#broken = true;
    await this.#client.end().catch(() => {});
  }

  destroy(): void {
    this.#broken = true;
    (this.#client as unknown as PgClientInternals).connection?.stream?.destroy();
  }

  #fail(err: unknown): Error {
    if (this.#broken || isPostgresConnectionLoss(err)) {
      this.#broken = true;
      if (!isPostgresConnectionLoss(err)) {
        return new ConnectionLostError(
          `connection lost during the statement: ${String((err as Error).message)}`,
          {
            cause: err,
          },
        );
      }
    }
    return mapPostgresQueryError(err);
  }
}
