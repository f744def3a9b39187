import type { Cursor, DatabaseConnection, ResetOutcome } from '../../driver/database-connection.js';
import { type PoolError, QueryError } from '../../errors.js';
import type { Field, QueryResult } from '../../query-result.js';
import { statementVerb } from '../statement-verb.js';

type SqliteDatabase = import('better-sqlite3').Database;
type SqliteStatement = import('better-sqlite3').Statement<unknown[], Record<string, unknown>>;

/** The one connection of a SQLite pool: its own handle of a file, or a view of the in-memory database's. */
export class SqliteConnection implements DatabaseConnection {
  readonly canCancel = false;
  readonly #db: SqliteDatabase;
  /** The handle is this connection's: closing the connection closes it. */
  readonly #owned: boolean;
  readonly #memory: boolean;

  constructor(db: SqliteDatabase, options: { owned: boolean; memory?: boolean }) {
    this.#db = db;
    this.#owned = options.owned;
    this.#memory = options.memory === true;
  }

  get broken(): boolean {
    return !this.#db.open;
  }

  async query(sql: string, params: readonly unknown[] | undefined): Promise<QueryResult> {
    try {
      const stmt = this.#db.prepare<unknown[], Record<string, unknown>>(sql);
      const args = bindable(params);
      if (stmt.reader) {
        const rows = stmt.all(...args);
        return { command: statementVerb(sql), rowCount: rows.length, fields: fieldsOf(stmt, rows[0]), rows };
      }
      const info = stmt.run(...args);
      return { command: statementVerb(sql), rowCount: info.changes, fields: [], rows: [] };
    } catch (err) {
      throw mapSqliteError(err);
    }
  }

  async openCursor(sql: string, params: readonly unknown[] | undefined, batchSize: number): Promise<Cursor> {
    let stmt: SqliteStatement;
    let iterator: IterableIterator<Record<string, unknown>>;
    let first: IteratorResult<Record<string, unknown>>;
    try {
      stmt = this.#db.prepare<unknown[], Record<string, unknown>>(sql);
      if (!stmt.reader) {
        const result = await this.query(sql, params);
        return { fields: result.fields, next: async () => null, close: async () => {} };
      }
      iterator = stmt.iterate(...bindable(params));
      first = iterator.next();
    } catch (err) {
      throw mapSqliteError(err);
    }
    let pending: Record<string, unknown> | undefined = first.done ? undefined : first.value;
    let done = first.done === true;
    return {
      fields: fieldsOf(stmt, pending),
      next: async () => {
        if (done) return null;
        const rows: Record<string, unknown>[] = [];
        if (pending !== undefined) rows.push(pending);
        pending = undefined;
        try {
          while (rows.length < batchSize) {
            const r = iterator.next();
            if (r.done) {
              done = true;
              break;
            }
            rows.push(r.value);
          }
        } catch (err) {
          done = true;
          throw mapSqliteError(err);
        }
        return rows.length === 0 ? null : rows;
      },
      close: async () => {
        done = true;
        iterator.return?.();
      },
    };
  }

  async reset(): Promise<ResetOutcome> {
    const rolledBack = this.#db.open && this.#db.inTransaction;
    try {
      if (rolledBack) this.#db.exec('ROLLBACK');
    } catch {
      return { rolledBack, discard: true };
    }
    // PRAGMAs, ATTACHed databases and temporary tables live in the handle: a file is opened anew. An
    // in-memory database is its handle, so only its transaction can be ended (docs/daemon.md).
    return { rolledBack, discard: !this.#memory };
  }

  async cancel(): Promise<void> {}

  /** Closes the handle if it is this connection's (a file's); a shared one is closed by the driver. */
  async close(): Promise<void> {
    if (this.#owned) this.closeHandle();
  }

  /** Closes the handle whoever owns it (the driver, for the ones it shares). */
  closeHandle(): void {
    if (this.#db.open) this.#db.close();
  }

  destroy(): void {
    if (this.#owned) this.closeHandle();
  }
}

function mapSqliteError(err: unknown): PoolError {
  const e = err as { message?: unknown; code?: unknown };
  return new QueryError(typeof e.message === 'string' ? e.message : String(err), {
    cause: err,
    sqliteCode: typeof e.code === 'string' ? e.code : undefined,
  });
}

/** better-sqlite3 binds numbers, strings, bigints, buffers and null; booleans and dates are mapped. */
function bindable(params: readonly unknown[] | undefined): unknown[] {
  if (params === undefined) return [];
  const out = new Array<unknown>(params.length);
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    out[i] =
      typeof p === 'boolean' ? (p ? 1 : 0) : p instanceof Date ? p.toISOString() : p === undefined ? null : p;
  }
  return out;
}

/** Declared column types; for expressions (no declared type) the storage class of the first value. */
function fieldsOf(stmt: SqliteStatement, first: Record<string, unknown> | undefined): Field[] {
  return stmt.columns().map((c) => ({ name: c.name, type: c.type ?? storageClass(first?.[c.name]) }));
}

function storageClass(value: unknown): string {
  if (typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value))) return 'INTEGER';
  if (typeof value === 'number') return 'REAL';
  if (typeof value === 'string') return 'TEXT';
  if (Buffer.isBuffer(value)) return 'BLOB';
  return '';
}
