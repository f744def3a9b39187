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

  async query(sql: string, params: readonly unknown[] | undefined): Promise<QueryResult> {
    let res: PgResult | PgResult[];
    try {
      // The extended protocol carries exactly one statement: what the server runs is what aishell analysed,
      // even where the server lexes text differently (standard_conforming_strings = off turns a string
      // that hides a `;` into two statements under the simple protocol).
      res = await this.#client.query<Record<string, unknown>>({
        text: sql,
        values: withUtcDates(params) as unknown[] | undefined,
        queryMode: 'extended',
      } as import('pg').QueryConfig);
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

  async openCursor(sql: string, params: readonly unknown[] | undefined, batchSize: number): Promise<Cursor> {
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
    if (this.#broken) return { rolledBack: false, discard: true };
    // 'I' idle, 'T' in a transaction, 'E' in a failed transaction (ReadyForQuery's status byte).
    const status = (
      this.#client as unknown as { getTransactionStatus(): string | null }
    ).getTransactionStatus();
    const rolledBack = status === 'T' || status === 'E';
    try {
      if (rolledBack) await this.#client.query('ROLLBACK');
      // Settings, search_path, role, temporary tables, prepared statements, cursors, advisory locks, LISTEN.
      await this.#client.query('DISCARD ALL');
    } catch {
      return { rolledBack, discard: true };
    }
    return { rolledBack, discard: false };
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
