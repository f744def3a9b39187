import type { Cursor, DatabaseConnection, ResetOutcome } from '../../driver/database-connection.js';
import { ConnectionLostError, QueryError } from '../../errors.js';
import type { Field, QueryResult } from '../../query-result.js';
import { statementVerb } from '../statement-verb.js';
import { isMysqlConnectionLoss, mapMysqlQueryError } from './mysql-errors.js';
import { type MysqlFieldDef, mysqlFields, yearColumns, yearsAsText } from './mysql-type-names.js';

type MysqlRawConnection = import('mysql2').Connection;
type MysqlQueryOptions = import('mysql2').QueryOptions;

function queryOptions(sql: string, params: readonly unknown[] | undefined): MysqlQueryOptions {
  return params === undefined ? { sql } : { sql, values: params as MysqlQueryOptions['values'] };
}

interface ResultHeader {
  readonly affectedRows: number;
}

/** What a connection needs from its driver, handed in by it (as in Kysely): a second connection for KILL QUERY. */
export interface MysqlConnectionSource {
  openRaw(options: { timeoutMillis: number }): Promise<MysqlRawConnection>;
}

/** One mysql2 connection. */
export class MysqlConnection implements DatabaseConnection {
  readonly canCancel = true;
  readonly #conn: MysqlRawConnection;
  readonly #driver: MysqlConnectionSource;
  readonly #cancelTimeoutMillis: number;
  #broken = false;
  /** Settles statements in flight when the connection dies (mysql2 does not call back after destroy). */
  readonly #inFlight = new Set<(err: Error) => void>();

  /** The database of the URL, which a reset goes back to. */
  readonly #database: string | undefined;

