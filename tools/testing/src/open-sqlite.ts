// A real SQLite database for tests, on whichever library this Node can load: better-sqlite3 (a native
// addon, built for one Node version) when it loads, else Node's own node:sqlite (Node >= 22.13 without a
// flag). Both run the SQLite C library on a real file or in memory; the interface below is the part the
// fixtures and tests use, written so that both libraries answer it the same way.
import { createRequire } from 'node:module';

export type SqliteDriver = 'better-sqlite3' | 'node:sqlite';

export interface SqliteRunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}

/** A prepared statement. Parameters are positional (`?`, `?NNN`) or one object of named ones. */
export interface SqliteStatement {
  /** Every row, as a plain object per row. */
  all(...params: unknown[]): Record<string, unknown>[];
  /** The first row, or undefined when there is none. */
  get(...params: unknown[]): Record<string, unknown> | undefined;
  /** Runs a statement that returns no rows. */
  run(...params: unknown[]): SqliteRunResult;
  /** Every row as an array of its values in column order (columns of the same name are kept apart). */
  values(...params: unknown[]): unknown[][];
}

/**
 * An open SQLite database.
 *
 * The libraries differ where a test should not lean on either: better-sqlite3 refuses a string of
 * several statements in `prepare` and a missing parameter, node:sqlite runs the first statement and
 * binds NULL.
 */
export interface SqliteDatabase {
  /** The library that opened it. */
  readonly driver: SqliteDriver;
  /** Runs one or more statements that return no rows. */
  exec(sql: string): void;
  prepare(sql: string): SqliteStatement;
  close(): void;
}

export interface OpenSqliteOptions {
  /** Open read-only; the file must then exist. @default false */
  readonly?: boolean;
}

// The parts of both libraries used here, as structures: neither library's types are needed to use them.
interface BetterStatement {
  all(...params: unknown[]): unknown[];
  get(...params: unknown[]): unknown;
  run(...params: unknown[]): SqliteRunResult;
  raw(on: boolean): BetterStatement;
}
interface BetterDatabase {
  exec(sql: string): unknown;
  prepare(sql: string): BetterStatement;
  close(): unknown;
}
type BetterSqlite3 = new (
  filename: string,
  options: { readonly: boolean; fileMustExist: boolean },
) => BetterDatabase;

interface NodeStatement {
  all(...params: unknown[]): unknown[];
  get(...params: unknown[]): unknown;
  run(...params: unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  /** Node >= 22.16 / 24. */
  setReturnArrays?(on: boolean): void;
}
interface NodeDatabase {
  exec(sql: string): void;
  prepare(sql: string): NodeStatement;
  close(): void;
}
interface NodeSqlite {
  DatabaseSync: new (path: string, options: { readOnly: boolean }) => NodeDatabase;
}

type Opener = (filename: string, readonly: boolean) => SqliteDatabase;

const require = createRequire(import.meta.url);
/** Chosen on the first open, not on import. */
let opener: Opener | undefined;

/**
 * Opens a real SQLite database (`:memory:` by default) through better-sqlite3 or node:sqlite.
 * @example
 * const db = openSqlite();
 * db.exec('create table t (a int); insert into t values (1)');
 * db.prepare('select a from t').all(); // [{ a: 1 }]
 */
export function openSqlite(filename = ':memory:', options: OpenSqliteOptions = {}): SqliteDatabase {
  opener ??= chooseOpener();
  return opener(filename, options.readonly ?? false);
}

function chooseOpener(): Opener {
  let betterError: unknown;
  try {
    const Database = require('better-sqlite3') as BetterSqlite3;
    // The native addon loads on the first open; it throws when it was built for another Node.
    new Database(':memory:', { readonly: false, fileMustExist: false }).close();
    return (filename, readonly) =>
      betterSqlite3Database(new Database(filename, { readonly, fileMustExist: readonly }));
  } catch (error) {
    betterError = error;
  }
  let sqlite: NodeSqlite;
  try {
    sqlite = require('node:sqlite') as NodeSqlite;
  } catch (error) {
    const why = String((betterError as Error).message).split('\n')[0];
    throw new Error(
      `no SQLite for tests on Node ${process.versions.node}: better-sqlite3 does not load (${why}) and node:sqlite needs Node >= 22.13`,
      { cause: error },
    );
  }
  return (filename, readonly) =>
    nodeSqliteDatabase(new sqlite.DatabaseSync(filename, { readOnly: readonly }));
}

const plain = (row: unknown): Record<string, unknown> => ({ ...(row as Record<string, unknown>) });

function betterSqlite3Database(db: BetterDatabase): SqliteDatabase {
  return {
    driver: 'better-sqlite3',
    exec: (sql) => void db.exec(sql),
    prepare(sql) {
      const statement = db.prepare(sql);
      return {
        all: (...params) => statement.all(...params) as Record<string, unknown>[],
        get: (...params) => statement.get(...params) as Record<string, unknown> | undefined,
        run: (...params) => {
          const { changes, lastInsertRowid } = statement.run(...params);
          return { changes, lastInsertRowid };
        },
        values: (...params) => {
          try {
            return statement.raw(true).all(...params) as unknown[][];
          } finally {
            statement.raw(false);
          }
        },
      };
    },
    close: () => void db.close(),
  };
}

// Foreign keys on and double-quoted strings refused are node:sqlite's defaults, as they are
// better-sqlite3's build settings.
function nodeSqliteDatabase(db: NodeDatabase): SqliteDatabase {
  return {
    driver: 'node:sqlite',
    exec: (sql) => db.exec(sql),
    prepare(sql) {
      const statement = db.prepare(sql);
      return {
        // node:sqlite's rows have a null prototype; better-sqlite3's are plain objects.
        all: (...params) => statement.all(...params).map(plain),
        get: (...params) => {
          const row = statement.get(...params);
          return row === undefined ? undefined : plain(row);
        },
        run: (...params) => {
          const { changes, lastInsertRowid } = statement.run(...params);
          return { changes: Number(changes), lastInsertRowid };
        },
        values: (...params) => {
          // Objects would merge columns of the same name; rows as arrays keep them apart.
          if (!statement.setReturnArrays)
            throw new Error(
              `node:sqlite returns rows as arrays from Node 22.16 on (this is ${process.version})`,
            );
          statement.setReturnArrays(true);
          try {
            return statement.all(...params) as unknown[][];
          } finally {
            statement.setReturnArrays(false);
          }
        },
      };
    },
    close: () => db.close(),
  };
}
