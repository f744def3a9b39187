import type { Cursor, DatabaseConnection, ResetOutcome } from '../../driver/database-connection.js';
import { QueryError } from '../../errors.js';
import type { QueryResult } from '../../query-result.js';
import { mapPostgresQueryError } from '../postgres/postgres-errors.js';
import { type PostgresTypeNames, TYPE_LOOKUP_SQL } from '../postgres/postgres-type-names.js';
import { withUtcDates } from '../postgres/temporal-values.js';

type PGliteInstance = import('@electric-sql/pglite').PGlite;
type PgliteResults = import('@electric-sql/pglite').Results<Record<string, unknown>>;

/** The one connection of a PGlite pool: a view of the shared instance. */
export class PgliteConnection implements DatabaseConnection {
  readonly canCancel = false;
  readonly #db: PGliteInstance;
  readonly #types: PostgresTypeNames;
  #cursors = 0;

  constructor(db: PGliteInstance, types: PostgresTypeNames) {
    this.#db = db;
    this.#types = types;
  }

  get broken(): boolean {
    return this.#db.closed;
  }

  async query(sql: string, params: readonly unknown[] | undefined): Promise<QueryResult> {
    let res: PgliteResults | undefined;
    try {
      // The extended protocol: exactly one statement, as for PostgreSQL (postgres-connection.ts).
      // Dates as their UTC instant, as on PostgreSQL (temporal-values.ts).
      res = await this.#db.query<Record<string, unknown>>(sql, withUtcDates(params ?? []) as unknown[]);
    } catch (err) {
      throw mapPostgresQueryError(err);
    }
    if (res === undefined) return { command: '', rowCount: 0, fields: [], rows: [] };
    return this.#toResult(res);
  }

  async #toResult(res: PgliteResults): Promise<QueryResult> {
    const defs = res.fields;
    const fields = this.#types.fields(defs);
    const missing = this.#types.unknownIn(defs);
    if (missing !== undefined) {
      await this.#types.resolve(fields, defs, missing, async (oids) => {
        const r = await this.#db.query<{ oid: unknown; typname: unknown }>(TYPE_LOOKUP_SQL, [oids]);
        return r.rows;
      });
    }
    const command = res.command ?? '';
    const rowCount = defs.length > 0 ? res.rows.length : (res.affectedRows ?? 0);
    return { command, rowCount, fields, rows: res.rows };
  }

  /** A server-side cursor (DECLARE / FETCH), inside a transaction of its own unless one is open. */
  async openCursor(sql: string, params: readonly unknown[] | undefined, batchSize: number): Promise<Cursor> {
    const name = `aishell_cursor_${++this.#cursors}`;
    const ownTransaction = !this.#db.isInTransaction();
    if (ownTransaction) await this.#db.exec('BEGIN');
    try {
      await this.#db.query(
        `DECLARE ${name} NO SCROLL CURSOR FOR ${sql}`,
        withUtcDates(params) as unknown[] | undefined,
      );
    } catch (err) {
      if (ownTransaction) await this.#db.exec('ROLLBACK').catch(() => {});
      const mapped = mapPostgresQueryError(err);
      // Not a query (INSERT without RETURNING, DDL...): run it plainly, it returns no rows to stream.
      if (mapped instanceof QueryError && mapped.sqlState === '42601' && ownTransaction) {
        const result = await this.query(sql, params);
        let given = false;
        return {
          fields: result.fields,
          next: async () => {
            if (given || result.rows.length === 0) return null;
            given = true;
            return result.rows;
          },
          close: async () => {},
        };
      }
      throw mapped;
    }
    const fetch = async () => {
      try {
        return await this.#toResult(
          await this.#db.query<Record<string, unknown>>(`FETCH ${batchSize} FROM ${name}`),
        );
      } catch (err) {
        throw mapPostgresQueryError(err);
      }
    };
    let pending: Record<string, unknown>[] | null;
    let fields: QueryResult['fields'];
    try {
      const first = await fetch();
      pending = first.rows;
      fields = first.fields;
    } catch (err) {
      if (ownTransaction) await this.#db.exec('ROLLBACK').catch(() => {});
      throw err;
    }
    let closed = false;
    return {
      fields,
      next: async () => {
        if (closed) return null;
        const rows = pending ?? (await fetch()).rows;
        pending = null;
        return rows.length === 0 ? null : rows;
      },
      close: async () => {
        if (closed) return;
        closed = true;
        if (ownTransaction) await this.#db.exec('COMMIT');
        else await this.#db.exec(`CLOSE ${name}`);
      },
    };
  }

  async reset(): Promise<ResetOutcome> {
    if (this.#db.closed) return { rolledBack: false, discard: true };
    const rolledBack = this.#db.isInTransaction();
    try {
      if (rolledBack) await this.#db.exec('ROLLBACK');
      await this.#db.exec('DISCARD ALL');
    } catch {
      return { rolledBack, discard: true };
    }
    return { rolledBack, discard: false };
  }

  async cancel(): Promise<void> {}

  // The instance is shared and closed by the driver when the pool closes.
  async close(): Promise<void> {}

  destroy(): void {}
}