  constructor(
    conn: MysqlRawConnection,
    driver: MysqlConnectionSource,
    cancelTimeoutMillis: number,
    database: string | undefined,
  ) {
    this.#database = database;
    this.#conn = conn;
    this.#driver = driver;
    this.#cancelTimeoutMillis = cancelTimeoutMillis;
    conn.on('error', (err) => this.#lost(err));
    conn.on('end', () => this.#lost(undefined));
  }

  get broken(): boolean {
    return this.#broken;
  }

  query(sql: string, params: readonly unknown[] | undefined): Promise<QueryResult> {
    return new Promise((resolve, reject) => {
      if (this.#broken) {
        reject(new ConnectionLostError('the connection is closed'));
        return;
      }
      this.#inFlight.add(reject);
      this.#conn.query(queryOptions(sql, params), (err, result, fieldDefs) => {
        this.#inFlight.delete(reject);
        if (err) {
          reject(this.#fail(err));
          return;
        }
        try {
          resolve(toQueryResult(sql, result, fieldDefs));
        } catch (error) {
          // Never let a surprise in a result's shape escape mysql2's callback (it would end the process).
          reject(
            new QueryError(`unexpected result from the server: ${(error as Error).message}`, {
              cause: error,
            }),
          );
        }
      });
    });
  }

  async openCursor(sql: string, params: readonly unknown[] | undefined, batchSize: number): Promise<Cursor> {
    // mysql2's row stream with pause/resume gives back-pressure: the socket is not read while paused.
    const conn = this.#conn;
    const query = conn.query(queryOptions(sql, params));
    let buffer: Record<string, unknown>[] = [];
    let fields: Field[] | undefined;
    let years: ReturnType<typeof yearColumns>;
    let ended = false;
    let paused = false;
    let discard = false;
    let failure: Error | undefined;
    let wake: (() => void) | undefined;
    const notify = () => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    query.on('fields', (defs: unknown) => {
      fields = mysqlFields(defs as readonly MysqlFieldDef[]);
      years = yearColumns(defs as readonly MysqlFieldDef[]);
      notify();
    });
    query.on('result', (row: unknown) => {
      if (fields === undefined || discard) return; // an OK packet of a statement without rows
      if (years !== undefined) yearsAsText(row as Record<string, unknown>, years);
      buffer.push(row as Record<string, unknown>);
      if (buffer.length >= batchSize && !paused) {
        paused = true;
        conn.pause();
      }
      notify();
    });
    const onLost = (err: Error) => {
      failure ??= err;
      notify();
    };
    this.#inFlight.add(onLost);
    query.on('error', (err: unknown) => {
      this.#inFlight.delete(onLost);
      failure = this.#fail(err);
      notify();
    });
    query.on('end', () => {
      this.#inFlight.delete(onLost);
      ended = true;
      notify();
    });
    const until = (ready: () => boolean) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (ready()) resolve();
          else wake = check;
        };
        check();
      });
    const settled = () => failure !== undefined || ended;
    await until(() => fields !== undefined || settled());
    if (failure !== undefined) throw failure;
    return {
      fields: fields ?? [],
      next: async () => {
        await until(() => buffer.length >= batchSize || settled());
        if (buffer.length === 0) {
          if (failure !== undefined) throw failure;
          return null;
        }
        const rows = buffer;
        buffer = [];
        if (paused) {
          paused = false;
          conn.resume();
        }
        return rows;
      },
      close: async () => {
        if (settled()) return;
        // mysql2 cannot drop a result half-read: stop the statement on the server, read the rest away.
        discard = true;
        buffer = [];
        await this.cancel().catch(() => this.destroy());
        if (paused) {
          paused = false;
          conn.resume();
        }
        await until(settled);
      },
    };
  }

  async reset(): Promise<ResetOutcome> {
    if (this.#broken) return { rolledBack: false, discard: true };
    try {
      const [state] = (
        await this.query(
          'SELECT @@in_transaction AS t, DATABASE() AS d, @@global.character_set_client AS g',
          undefined,
        )
      ).rows as { t: unknown; d: unknown; g: unknown }[];
      const rolledBack = Number(state?.t) === 1;
      // COM_RESET_CONNECTION: rolls back, drops temporary tables, user variables, prepared statements and
      // locks, and sets session variables back to the global values. It keeps the current database.
      await new Promise<void>((resolve, reject) => {
        this.#conn.reset((err) => (err ? reject(this.#fail(err)) : resolve()));
      });
      const database = this.#database;
      if ((state?.d ?? null) !== (database ?? null)) {
        // A USE changed it; with no database in the URL there is none to go back to.
        if (database === undefined) return { rolledBack, discard: true };
        await this.query(`USE \`${database.replaceAll('`', '``')}\``, undefined);
      }
      // The handshake asked for utf8mb4 (mysql2's default); the reset fell back to the server's default.
      if (state?.g !== 'utf8mb4') await this.query('SET NAMES utf8mb4', undefined);
      return { rolledBack, discard: false };
    } catch {
      return { rolledBack: false, discard: true };
    }
  }

  async cancel(): Promise<void> {
    if (this.#broken) return;
    const helper = await this.#driver.openRaw({ timeoutMillis: this.#cancelTimeoutMillis });
    try {
      await new Promise<void>((resolve, reject) => {
        helper.query(`KILL QUERY ${Number(this.#conn.threadId)}`, (err) => (err ? reject(err) : resolve()));
      });
    } finally {
      helper.destroy();
    }
  }

  async close(): Promise<void> {
    if (this.#broken) {
      this.destroy();
      return;
    }
    this.#broken = true;
    await new Promise<void>((resolve) => {
      this.#conn.end(() => resolve());
    });
  }

  destroy(): void {
    this.#broken = true;
    this.#conn.destroy();
    this.#lost(undefined);
  }

  #lost(cause: unknown): void {
    this.#broken = true;
    if (this.#inFlight.size === 0) return;
    const err = new ConnectionLostError('connection lost during the statement', { cause });
    for (const settle of this.#inFlight) settle(err);
    this.#inFlight.clear();
  }

  #fail(err: unknown): Error {
    if (isMysqlConnectionLoss(err)) this.#broken = true;
    return mapMysqlQueryError(err);
  }
}

/**
 * One QueryResult from what mysql2 hands back. A CALL answers with several result sets (one per SELECT
 * the procedure ran, then an OK packet): the first one that has columns is returned, as most
 * procedures return one; its OK packet's count is used when none has columns.
 */
function toQueryResult(sql: string, result: unknown, fieldDefs: unknown): QueryResult {
  const command = statementVerb(sql);
  const multi = Array.isArray(fieldDefs) && fieldDefs.some((d) => Array.isArray(d) || d === undefined);
  if (multi && Array.isArray(result)) {
    const sets = result as unknown[];
    const defs = fieldDefs as unknown[];
    for (let i = 0; i < sets.length; i++) {
      if (Array.isArray(sets[i]) && Array.isArray(defs[i])) {
        const rows = withYearsAsText(sets[i] as Record<string, unknown>[], defs[i] as MysqlFieldDef[]);
        return { command, rowCount: rows.length, fields: mysqlFields(defs[i] as MysqlFieldDef[]), rows };
      }
    }
    const header = sets.find((r) => r !== null && typeof r === 'object' && !Array.isArray(r)) as
      | ResultHeader
      | undefined;
    return { command, rowCount: header?.affectedRows ?? 0, fields: [], rows: [] };
  }
  const fields = mysqlFields(fieldDefs as readonly MysqlFieldDef[] | undefined);
  if (Array.isArray(result)) {
    const rows = withYearsAsText(
      result as Record<string, unknown>[],
      fieldDefs as MysqlFieldDef[] | undefined,
    );
    return { command, rowCount: rows.length, fields, rows };
  }
  return { command, rowCount: (result as ResultHeader).affectedRows ?? 0, fields, rows: [] };
}

function withYearsAsText(
  rows: Record<string, unknown>[],
  defs: readonly MysqlFieldDef[] | undefined,
): Record<string, unknown>[] {
  const years = yearColumns(defs);
  if (years !== undefined) for (const row of rows) yearsAsText(row, years);
  return rows;
}
